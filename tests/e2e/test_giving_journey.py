"""A donor gives NT$500 by card and by ATM voucher through the sandbox gateway in a real browser,
downloads the receipt, and a reviewer refunds one gift, voiding its receipt."""

import pytest
from playwright.sync_api import expect

from accounts.roles import OrganisationKind, Role
from donations.models import Pledge, PledgeStatus, ReceiptStatus
from programs.constants import DEFAULT_CATEGORIES
from programs.models import Program
from tests.accounts.factories import OrganisationFactory, make_user
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_programs_pages import sign_in
from tests.programs.factories import ProgramFactory, category

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _sandbox(settings):
    settings.ECPAY_SANDBOX = True
    for slug in [c[1] for c in DEFAULT_CATEGORIES]:
        category(slug)


def give(page, live_server, program, channel_label):
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.get_by_role("link", name="我要捐款").click()
    assert_accessible(page, label="give form")
    page.get_by_label("捐款金額（新臺幣）").fill("500")
    page.get_by_role("radio", name=channel_label).check()
    page.get_by_label("捐款人姓名／公司名稱").fill("王小明")
    page.get_by_label("身分證字號或統一編號").fill("A123456789")
    page.get_by_role("button", name="前往付款").click()
    # The checkout form submits itself to the (sandbox) gateway.
    expect(page.get_by_role("heading", name="模擬金流（開發用）")).to_be_visible()


def test_donor_gives_by_card_and_atm_and_staff_refund_one(live_server, page):
    bureau = OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU, name="臺北市政府社會局E2E")
    program = ProgramFactory(bureau=bureau, published=True, title="獨居長者送餐", money_target=10000)
    donor = make_user(Role.DONOR, name="王小明")
    sign_in(page, live_server, donor)

    give(page, live_server, program, "信用卡")
    page.get_by_role("button", name="付款", exact=True).click()
    expect(page.get_by_text("已付款", exact=True)).to_be_visible()

    give(page, live_server, program, "ATM 轉帳")
    page.get_by_role("button", name="取得繳費資訊").click()
    expect(page.get_by_role("heading", name="繳費資訊")).to_be_visible()
    expect(page.get_by_text("虛擬帳號")).to_be_visible()

    page.goto(live_server.url + "/donations/")
    assert_accessible(page, label="donor dashboard")
    expect(page.get_by_role("heading", name="待繳費")).to_be_visible()
    receipt_href = page.locator("table a[href$='.pdf']").first.get_attribute("href")
    response = page.request.get(live_server.url + receipt_href)
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    page.goto(f"{live_server.url}/programs/{program.pk}/")
    expect(page.get_by_text("已募得 NT$500 / 目標 NT$10,000（5%）")).to_be_visible()

    card = Pledge.objects.get(status=PledgeStatus.PAID)
    page.context.clear_cookies()
    sign_in(page, live_server, make_user(Role.SW_REVIEWER, organisation=bureau))
    page.goto(f"{live_server.url}/donations/pledges/{card.merchant_trade_no}/")
    page.get_by_role("link", name="辦理退款").click()
    page.get_by_label("退款理由").fill("捐款人申請退款")
    page.get_by_role("button", name="確認退款").click()
    expect(page.get_by_text("已退款，收據已作廢。")).to_be_visible()
    card.refresh_from_db()
    assert card.status == PledgeStatus.REFUNDED
    assert card.receipts.get().status == ReceiptStatus.VOID
    assert Program.objects.get(pk=program.pk).money_raised == 0
