"""Under `make run` tasks go to the worker (not run inside the request), so a long import answers at
once and its page polls a progress bar that moves until the batch is done."""

import datetime
import re
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from tests.conftest import restore_broker, use_broker_of_shape
from tests.volunteers.factories import UnitFactory, member_of, officer_of
from tests.volunteers.test_imports import HEADER, csv_bytes
from volunteers.models import ImportBatch, ImportKind, ImportStatus, ServiceRecord


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_import_run_by_the_worker_shows_a_progress_bar_that_moves_to_done(
    client, settings, tmp_path, monkeypatch
):
    from django.core.files.storage import FileSystemStorage

    monkeypatch.setattr(
        ImportBatch._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path / "p")
    )
    unit = UnitFactory(approved=True)
    people = [member_of(unit) for _ in range(4)]
    today = timezone.localdate()
    rows = [HEADER] + [
        [p.identity_number, p.name, (today - datetime.timedelta(days=d)).isoformat(), "1", "", ""]
        for d in range(1, 31)
        for p in people
    ]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    previous = use_broker_of_shape(tmp_path)
    try:
        client.force_login(officer_of(unit))
        response = client.post(
            reverse("volunteers:import_list"),
            {"kind": ImportKind.SERVICE_RECORDS, "file": SimpleUploadedFile("hours.csv", csv_bytes(rows))},
        )
        assert response.status_code == 302  # answered before any row was read: the job is queued
        batch = ImportBatch.objects.get()
        progress = reverse("volunteers:import_progress", args=[batch.pk])
        first = client.get(progress, HTTP_HX_REQUEST="true").content.decode()
        assert 'hx-trigger="every 1s"' in first and 'value="0"' in first

        seen = []
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            for _ in range(600):
                fragment = client.get(progress, HTTP_HX_REQUEST="true")
                seen += [
                    int(v) for v in re.findall(r'<progress[^>]*value="(\d+)"', fragment.content.decode())
                ]
                if fragment.get("HX-Refresh"):
                    break
                time.sleep(0.2)
    finally:
        restore_broker(previous)
        app.conf.task_always_eager = True
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE, batch.errors
    assert ServiceRecord.objects.filter(import_batch=batch).count() == 120
    # The page showed 0 when the job was queued (above); a fast worker may be past it by the first poll.
    assert seen[-1] == 100 and seen == sorted(seen)
