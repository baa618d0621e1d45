"""ReturnURL / PaymentInfoURL: each check, repeats, and two repeats at once."""

import threading

import pytest
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from donations import ecpay
from donations.models import NotificationVerdict, PaymentNotification, PledgeStatus, Receipt
from programs.models import Program
from tests.donations.factories import PledgeFactory

pytestmark = pytest.mark.django_db


def paid_params(pledge, **overrides):
    params = {
        "MerchantID": "3002607",
        "MerchantTradeNo": pledge.merchant_trade_no,
        "StoreID": "",
        "RtnCode": "1",
        "RtnMsg": "交易成功",
        "TradeNo": "2411221234567890",
        "TradeAmt": str(pledge.amount),
        "PaymentDate": "2026/11/22 10:30:00",
        "PaymentType": "Credit_CreditCard",
        "PaymentTypeChargeFee": "14",
        "TradeDate": "2026/11/22 10:29:00",
        "SimulatePaid": "0",
    }
    params.update(overrides)
    return ecpay.sign(params)


def notify(client, params, endpoint="payments:ecpay_notify"):
    return client.post(reverse(endpoint), params)


def test_a_signed_paid_notification_is_recorded_once_and_answered_1_ok(
    client, program, mailoutbox, django_capture_on_commit_callbacks
):
    pledge = PledgeFactory(program=program, amount=500)
    with django_capture_on_commit_callbacks(execute=True):
        response = notify(client, paid_params(pledge))
    assert response.status_code == 200
    assert response.content == b"1|OK"
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert pledge.paid_at.year == 2026
    assert Program.objects.get(pk=program.pk).money_raised == 500
    receipt = Receipt.objects.get(pledge=pledge)
    assert receipt.number.startswith("115-")
    assert AuditEvent.objects.filter(action="pledge.paid", target_id=str(pledge.pk)).exists()
    assert "guest@example.tw" in mailoutbox[-1].to


def test_the_csrf_check_does_not_block_the_gateway(program):
    from django.test import Client

    pledge = PledgeFactory(program=program)
    response = Client(enforce_csrf_checks=True).post(reverse("payments:ecpay_notify"), paid_params(pledge))
    assert response.content == b"1|OK"


def test_a_repeat_is_answered_1_ok_and_counted_once(client, program):
    pledge = PledgeFactory(program=program, amount=500)
    params = paid_params(pledge)
    assert notify(client, params).content == b"1|OK"
    assert notify(client, params).content == b"1|OK"
    assert Program.objects.get(pk=program.pk).money_raised == 500
    assert Receipt.objects.filter(pledge=pledge).count() == 1
    verdicts = list(PaymentNotification.objects.order_by("id").values_list("verdict", flat=True))
    assert verdicts == [NotificationVerdict.RECORDED, NotificationVerdict.REPEAT]


def assert_refused(response, pledge, program, reason):
    assert response.status_code == 400
    assert response.content.decode().startswith("0|")
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PENDING
    assert pledge.paid_at is None
    assert Program.objects.get(pk=program.pk).money_raised == 0
    assert not Receipt.objects.exists()
    logged = PaymentNotification.objects.get()
    assert logged.verdict == NotificationVerdict.REJECTED
    assert reason in logged.reason


def test_a_forged_signature_records_nothing(client, program):
    pledge = PledgeFactory(program=program)
    params = paid_params(pledge) | {"CheckMacValue": "0" * 64}
    assert_refused(notify(client, params), pledge, program, "CheckMacValue")


def test_a_tampered_amount_breaks_the_signature_and_records_nothing(client, program):
    pledge = PledgeFactory(program=program, amount=500)
    params = paid_params(pledge) | {"TradeAmt": "50000"}
    assert_refused(notify(client, params), pledge, program, "CheckMacValue")


def test_a_signed_notification_with_the_wrong_amount_records_nothing(client, program):
    pledge = PledgeFactory(program=program, amount=500)
    assert_refused(notify(client, paid_params(pledge, TradeAmt="5")), pledge, program, "TradeAmt")


def test_another_merchants_notification_records_nothing(client, program):
    pledge = PledgeFactory(program=program)
    assert_refused(notify(client, paid_params(pledge, MerchantID="2000132")), pledge, program, "MerchantID")


