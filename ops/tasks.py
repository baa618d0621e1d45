"""The nightly backup, sent by beat (CELERY_BEAT_SCHEDULE["nightly-backup"]) and run by a worker."""

import logging
import os
import subprocess
import sys
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.mail import mail_admins

logger = logging.getLogger(__name__)
SCRIPT = Path(settings.BASE_DIR) / "scripts" / "backup.sh"


class BackupFailed(RuntimeError):
    pass


def run_backup() -> str:
    """scripts/backup.sh into BACKUP_DIR, pruning backups older than BACKUP_KEEP_DAYS; the dump's path."""
    env = dict(
        os.environ,
        BACKUP_DIR=str(settings.BACKUP_DIR),
        BACKUP_KEEP_DAYS=str(settings.BACKUP_KEEP_DAYS),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),
        PYTHON=sys.executable,
    )
    env.setdefault("DATABASE_URL", _database_url())
    out = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(SCRIPT)], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise BackupFailed(f"backup.sh exited with {out.returncode}: {out.stderr.strip()[-1500:]}")
    return out.stdout.strip().splitlines()[-1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return "sqlite://"  # backup.sh refuses it with a clear message
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@shared_task(name="ops.tasks.nightly_backup")
def nightly_backup() -> str:
    """A failure is raised, so the worker's task-failure signal lists it for staff (the task-failure
    page, /healthz's count, /metrics); ADMINS (DJANGO_ADMINS) are also e-mailed."""
    try:
        dump = run_backup()
    except Exception as exc:
        logger.error("nightly backup failed: %s", exc)
        mail_admins(
            "Nightly backup failed / 夜間備份失敗",
            f"{exc}\n\nSee the task-failure list (背景工作失敗).",
            fail_silently=True,
        )
        raise
    logger.info("nightly backup written: %s", dump)
    return dump
