"""Real trips through the broker (Redis, or the embedded default's files): tasks run by a Celery worker."""

import time

import pytest
from celery import shared_task
from celery.contrib.testing.worker import start_worker
from django.core import mail

from audit.models import TaskFailure
from config.celery import app
from core.notify import send_email_task
from tests.conftest import restore_broker, use_broker_of_shape


@shared_task(name="tests.worker_fails")
def worker_fails(national_id):
    raise RuntimeError(f"cannot process {national_id}")


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


def wait_for(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_task_sent_through_redis_is_run_by_a_worker(worker):
    send_email_task.delay(["someone@example.tw"], "測試", "內容")
    assert wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[-1].subject == "[好日子] 測試"
    assert mail.outbox[-1].to == ["someone@example.tw"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_task_failing_in_the_worker_is_recorded_for_staff_without_id_numbers(worker):
    worker_fails.delay("A123456789")
    assert wait_for(lambda: TaskFailure.objects.filter(task_name="tests.worker_fails").exists())
    failure = TaskFailure.objects.get(task_name="tests.worker_fails")
    assert "A123456789" not in failure.exception + failure.traceback
    assert "A12****789" in failure.exception
