"""Work queued after a commit: a broker or cache that cannot be reached never turns a change that
was made into an error answer; staff find what could not be queued among the task failures."""

import pytest
from django.core.cache import cache

from audit.models import TaskFailure
from config.celery import app
from donations.models import PledgeStatus, Receipt
from programs.models import Program
from tests.conftest import use_broker
from tests.donations.factories import PledgeFactory
from tests.donations.test_notifications import notify, paid_params

pytestmark = pytest.mark.django_db

UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    previous = use_broker(UNREACHABLE)
    yield
    use_broker(previous)
    app.conf.task_always_eager = True


def test_a_payment_is_answered_ok_and_kept_when_its_thank_you_mail_cannot_be_queued(
    client, broker_down, django_capture_on_commit_callbacks
):
    pledge = PledgeFactory(amount=800, receipt_id_number="A123456789")
    with django_capture_on_commit_callbacks(execute=True):
        response = notify(client, paid_params(pledge))
    assert response.content == b"1|OK"  # the gateway must not resend a payment we recorded
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert Receipt.objects.filter(pledge=pledge).count() == 1
    failure = TaskFailure.objects.get()
    assert failure.task_name == "core.notify.send_email_task"
    assert "OperationalError" in failure.exception
    assert pledge.contact_email not in failure.exception + failure.traceback


def test_nothing_is_queued_or_recorded_for_a_refused_notification(
    client, broker_down, django_capture_on_commit_callbacks
):
    pledge = PledgeFactory(amount=800)
    with django_capture_on_commit_callbacks(execute=True):
        response = notify(client, paid_params(pledge, TradeAmt="1"))
    assert response.content.startswith(b"0|")
    assert not TaskFailure.objects.exists()


def test_a_cache_that_cannot_be_reached_leaves_the_change_made(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "incr", unreachable)
    monkeypatch.setattr(cache, "set", unreachable)
    pledge = PledgeFactory(amount=800)  # for a program: its cached pages are invalidated
    with django_capture_on_commit_callbacks(execute=True):
        response = notify(client, paid_params(pledge))
    assert response.content == b"1|OK"
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert Program.objects.get(pk=pledge.program_id).money_raised == 800
