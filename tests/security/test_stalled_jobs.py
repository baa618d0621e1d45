"""A job whose worker dies is noticed: marked failed with a clear message and a "try again", and
every job is safe to run twice.

The last test kills a real Celery worker process (SIGKILL) in the middle of an import, on the broker
of the shape under test (Redis, or the embedded default's files) and its database (PostgreSQL, or the
SQLite file the worker process opens too).
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.jobs import mark_stalled_jobs
from honorcards.models import BatchStatus, PrintBatch
from tests.volunteers.factories import UnitFactory, member_of, officer_of
from volunteers.imports import services as imports
from volunteers.models import ImportBatch, ImportKind, ImportStatus, ServiceRecord

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
HEADER = "證件號碼,姓名,服務日期,服務時數,服務領域,服務內容\n"


@pytest.fixture(autouse=True)
def _private_files(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    monkeypatch.setattr(
        ImportBatch._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path / "p")
    )


def hours_file(volunteers, rows_each=1) -> bytes:
    day = timezone.localdate() - datetime.timedelta(days=1)
    lines = [HEADER]
    for n in range(rows_each):
        served = day - datetime.timedelta(days=n)
        lines += [f"{v.identity_number},{v.name},{served.isoformat()},1,社會福利,關懷\n" for v in volunteers]
    return "".join(lines).encode("utf-8-sig")


@pytest.fixture
def unit():
    return UnitFactory(approved=True)


def stuck_import(unit, officer, status=ImportStatus.VALIDATING, minutes_ago=60):
    volunteers = [member_of(unit) for _ in range(3)]
    batch = ImportBatch(unit=unit, kind=ImportKind.SERVICE_RECORDS, original_name="h.csv", created_by=officer)
    batch.file.save("h.csv", SimpleUploadedFile("h.csv", hours_file(volunteers)), save=False)
    batch.status = status
    batch.heartbeat_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    batch.save()
    return batch


def test_an_import_that_stopped_making_progress_is_marked_failed_with_a_retry(client, unit):
    officer = officer_of(unit)
    batch = stuck_import(unit, officer)
    fresh = stuck_import(unit, officer, minutes_ago=1)
    assert mark_stalled_jobs() == 1
    batch.refresh_from_db()
    fresh.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "處理中斷" in batch.errors[0]["message"]
    assert fresh.status == ImportStatus.VALIDATING  # still making progress
    client.force_login(officer)
    page = client.get(reverse("volunteers:import_detail", kwargs={"pk": batch.pk})).content.decode()
    assert "處理中斷" in page
    assert reverse("volunteers:import_retry", kwargs={"pk": batch.pk}) in page


def test_try_again_imports_the_stored_file_once(client, unit, django_capture_on_commit_callbacks):
    officer = officer_of(unit)
    batch = stuck_import(unit, officer)
    mark_stalled_jobs()
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("volunteers:import_retry", kwargs={"pk": batch.pk}))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert ServiceRecord.objects.filter(import_batch=batch).count() == 3
    # The dead worker's message, redelivered later, finds the batch done and changes nothing.
    imports.run_import(batch.pk)
    assert ServiceRecord.objects.filter(import_batch=batch).count() == 3


def test_only_an_interrupted_import_can_be_retried(client, unit):
    officer = officer_of(unit)
    batch = stuck_import(unit, officer, status=ImportStatus.FAILED)  # refused for its rows, not stalled
    client.force_login(officer)
    client.post(reverse("volunteers:import_retry", kwargs={"pk": batch.pk}))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED


def test_a_queued_job_no_worker_ever_took_is_marked_failed_after_the_queue_wait(unit, settings):
    officer = officer_of(unit)
    waiting = stuck_import(unit, officer, status=ImportStatus.PENDING, minutes_ago=30)
    assert mark_stalled_jobs() == 0  # a busy worker may take half an hour to get to it
    waiting.heartbeat_at = timezone.now() - datetime.timedelta(seconds=settings.JOB_QUEUED_SECONDS + 60)
    waiting.save()
    assert mark_stalled_jobs() == 1


def test_a_card_batch_that_stopped_is_marked_failed_and_can_be_built_again(
    client, django_capture_on_commit_callbacks
):
    from tests.honorcards.factories import World

    world = World()
    card = world.issue()
    batch = PrintBatch.objects.create(unit=world.unit, created_by=world.officer, total=1, status="running")
    batch.cards.set([card])
    PrintBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    assert mark_stalled_jobs() == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and "處理中斷" in batch.error
    client.force_login(world.officer)
    assert (
        reverse("honorcards:batch_retry", kwargs={"pk": batch.pk})
        in client.get(reverse("honorcards:batch", kwargs={"pk": batch.pk})).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):  # eager: built at once
        client.post(reverse("honorcards:batch_retry", kwargs={"pk": batch.pk}))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.pdf


def test_the_beat_schedule_looks_for_stalled_jobs_and_the_visibility_timeout_fits_the_longest_job():
    tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.tasks.mark_stalled_jobs" in tasks
    assert (
        django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        > django_settings.JOB_STALLED_SECONDS
    )


# --- A real worker, killed ----------------------------------------------------------------------------


def _worker(env):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_an_import_is_noticed_and_try_again_finishes_it(
    client, tmp_path, settings
):
    from config.celery import app
    from tests.conftest import database_url, redis_for_tests, restore_broker, use_broker_of_shape

    media = tmp_path / "p"
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    volunteers = [member_of(unit) for _ in range(40)]
    data = hours_file(volunteers, rows_each=150)  # 6,000 rows: progress every 2,000
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    # The broker of the shape under test (Redis, or the embedded file broker in tmp_path/broker).
    previous = use_broker_of_shape(tmp_path)
    broker = app.conf.broker_url
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL")}
    env |= {
        "DATABASE_URL": database_url(),  # the test's database, PostgreSQL or the SQLite file
        "GOODDAY_VAR_DIR": str(tmp_path),  # with no Redis: the file broker above, a cache of its own
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PRIVATE_MEDIA_ROOT": str(media),
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,  # the same keys for ID numbers at rest
    }
    if broker.startswith("redis://"):
        env |= {"REDIS_URL": broker, "CACHE_URL": redis_for_tests(13)}
        with app.connection_for_write() as conn:
            conn.default_channel.client.flushdb()
    worker = _worker(env)
    try:
        batch = imports.start_import(
            unit=unit,
            actor=officer,
            kind=ImportKind.SERVICE_RECORDS,
            upload=SimpleUploadedFile("h.csv", data),
        )
        in_progress = (ImportStatus.VALIDATING, ImportStatus.IMPORTING)

        def mid_job():
            current = ImportBatch.objects.get(pk=batch.pk)
            return current.processed_rows > 0 and current.status in in_progress

        assert _wait(mid_job, timeout=120), "the worker was never seen in the middle of the job"
        os.killpg(worker.pid, signal.SIGKILL)  # mid-job: no acknowledgement, no status update
        worker.wait()
        batch.refresh_from_db()
        # Checking the rows or saving them (one transaction, of which nothing was committed): on an
        # idle machine the worker may have finished checking before the first look.
        assert batch.status in in_progress
        assert not ServiceRecord.objects.filter(import_batch=batch).exists()
        # Later, the beat task: no sign of life for longer than JOB_STALLED_SECONDS.
        later = timezone.now() + datetime.timedelta(seconds=settings.JOB_STALLED_SECONDS + 1)
        assert mark_stalled_jobs(now=later) == 1
        batch.refresh_from_db()
        assert batch.status == ImportStatus.FAILED and batch.errors[0]["stalled"]
        # Try again, with a new worker.
        worker = _worker(env)
        client.force_login(officer)
        client.post(reverse("volunteers:import_retry", kwargs={"pk": batch.pk}))
        assert _wait(lambda: ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.DONE, timeout=180)
        assert ServiceRecord.objects.filter(import_batch=batch).count() == 6000
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        restore_broker(previous)
        app.conf.task_always_eager = True
