"""A citizen follows a program from the home page, shares its link (the page's Open Graph card
checked), gives by card through the sandbox gateway, and after the bureau's spending is approved
sees on their dashboard what the gift's program bought."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import OrganisationKind, Role
from dashboard.models import DropOffPoint
from disclosure import services as disclosure_services
from disclosure.models import PayeeType
from programs.constants import DEFAULT_CATEGORIES
from programs.models import Program
from tests.accounts.factories import OrganisationFactory, make_user
from tests.e2e.conftest import assert_accessible, assert_keyboard_operable
from tests.e2e.test_programs_pages import sign_in
from tests.programs.factories import GoodsNeedFactory, ProgramFactory, category
from tests.programs.test_sharing import png_upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _sandbox(settings, live_server):
    settings.ECPAY_SANDBOX = True
    settings.SITE_URL = live_server.url
    for slug in [c[1] for c in DEFAULT_CATEGORIES]:
        category(slug)


def og(page, prop: str) -> str:
    return page.locator(f'meta[property="og:{prop}"]').get_attribute("content")


def test_from_the_home_page_to_sharing_giving_and_seeing_what_the_gift_bought(live_server, page):
    bureau = OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU, name="臺北市政府社會局E2E")
    program = ProgramFactory(
        bureau=bureau,
        published=True,
        title="颱風災民緊急救助",
        category=category("emergency"),
        money_target=100000,
        money_raised=0,
        cover_alt="志工在避難所發放礦泉水",
    )
    program.cover_image.save("cover.png", png_upload(size=(320, 180)), save=True)
    GoodsNeedFactory(program=program, item="礦泉水", quantity=300, unit="箱")
    ProgramFactory(bureau=bureau, published=True, title="其他方案", money_target=5000)
    common = {"bureau": bureau, "goods_accepted": "礦泉水", "opening_hours": "平日 9:00–17:00"}
    DropOffPoint.objects.create(
        name="北投收件點", address="臺北市北投區", latitude=25.132, longitude=121.501, **common
    )
    DropOffPoint.objects.create(
        name="萬華收件點", address="臺北市萬華區", latitude=25.033, longitude=121.500, **common
    )

    csp_violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp_violations.append(m.text))

    # 1. The home page asks: the emergency appeal on top, its progress, the goods it needs.
    page.goto(live_server.url + "/")
    appeals = page.get_by_role("region", name="現在最需要您的方案")
    expect(appeals.get_by_role("heading", level=3).first).to_have_text("颱風災民緊急救助")
    expect(page.get_by_role("region", name="現在最缺的物資")).to_contain_text("礦泉水")
    # "Nearest to me": the browser's location sorts the listed drop-off points, in the browser.
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 25.0335, "longitude": 121.5005})  # 萬華
    page.get_by_text("所有物資收件點（依行政區）").click()
    page.get_by_role("button", name="找離我最近的收件點").click()
    expect(page.locator("#nearest-result")).to_contain_text("離您最近：萬華收件點")
    expect(page.locator("#dropoff-points li").first).to_contain_text("萬華收件點")
    assert_accessible(page, label="home page")
    appeals.get_by_role("link", name="颱風災民緊急救助").click()

    # 2. The program page: its photo with the caseworker's alt text, and a card for shared links.
    expect(page.get_by_role("heading", level=1)).to_have_text("颱風災民緊急救助")
    expect(page.get_by_role("img", name="志工在避難所發放礦泉水")).to_be_visible()
    page_url = f"{live_server.url}/programs/{program.pk}/"
    assert og(page, "title") == "颱風災民緊急救助"
    assert og(page, "url") == page_url
    assert og(page, "image") == live_server.url + Program.objects.get(pk=program.pk).cover_image.url
    assert "NT$0／目標 NT$100,000" in og(page, "description")
    assert page.request.get(og(page, "image")).headers["content-type"].startswith("image/")
    line = page.get_by_role("link", name=re.compile("分享到 LINE"))
    assert page_url.replace(":", "%3A").replace("/", "%2F") in line.get_attribute("href")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.get_by_role("button", name="複製連結").click()
    expect(page.locator(".copy-status")).to_have_text("已複製連結")
    assert page.evaluate("navigator.clipboard.readText()") == page_url
    poster_href = page.get_by_role("link", name=re.compile("列印海報")).get_attribute("href")
    poster = page.request.get(live_server.url + poster_href)
    assert poster.headers["content-type"] == "application/pdf"
    assert_accessible(page, label="program page")
    assert_keyboard_operable(page, label="program page")
    assert not csp_violations, csp_violations  # the share buttons and the schema.org block included

    # 3. A donor gives NT$500 by card.
    donor = make_user(Role.DONOR, name="王小明")
    sign_in(page, live_server, donor)
    page.goto(page_url)
    page.get_by_role("link", name="我要捐款").click()
    page.get_by_label("捐款金額（新臺幣）").fill("500")
    page.get_by_role("radio", name="信用卡").check()
    page.get_by_label("捐款人姓名／公司名稱").fill("王小明")
    page.get_by_label("身分證字號或統一編號").fill("A123456789")
    page.get_by_role("button", name="前往付款").click()
    expect(page.get_by_role("heading", name="模擬金流（開發用）")).to_be_visible()
    page.get_by_role("button", name="付款", exact=True).click()
    expect(page.get_by_text("已付款", exact=True)).to_be_visible()

    # 4. The bureau records what it bought; the social welfare bureau approves it.
    caseworker = make_user(Role.CASEWORKER, organisation=bureau)
    reviewer = make_user(Role.SW_REVIEWER, organisation=bureau)
    page.goto(live_server.url + "/donations/")
    expect(page.get_by_role("region", name="我的捐贈用在哪裡")).to_contain_text("尚無核定的支出")
    spending = disclosure_services.record_spending(
        actor=caseworker,
        program=program,
        spent_on=timezone.localdate(),
        item="礦泉水 20 箱",
        amount=400,
        payee_type=PayeeType.VENDOR,
        voucher_number="115-SW-0420",
    )
    disclosure_services.approve_spending(spending=spending, actor=reviewer)

    # 5. The donor's dashboard shows what the gift's program bought since the gift.
    page.goto(live_server.url + "/donations/")
    use = page.get_by_role("region", name="我的捐贈用在哪裡")
    expect(use).to_contain_text("礦泉水 20 箱")
    expect(use).to_contain_text("115-SW-0420")
    expect(use).to_contain_text("NT$400")
    assert_accessible(page, label="donor dashboard")

    # The public program page lists the same line (its cache was refreshed by the approval).
    page.context.clear_cookies()
    page.goto(page_url)
    expect(page.locator("table.spending-lines")).to_contain_text("115-SW-0420")
