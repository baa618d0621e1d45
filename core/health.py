"""Service checks behind /healthz: the database, the cache, the broker and the workers."""

import hmac
import os
import tempfile

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return False, type(exc).__name__
    return True, "ok"


def check_cache() -> tuple[bool, str]:
    try:
        # The resilient cache would answer from process memory: ask Redis itself.
        if hasattr(cache, "ping"):
            return (True, "ok") if cache.ping() else (False, "unreachable")
        # The embedded default's file cache: its folder made (on first use), written and read back.
        cache.set("healthz", "ok", 10)
        if cache.get("healthz") != "ok":
            return False, "read-back failed"
    except Exception as exc:
        return False, type(exc).__name__
    return True, "ok"


def check_broker() -> tuple[bool, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True, "eager (tasks run in-process)"
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
            if conn.transport_cls == "filesystem":
                return check_file_broker_folders(conn.default_channel)
    except Exception as exc:
        return False, type(exc).__name__
    return True, "ok"


# The embedded default's file broker (kombu's filesystem transport): its "connection" is nothing but
# the folders, and connecting always succeeds. It is up when each folder is there and takes a file.
_FILE_BROKER_FOLDERS = (
    ("data_folder_in", "queue folder (in)"),
    ("data_folder_out", "queue folder (out)"),
    ("control_folder", "control folder"),
)


def check_file_broker_folders(channel) -> tuple[bool, str]:
    """Write and remove a probe file in each of the file broker's folders (named so the transport
    never takes it for a message: no ``.msg``)."""
    for attribute, name in _FILE_BROKER_FOLDERS:
        folder = os.fspath(getattr(channel, attribute))
        if not os.path.isdir(folder):
            return False, f"{name} missing"
        try:
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-", suffix=".probe"):
                pass
        except OSError as exc:
            return False, f"{name} not writable ({type(exc).__name__})"
    return True, "ok"


def check_workers() -> tuple[bool, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True, "eager (no worker needed)"
    from config.celery import app

    try:
        # A connection of its own, so a stale pooled connection cannot answer for the broker.
        with app.connection_for_write() as conn:
            replies = app.control.ping(timeout=1.0, connection=conn)
    except Exception as exc:
        return False, type(exc).__name__
    if not replies:
        return False, "no worker answered"
    return True, f"{len(replies)} worker(s)"


def run_checks() -> dict[str, dict]:
    results = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    # Without a broker no worker can answer; asking would only wait for the timeouts.
    results["worker"] = check_workers() if results["broker"][0] else (False, "broker unreachable")
    return {name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()}


def unresolved_task_failures() -> int:
    """Reported beside the checks (it does not make the service unhealthy): staff should look."""
    from audit.selectors import unresolved_task_failures as failures

    return failures().count()


def may_see_details(request) -> bool:
    token = settings.HEALTHZ_TOKEN
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and sent and hmac.compare_digest(sent.encode(), token.encode()):
        return True
    from accounts.roles import Role

    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.role == Role.SITE_ADMIN)
