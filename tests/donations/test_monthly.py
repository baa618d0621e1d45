"""Monthly gifts: ECPay's periodic authorisation, a pledge and receipt per month, stoppable."""

import re

import pytest
from django.urls import reverse

from donations import ecpay
from donations.models import Pledge, PledgeStatus, RecurringGift
from programs.models import Program

pytestmark = pytest.mark.django_db


def start_monthly(client, program):
    response = client.post(
        reverse("donations:give") + f"?program={program.pk}",
        {
            "amount": 300,
            "channel": "credit",
            "donor_kind": "person",
            "donor_name": "王小明",
            "disclosure_mode": "anonymous",
            "monthly": "on",
        },
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def test_a_monthly_gift_signs_periodic_terms_and_records_each_month_once(client, donor, program, settings):
    settings.ECPAY_SANDBOX = True
    client.force_login(donor)
    fields = start_monthly(client, program)
    assert (fields["PeriodType"], fields["Frequency"], fields["ExecTimes"], fields["PeriodAmount"]) == (
        "M",
        "1",
        "12",
        "300",
    )
    assert fields["PeriodReturnURL"].endswith("/payments/ecpay/period/")
    assert ecpay.is_signed_correctly(fields)
    client.post(reverse("payments:sandbox"), fields)
    trade_no = fields["MerchantTradeNo"]
    client.post(reverse("payments:sandbox_act"), {"MerchantTradeNo": trade_no, "action": "pay"})
    client.post(reverse("payments:sandbox_act"), {"MerchantTradeNo": trade_no, "action": "next_month"})
    client.post(reverse("payments:sandbox_act"), {"MerchantTradeNo": trade_no, "action": "next_month"})
    pledges = Pledge.objects.filter(donor=donor, status=PledgeStatus.PAID)
    assert pledges.count() == 3
    assert all(p.receipts.count() == 1 for p in pledges)
    assert Program.objects.get(pk=program.pk).money_raised == 900
    recurring = RecurringGift.objects.get()
    assert recurring.charges.count() == 2


def test_a_repeated_period_notification_is_counted_once(client, donor, program, settings):
    from donations import services
    from donations.models import SandboxTrade

    settings.ECPAY_SANDBOX = True
    client.force_login(donor)
    fields = start_monthly(client, program)
    client.post(reverse("payments:sandbox"), fields)
    client.post(
        reverse("payments:sandbox_act"), {"MerchantTradeNo": fields["MerchantTradeNo"], "action": "pay"}
    )
    from donations.sandbox import period_params

    trade = SandboxTrade.objects.get()
    trade.periods_charged = 2
    params = period_params(trade)
    assert services.handle_period_notification(params) == "1|OK"
    assert services.handle_period_notification(params) == "1|OK"
    assert Pledge.objects.filter(donor=donor, status=PledgeStatus.PAID).count() == 2
    forged = params | {"Amount": "30000"}
    assert services.handle_period_notification(forged).startswith("0|")


@pytest.mark.django_db(transaction=True)
def test_donors_stop_their_own_monthly_gift_and_the_gateway_charges_no_more(
    client, donor, program, make_user, settings, live_server
):
    settings.ECPAY_SANDBOX = True
    # The cancel request really goes over HTTP to the sandbox, a thread of the live server: on SQLite it
    # waits for the write lock, so a stop that kept its transaction open across the call would fail.
    settings.SITE_URL = live_server.url
    client.force_login(donor)
    fields = start_monthly(client, program)
    client.post(reverse("payments:sandbox"), fields)
    trade_no = fields["MerchantTradeNo"]
    client.post(reverse("payments:sandbox_act"), {"MerchantTradeNo": trade_no, "action": "pay"})
    recurring = RecurringGift.objects.get()
    client.force_login(make_user())
    assert client.post(reverse("donations:stop_monthly", args=[recurring.pk])).status_code == 404
    client.force_login(donor)
    client.post(reverse("donations:stop_monthly", args=[recurring.pk]))
    recurring.refresh_from_db()
    assert not recurring.is_active and recurring.stopped_at is not None
    client.post(reverse("payments:sandbox_act"), {"MerchantTradeNo": trade_no, "action": "next_month"})
    assert Pledge.objects.filter(donor=donor, status=PledgeStatus.PAID).count() == 1


def test_a_stop_the_gateway_did_not_confirm_changes_nothing(client, donor, program, settings):
    settings.ECPAY_SANDBOX = True
    settings.SITE_URL = "http://127.0.0.1:1"
    client.force_login(donor)
    start_monthly(client, program)
    recurring = RecurringGift.objects.get()
    response = client.post(reverse("donations:stop_monthly", args=[recurring.pk]), follow=True)
    assert "扣款尚未停止" in response.content.decode()
    recurring.refresh_from_db()
    assert recurring.is_active


def test_monthly_gifts_need_a_card(client, donor, program):
    client.force_login(donor)
    response = client.post(
        reverse("donations:give") + f"?program={program.pk}",
        {
            "amount": 300,
            "channel": "atm",
            "donor_kind": "person",
            "donor_name": "王小明",
            "disclosure_mode": "full",
            "monthly": "on",
        },
    )
    assert "僅限信用卡" in response.content.decode()
    assert not Pledge.objects.exists()
