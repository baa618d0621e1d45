"""The sandbox gateway's back office: issued ATM/store vouchers are paid or left to expire, as in
ECPay's own, so every channel's journey can be walked without posting to it by hand."""

import pytest
from django.urls import reverse

from donations.models import PledgeStatus, SandboxTrade
from programs.models import Program
from tests.donations.test_giving import give_through_sandbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def voucher(client, donor, program, settings):
    settings.ECPAY_SANDBOX = True
    client.force_login(donor)
    return give_through_sandbox(client, program, "atm", ["voucher"])


def back_office(client, trade_no=None, action=None):
    url = reverse("payments:sandbox_vouchers")
    if action is None:
        return client.get(url).content.decode()
    return client.post(url, {"MerchantTradeNo": trade_no, "action": action}, follow=True).content.decode()


def test_the_back_office_lists_issued_vouchers_with_their_codes(client, voucher):
    page = back_office(client)
    assert voucher.merchant_trade_no in page
    assert voucher.voucher["vAccount"] in page
    assert "模擬付款" in page and "讓它逾期" in page


def test_simulate_payment_records_the_gift_paid_with_a_receipt(client, voucher, program):
    page = back_office(client, voucher.merchant_trade_no, "pay")
    assert f"{voucher.merchant_trade_no}：已付款" in page
    voucher.refresh_from_db()
    assert voucher.status == PledgeStatus.PAID
    assert voucher.receipts.count() == 1
    assert Program.objects.get(pk=program.pk).money_raised == voucher.amount
    assert "目前沒有待繳費的交易。" in back_office(client)


def test_letting_it_expire_closes_the_gift_and_it_can_no_longer_be_paid(client, voucher, program):
    assert "繳費期限已過" in back_office(client, voucher.merchant_trade_no, "expire")
    voucher.refresh_from_db()
    assert voucher.status == PledgeStatus.EXPIRED
    assert SandboxTrade.objects.get(merchant_trade_no=voucher.merchant_trade_no).status == "expired"
    assert "無法再繳費" in back_office(client, voucher.merchant_trade_no, "pay")
    voucher.refresh_from_db()
    assert voucher.status == PledgeStatus.EXPIRED
    assert Program.objects.get(pk=program.pk).money_raised == 0


def test_unknown_trades_and_actions_get_a_message_not_an_error(client, voucher):
    assert "未知的模擬動作" in back_office(client, voucher.merchant_trade_no, "steal")
    assert "只有已取得繳費資訊" in back_office(client, "NOSUCHTRADE", "expire")
    response = client.post(reverse("payments:sandbox_act"), {"MerchantTradeNo": "NOSUCH", "action": "pay"})
    assert response.status_code in (302, 404)


def test_the_back_office_is_off_without_the_sandbox(client, settings):
    settings.ECPAY_SANDBOX = False
    assert client.get(reverse("payments:sandbox_vouchers")).status_code == 404
