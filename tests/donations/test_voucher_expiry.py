"""The beat job asks the gateway (over HTTP, here the local sandbox on the live test server)
about vouchers past their expiry, then closes or records them."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from donations import tasks
from donations.models import PledgeStatus, SandboxTrade
from tests.donations.factories import PledgeFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gateway(live_server, settings):
    settings.ECPAY_SANDBOX = True
    settings.SITE_URL = live_server.url
    return live_server


def overdue(**kwargs):
    pledge = PledgeFactory(
        status=PledgeStatus.AWAITING_PAYMENT,
        channel="atm",
        voucher_expires_at=timezone.now() - datetime.timedelta(hours=1),
        **kwargs,
    )
    return pledge


def test_an_unpaid_voucher_past_its_expiry_is_closed(gateway):
    pledge = overdue()
    SandboxTrade.objects.create(
        merchant_trade_no=pledge.merchant_trade_no,
        amount=pledge.amount,
        choose_payment="ATM",
        status="voucher",
        trade_no="1",
    )
    assert tasks.expire_overdue_vouchers() == {"paid": 0, "expired": 1, "errors": 0}
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.EXPIRED
    assert AuditEvent.objects.filter(action="pledge.expired", target_id=str(pledge.pk)).exists()


def test_a_voucher_the_gateway_says_was_paid_is_recorded_paid(gateway):
    pledge = overdue(amount=900)
    SandboxTrade.objects.create(
        merchant_trade_no=pledge.merchant_trade_no,
        amount=900,
        choose_payment="ATM",
        status="paid",
        trade_no="2",
    )
    assert tasks.expire_overdue_vouchers()["paid"] == 1
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert pledge.receipts.count() == 1


def test_vouchers_not_yet_expired_are_left_alone(gateway):
    pledge = PledgeFactory(
        status=PledgeStatus.AWAITING_PAYMENT, voucher_expires_at=timezone.now() + datetime.timedelta(hours=5)
    )
    assert tasks.expire_overdue_vouchers() == {"paid": 0, "expired": 0, "errors": 0}
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.AWAITING_PAYMENT


def test_an_unreachable_gateway_changes_nothing(settings, db):
    settings.ECPAY_SANDBOX = True
    settings.SITE_URL = "http://127.0.0.1:1"
    pledge = overdue()
    assert tasks.expire_overdue_vouchers() == {"paid": 0, "expired": 0, "errors": 1}
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.AWAITING_PAYMENT
