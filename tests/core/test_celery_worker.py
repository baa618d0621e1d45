"""One real trip through the broker: a task queued on Redis and run by a Celery worker."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery import app
from core.notify import send_email_task

REDIS = "redis://127.0.0.1:6379/14"


@pytest.fixture
def real_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    saved = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)
    app.conf.update(broker_url=REDIS, result_backend=REDIS, task_always_eager=False)
    yield app
    app.conf.update(broker_url=saved[0], result_backend=saved[1], task_always_eager=saved[2])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_task_sent_through_redis_is_run_by_a_worker(real_broker):
    with start_worker(real_broker, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = send_email_task.delay(["someone@example.tw"], "測試", "內容")
        assert result.get(timeout=20) == 1
    assert mail.outbox[-1].subject == "[好日子] 測試"
    assert mail.outbox[-1].to == ["someone@example.tw"]
