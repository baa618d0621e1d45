"""Import progress tells the truth: a refused file shows every row checked, and the bar moves
while a real Celery worker (through the shape's broker: Redis or files) checks a big file."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from config.celery import app
from tests.conftest import restore_broker, use_broker_of_shape
from tests.volunteers.factories import UnitFactory, member_of, officer_of
from tests.volunteers.test_imports import HEADER, _private_files, csv_bytes, upload, yesterday  # noqa: F401
from volunteers.imports import services as imports
from volunteers.models import ImportBatch, ImportKind, ImportStatus


@pytest.mark.django_db
def test_a_refused_import_shows_every_row_checked(client, django_capture_on_commit_callbacks):
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    people = [member_of(unit) for _ in range(8)]
    rows = [[p.identity_number, "", yesterday().isoformat(), "2", "", ""] for p in people]
    rows.append([people[0].identity_number, "", "2999-01-01", "1", "", ""])  # the 9th row is bad
    with django_capture_on_commit_callbacks(execute=True):
        batch = imports.start_import(
            unit=unit,
            actor=officer,
            kind=ImportKind.SERVICE_RECORDS,
            upload=upload("h.csv", csv_bytes([HEADER, *rows])),
        )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert (batch.processed_rows, batch.total_rows) == (9, 9)
    client.force_login(officer)
    fragment = client.get(reverse("volunteers:import_progress", kwargs={"pk": batch.pk})).content.decode()
    assert "已檢查 9 / 9 列" in fragment and 'value="100"' in fragment


@pytest.fixture
def worker(settings, tmp_path):
    """A real worker on the broker of the shape under test: Redis, or the embedded file broker."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    previous = use_broker_of_shape(tmp_path)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
        yield w
    restore_broker(previous)
    app.conf.task_always_eager = True


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_bar_moves_while_a_worker_checks_a_big_file(worker, monkeypatch):
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    person = member_of(unit)
    rows = [[person.identity_number, "", yesterday().isoformat(), "0.25", "", ""] for _ in range(600)]
    # Each row takes a little while, as on a loaded server; reports every 50 rows, at most every 0.1 s.
    monkeypatch.setattr(imports, "PROGRESS_SECONDS", 0.1)
    checked = imports._service_row

    def slow_row(*args, **kwargs):
        time.sleep(0.004)
        return checked(*args, **kwargs)

    monkeypatch.setattr(imports, "_service_row", slow_row)
    batch = imports.start_import(
        unit=unit,
        actor=officer,
        kind=ImportKind.SERVICE_RECORDS,
        upload=upload("big.csv", csv_bytes([HEADER, *rows])),
    )
    seen = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        current = ImportBatch.objects.values("status", "processed_rows", "total_rows").get(pk=batch.pk)
        seen.add(current["processed_rows"])
        if current["status"] in (ImportStatus.DONE, ImportStatus.FAILED):
            break
        time.sleep(0.02)
    batch.refresh_from_db()
    assert batch.total_rows == 600 and batch.processed_rows == 600
    # The 24-hour rule refuses 150 hours on one day, after every row was checked.
    assert batch.status == ImportStatus.FAILED
    assert any(0 < n < 600 for n in seen), seen
