"""The nightly backup: database, media and the drill's figures; old backups pruned; a failure
reaches staff. Then the restore drill: restore into a fresh database and compare the figures."""

import io
import json
import os
import subprocess
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from audit.models import TaskFailure
from donations.models import PledgeStatus
from ops.selectors import backup_totals
from ops.tasks import BackupFailed, nightly_backup
from tests.donations.factories import PledgeFactory
from tests.volunteers.factories import ServiceRecordFactory

ROOT = Path(__file__).resolve().parents[2]


def url_for(dbname: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{dbname}"


@pytest.fixture
def backup_dirs(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_KEEP_DAYS = 3
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    (settings.MEDIA_ROOT / "programs").mkdir(parents=True)
    (settings.MEDIA_ROOT / "programs" / "photo.jpg").write_bytes(b"public")
    (settings.PRIVATE_MEDIA_ROOT / "volunteers").mkdir(parents=True)
    (settings.PRIVATE_MEDIA_ROOT / "volunteers" / "id.png").write_bytes(b"private")
    return settings


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_nightly_backup_keeps_n_days_and_the_drill_restores_the_same_figures(
    backup_dirs, monkeypatch, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump/pg_restore of the PostgreSQL database")
    source = url_for(connection.settings_dict["NAME"])
    monkeypatch.setenv("DATABASE_URL", source)
    PledgeFactory(status=PledgeStatus.PAID, amount=1200)
    ServiceRecordFactory()
    backups = Path(backup_dirs.BACKUP_DIR)
    backups.mkdir()
    old, recent = backups / "goodday-20000101-000000.dump", backups / "goodday-20000102-000000.dump"
    for path, days in ((old, 4), (recent, 2)):
        path.write_bytes(b"old")
        os.utime(path, (time.time() - days * 86400, time.time() - days * 86400))

    dump = Path(nightly_backup())

    assert dump.exists() and dump.with_suffix(".media.tar.gz").exists()
    figures = json.loads(Path(str(dump).removesuffix(".dump") + ".totals.json").read_text())
    assert figures == json.loads(json.dumps(backup_totals()))
    assert figures["gifts_paid_amount"] == 1200 and figures["service_hours"] == "3.00"
    assert not old.exists() and recent.exists()  # older than BACKUP_KEEP_DAYS: removed

    # The drill: a fresh database and empty media folders, restored, then compared.
    fresh = f"goodday_drill_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url_for("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{fresh}"')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))} | {
        "DATABASE_URL": url_for(fresh),
        "MEDIA_ROOT": str(tmp_path / "restored" / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "restored" / "private_media"),
    }
    try:
        subprocess.run(["scripts/restore.sh", str(dump)], cwd=ROOT, env=env, check=True, capture_output=True)
        assert (tmp_path / "restored" / "private_media" / "volunteers" / "id.png").read_bytes() == b"private"
        compared = subprocess.run(
            [
                ".venv/bin/python",
                "manage.py",
                "backup_totals",
                "--compare",
                str(dump).removesuffix(".dump") + ".totals.json",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert compared.returncode == 0, compared.stdout + compared.stderr
        assert "Every figure matches the backup." in compared.stdout
    finally:
        with psycopg.connect(url_for("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


@pytest.mark.django_db
def test_a_failed_backup_is_listed_for_staff_and_mailed_to_the_admins(backup_dirs, tmp_path):
    backup_dirs.ADMINS = [("", "ops@example.gov.tw")]
    backup_dirs.BACKUP_DIR = tmp_path / "not-a-folder"  # the backup volume is missing or unwritable
    backup_dirs.BACKUP_DIR.write_text("")
    result = nightly_backup.apply(throw=False)  # as a worker runs it: the task-failure signal fires
    assert isinstance(result.result, BackupFailed)
    failure = TaskFailure.objects.get(task_name="ops.tasks.nightly_backup")
    assert "backup.sh exited" in failure.exception
    assert mail.outbox[0].to == ["ops@example.gov.tw"]
    assert "夜間備份失敗" in mail.outbox[0].subject


@pytest.mark.django_db
def test_the_drill_reports_a_figure_that_differs(tmp_path):
    PledgeFactory(status=PledgeStatus.PAID, amount=500)
    saved = tmp_path / "t.json"
    saved.write_text(json.dumps({**json.loads(json.dumps(backup_totals())), "gifts_paid_amount": 999}))
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="gifts_paid_amount"):
        call_command("backup_totals", "--compare", str(saved), stdout=io.StringIO())