def test_an_unknown_trade_records_nothing(client, program):
    pledge = PledgeFactory(program=program)
    response = notify(client, paid_params(pledge, MerchantTradeNo="GDUNKNOWN0000000001"))
    assert_refused(response, pledge, program, "Unknown")


def test_a_simulated_payment_is_acknowledged_but_not_counted(client, program):
    pledge = PledgeFactory(program=program)
    response = notify(client, paid_params(pledge, SimulatePaid="1"))
    assert response.content == b"1|OK"
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PENDING
    assert Program.objects.get(pk=program.pk).money_raised == 0
    assert PaymentNotification.objects.get().verdict == NotificationVerdict.IGNORED


def test_a_failed_payment_is_recorded_as_failed(client, program):
    pledge = PledgeFactory(program=program)
    notify(client, paid_params(pledge, RtnCode="10100058", RtnMsg="付款失敗"))
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.FAILED
    assert "10100058" in pledge.failed_reason


def test_an_atm_voucher_then_its_payment(client, program):
    pledge = PledgeFactory(program=program, channel="atm", amount=800)
    info = ecpay.sign(
        {
            "MerchantID": "3002607",
            "MerchantTradeNo": pledge.merchant_trade_no,
            "RtnCode": "2",
            "RtnMsg": "Get VirtualAccount Succeeded",
            "TradeNo": "2411220000000001",
            "TradeAmt": "800",
            "PaymentType": "ATM_TAISHIN",
            "TradeDate": "2026/11/22 10:00:00",
            "BankCode": "812",
            "vAccount": "9103522175887271",
            "ExpireDate": "2026/11/25",
        }
    )
    assert notify(client, info, "payments:ecpay_payment_info").content == b"1|OK"
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.AWAITING_PAYMENT
    assert pledge.voucher["vAccount"] == "9103522175887271"
    assert timezone.localtime(pledge.voucher_expires_at).strftime("%Y-%m-%d %H:%M") == "2026-11-25 23:59"
    assert notify(client, info, "payments:ecpay_payment_info").content == b"1|OK"  # repeat
    notify(client, paid_params(pledge, PaymentType="ATM_TAISHIN"))
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert pledge.channel == "atm"


def test_notification_endpoints_accept_only_post(client):
    assert client.get(reverse("payments:ecpay_notify")).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_two_repeats_at_once_record_the_payment_once(program):
    from django.test import Client

    pledge = PledgeFactory(program=program, amount=700)
    params = paid_params(pledge)
    barrier = threading.Barrier(2)
    answers = []

    def send():
        try:
            barrier.wait()
            answers.append(Client().post(reverse("payments:ecpay_notify"), params).content)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert answers == [b"1|OK", b"1|OK"]
    assert Program.objects.get(pk=program.pk).money_raised == 700
    assert Receipt.objects.filter(pledge=pledge).count() == 1
    assert AuditEvent.objects.filter(action="pledge.paid", target_id=str(pledge.pk)).count() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_sixteen_notifications_at_once_are_all_answered_and_record_one_payment(program, live_server):
    """ECPay retries a notification until it hears 1|OK, so repeats can arrive together. Each request
    here is a thread of the live server with its own database connection, as under `make run`: on
    SQLite (a file, as in production) none may fail with "database is locked"."""
    import urllib.parse
    import urllib.request

    pledge = PledgeFactory(program=program, amount=700)
    body = urllib.parse.urlencode(paid_params(pledge)).encode()
    url = live_server.url + reverse("payments:ecpay_notify")
    barrier = threading.Barrier(16)
    answers = []

    def send():
        barrier.wait()
        try:
            request = urllib.request.Request(url, data=body)  # noqa: S310 - the live server's http URL
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                answers.append((response.status, response.read()))
        except Exception as exc:  # a 500 or a timeout: the test reports what the sender got
            answers.append((getattr(exc, "code", None), str(exc).encode()))

    threads = [threading.Thread(target=send) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert answers == [(200, b"1|OK")] * 16
    assert Program.objects.get(pk=program.pk).money_raised == 700
    assert Receipt.objects.filter(pledge=pledge).count() == 1
    assert AuditEvent.objects.filter(action="pledge.paid", target_id=str(pledge.pk)).count() == 1
    assert PaymentNotification.objects.filter(merchant_trade_no=pledge.merchant_trade_no).count() == 16
