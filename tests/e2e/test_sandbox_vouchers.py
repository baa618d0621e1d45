"""Every channel can be walked in a browser: an ATM and a store-code voucher are paid from the
sandbox gateway's back office, as from ECPay's own."""

import pytest
from playwright.sync_api import expect

from accounts.roles import OrganisationKind, Role
from donations.models import Pledge, PledgeStatus
from tests.accounts.factories import OrganisationFactory, make_user
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_giving_journey import _sandbox, give  # noqa: F401 (an autouse fixture)
from tests.e2e.test_programs_pages import sign_in
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_atm_and_store_code_vouchers_are_paid_from_the_sandbox_back_office(live_server, page):
    bureau = OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU, name="臺北市政府社會局E2E")
    program = ProgramFactory(bureau=bureau, published=True, title="獨居長者送餐", money_target=10000)
    sign_in(page, live_server, make_user(Role.DONOR, name="王小明"))

    for channel, code_label in (("ATM 轉帳", "虛擬帳號"), ("超商代碼", "超商繳費代碼")):
        give(page, live_server, program, channel)
        page.get_by_role("button", name="取得繳費資訊").click()
        expect(page.get_by_text(code_label, exact=True)).to_be_visible()
        expect(page.get_by_text("待繳費", exact=True)).to_be_visible()
        trade_no = page.locator("dl.facts dd").first.inner_text().strip()

        page.get_by_role("link", name="（模擬金流）到金流後台繳費或讓它逾期").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("模擬金流後台")
        row = page.get_by_role("row").filter(has_text=trade_no)
        expect(row).to_be_visible()
        assert_accessible(page, label="sandbox back office")
        row.get_by_role("button", name=f"模擬付款 {trade_no}").click()
        expect(page.get_by_text(f"{trade_no}：已付款")).to_be_visible()
        expect(page.get_by_role("row").filter(has_text=trade_no)).to_contain_text("已付款")

        page.goto(f"{live_server.url}/donations/pledges/{trade_no}/")
        expect(page.get_by_text("已付款", exact=True)).to_be_visible()

    paid = Pledge.objects.filter(status=PledgeStatus.PAID)
    assert sorted(paid.values_list("channel", flat=True)) == ["atm", "cvs"]
    assert all(p.receipts.count() == 1 for p in paid)


def test_a_voucher_left_to_expire_closes_the_gift(live_server, page):
    program = ProgramFactory(published=True, title="獨居長者送餐", money_target=10000)
    sign_in(page, live_server, make_user(Role.DONOR, name="王小明"))
    give(page, live_server, program, "ATM 轉帳")
    page.get_by_role("button", name="取得繳費資訊").click()
    trade_no = page.locator("dl.facts dd").first.inner_text().strip()
    page.goto(live_server.url + "/payments/sandbox/vouchers/")
    page.get_by_role("button", name=f"讓它逾期 {trade_no}").click()
    expect(page.get_by_text(f"{trade_no}：繳費期限已過")).to_be_visible()
    page.goto(f"{live_server.url}/donations/pledges/{trade_no}/")
    expect(page.get_by_text("逾期未繳", exact=True)).to_be_visible()
    assert Pledge.objects.get(merchant_trade_no=trade_no).status == PledgeStatus.EXPIRED
