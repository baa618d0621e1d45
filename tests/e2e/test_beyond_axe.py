"""What axe-core does not see (issue 19), checked in Debian's Chromium:

1. dates survive editing: every ``type=date`` field shows a saved date, and keeps a typed date when
   the form comes back with errors, so saving again works;
2. no single-key action: typing "a" on the honor-card review screen does nothing; Alt+Shift+A
   approves, and the shortcuts can be switched off;
3. nothing off-screen: no page needs sideways scrolling at 320 CSS px, and the open signed-in menu
   stays on screen on a phone and at 200% and 400% zoom;
4. errors are found and announced: focus on the error summary (role=alert) linking to each field,
   "錯誤：" first in the title, aria-invalid on each field in error — login and hours forms included.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import OrganisationKind, Role
from disclosure.services import build_report
from donations import services as donation_services
from honorcards.models import Application, ApplicationStatus
from programs.constants import DEFAULT_CATEGORIES
from programs.models import Program
from tests.accounts.factories import OrganisationFactory, make_user
from tests.donations.factories import PledgeFactory
from tests.e2e.test_programs_pages import sign_in
from tests.honorcards.factories import World, eligible_volunteer
from tests.programs.factories import ProgramFactory, category
from tests.volunteers.factories import UnitFactory, member_of, officer_of

pytestmark = pytest.mark.django_db(transaction=True)

SAVED_START = datetime.date(2026, 11, 30)
SAVED_END = datetime.date(2027, 3, 31)
TYPED = "2026-11-02"


@pytest.fixture(autouse=True)
def _categories():
    for slug in [c[1] for c in DEFAULT_CATEGORIES]:
        category(slug)


@pytest.fixture
def bureau():
    return OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府社會局測試")


@pytest.fixture
def caseworker(bureau):
    return make_user(Role.CASEWORKER, organisation=bureau)


def date_values(page):
    """Each visible date field: its value attribute and whether the browser understood it."""
    return page.eval_on_selector_all(
        "input[type=date]",
        "els => els.filter(e => e.offsetParent !== null).map(e => ({name: e.name, value: e.value, "
        "parsed: e.valueAsDate !== null}))",
    )


# --- 1. Dates survive editing ---------------------------------------------------------------------


def test_a_saved_programs_dates_show_in_its_edit_form_and_save_again_unchanged(
    live_server, page, caseworker, bureau
):
    program = ProgramFactory(bureau=bureau, starts_on=SAVED_START, ends_on=SAVED_END, created_by=caseworker)
    sign_in(page, live_server, caseworker)
    page.goto(f"{live_server.url}/programs/{program.pk}/edit/")
    shown = {d["name"]: d for d in date_values(page)}
    assert shown["starts_on"] == {"name": "starts_on", "value": "2026-11-30", "parsed": True}
    assert shown["ends_on"] == {"name": "ends_on", "value": "2027-03-31", "parsed": True}
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#error-summary")).to_have_count(0)
    assert "此為必需欄位" not in page.content()
    program.refresh_from_db()
    assert (program.starts_on, program.ends_on) == (SAVED_START, SAVED_END)


def _forms_with_dates(live_server, bureau, caseworker):
    """(user, address) of every form with a date field, set up so the page can be opened."""
    published = ProgramFactory(bureau=bureau, published=True, created_by=caseworker)
    committee = make_user(Role.SW_REVIEWER)
    world = World()
    unit, officer = world.unit, world.officer
    member = member_of(unit, name="王小明")
    candidate = eligible_volunteer(unit, name="林佳蓉")
    return [
        (caseworker, "/programs/new/"),
        (caseworker, f"/programs/{published.pk}/updates/new/"),
        (caseworker, "/disclosure/spending/new/"),
        (committee, "/disclosure/committee/"),
        (officer, "/volunteers/hours/new/"),
        (officer, f"/volunteers/units/{unit.pk}/volunteers/new/"),
        (officer, f"/volunteers/people/{member.pk}/training/new/"),
        (officer, f"/volunteers/people/{member.pk}/awards/new/"),
        (officer, "/volunteers/events/new/"),
        (officer, f"/honor-cards/volunteers/{candidate.pk}/apply/", "服務紀錄冊編號"),
    ]


def test_every_date_field_keeps_a_typed_date_when_its_form_comes_back_with_errors(
    live_server, page, bureau, caseworker
):
    checked = []
    for user, address, *blank in _forms_with_dates(live_server, bureau, caseworker):
        page.context.clear_cookies()
        sign_in(page, live_server, user)
        page.goto(live_server.url + address)
        fields = page.locator("input[type=date]:visible")
        assert fields.count(), f"no date field on {address}"
        for i in range(fields.count()):
            fields.nth(i).fill(TYPED)
        # Everything else left as it is: a required field is empty, so the form comes back.
        for label in blank:
            page.get_by_label(label).fill("")
        fields.first.locator("xpath=ancestor::form").locator("button[type=submit]").first.click()
        expect(page.locator("#error-summary"), address).to_be_visible()
        for field in date_values(page):
            if field["name"]:
                assert field["value"] == TYPED and field["parsed"], f"{address}: {field}"
        checked.append(address)
    assert len(checked) == 10


def test_a_saved_service_records_date_shows_in_its_correction_form(live_server, page):
    from volunteers.hours import services as hours

    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    member = member_of(unit, name="王小明")
    day = timezone.localdate() - datetime.timedelta(days=3)
    record = hours.record_service(
        unit=unit,
        actor=officer,
        volunteer=member,
        served_on=day,
        hours="2",
        domain=unit.main_domain,
        activity="送餐",
    )
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/volunteers/hours/{record.pk}/correct/")
    assert {"name": "served_on", "value": day.isoformat(), "parsed": True} in date_values(page)


# --- 2. No single-key actions ---------------------------------------------------------------------


def test_typing_a_letter_on_the_review_screen_does_nothing_and_shortcuts_need_alt_shift(live_server, page):
    world = World()
    first = world.apply(eligible_volunteer(world.unit, name="林佳蓉"))
    sign_in(page, live_server, world.centre)
    page.goto(f"{live_server.url}/honor-cards/applications/{first.pk}/")
    page.locator("h1").click()  # focus somewhere that is not a field, as a reader would
    for key in ("a", "A", "r", "Shift+A"):
        page.keyboard.press(key)
    page.wait_for_timeout(300)
    first.refresh_from_db()
    assert first.status == ApplicationStatus.SUBMITTED
    assert page.url.endswith(f"/honor-cards/applications/{first.pk}/")

    # Switched off, even Alt+Shift+A does nothing — and the choice is remembered.
    page.get_by_label("使用鍵盤快速鍵").uncheck()
    page.reload()
    expect(page.get_by_label("使用鍵盤快速鍵")).not_to_be_checked()
    page.locator("h1").click()
    page.keyboard.press("Alt+Shift+A")
    page.wait_for_timeout(300)
    first.refresh_from_db()
    assert first.status == ApplicationStatus.SUBMITTED

    page.get_by_label("使用鍵盤快速鍵").check()
    page.locator("h1").click()
    page.keyboard.press("Alt+Shift+A")
    expect(page.get_by_text("初審通過，已送社會局複審")).to_be_visible()
    first.refresh_from_db()
    assert first.status == ApplicationStatus.CENTRE_APPROVED


# --- 3. Nothing off-screen ------------------------------------------------------------------------


def sideways_overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_no_page_needs_sideways_scrolling_at_320_css_pixels(live_server, page, bureau, caseworker):
    program = ProgramFactory(bureau=bureau, created_by=caseworker, description="說明" * 200)
    published = ProgramFactory(bureau=bureau, published=True, title="獨居長者送餐", money_target=10000)
    when = datetime.datetime(2026, 10, 5, 12, tzinfo=ZoneInfo("Asia/Taipei"))
    pledge = PledgeFactory(program=published, amount=500, donor_name="王小明")
    donation_services._mark_paid(pledge, paid_at=when, channel="credit")
    build_report(2026, 10)
    world = World()
    application = world.apply(eligible_volunteer(world.unit, name="林佳蓉"))
    pages = [
        (None, "/"),
        (None, "/programs/"),
        (None, f"/programs/{published.pk}/"),
        (None, "/disclosure/2026/10/"),
        (None, "/sitemap/"),
        (None, "/accessibility/"),
        (None, "/accounts/login/"),
        (caseworker, "/programs/new/"),
        (caseworker, f"/programs/{program.pk}/edit/"),
        (world.centre, f"/honor-cards/applications/{application.pk}/"),
        (caseworker, "/my-data/"),  # its account table (six columns) scrolled the page sideways
    ]
    page.set_viewport_size({"width": 320, "height": 640})
    wide = []
    for user, address in pages:
        page.context.clear_cookies()
        if user:
            sign_in(page, live_server, user)
        page.goto(live_server.url + address)
        if sideways_overflow(page) > 0:
            wide.append(f"{address}: {sideways_overflow(page)} px too wide")
    assert not wide, wide


@pytest.mark.parametrize(
    "viewport",
    [
        {"width": 375, "height": 700},  # a phone
        {"width": 640, "height": 450},  # 1280 px at 200% zoom
        {"width": 320, "height": 225},  # 1280 px at 400% zoom
    ],
    ids=["phone", "zoom200", "zoom400"],
)
def test_the_open_signed_in_menu_stays_on_screen_and_sign_out_is_reachable(
    live_server, page, caseworker, viewport
):
    sign_in(page, live_server, caseworker)
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/")
    page.locator(".role-menu summary").click()
    links = page.locator(".role-menu ul a")
    assert links.count() > 3
    outside = page.evaluate(
        """() => Array.from(document.querySelectorAll('.role-menu ul a')).filter((a) => {
             const box = a.getBoundingClientRect();
             return box.left < 0 || box.right > document.documentElement.clientWidth;
           }).map((a) => a.innerText)"""
    )
    assert not outside, f"menu items off-screen at {viewport['width']} px: {outside}"
    assert sideways_overflow(page) <= 0
    page.get_by_role("link", name="登出").click()
    expect(page).to_have_url(re.compile(r"/accounts/logout/"))


# --- 4. Errors are found and announced ------------------------------------------------------------


def test_a_failed_program_form_moves_focus_to_a_summary_linking_to_each_field(live_server, page, caseworker):
    sign_in(page, live_server, caseworker)
    page.goto(live_server.url + "/programs/new/")
    page.locator("main form button[type=submit]").first.click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    assert page.title().startswith("錯誤：")
    invalid = page.locator("[aria-invalid=true]")
    links = summary.locator("a")
    assert invalid.count() >= 1 and links.count() >= invalid.count() - 1
    # Every field in error is marked, and its message is its description.
    for i in range(invalid.count()):
        field = invalid.nth(i)
        described = field.get_attribute("aria-describedby") or ""
        assert f"{field.get_attribute('id')}_error" in described
    # A link in the summary puts focus into its field.
    target = links.first.get_attribute("href")
    links.first.click()
    expect(page.locator(target)).to_be_focused()


def test_a_failed_sign_in_is_announced_and_focused(live_server, page):
    user = make_user(Role.DONOR, email="donor@example.tw")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("電子信箱").fill(user.email)
    page.get_by_label("密碼").fill("not-the-password")
    page.locator("main form button[type=submit]").click()
    summary = page.locator("#error-summary[role=alert]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.title().startswith("錯誤：")


def test_the_hours_forms_errors_mark_their_fields(live_server, page):
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    member_of(unit, name="王小明")
    sign_in(page, live_server, officer)
    page.goto(live_server.url + "/volunteers/hours/new/")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("服務日期").fill(tomorrow.isoformat())
    page.get_by_label("服務時數").fill("0.3")
    page.get_by_role("button", name="登錄", exact=True).click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_label("服務日期")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("服務時數")).to_have_attribute("aria-invalid", "true")
    assert page.title().startswith("錯誤：")
    assert not Program.objects.exists()  # nothing else was touched
    assert Application.objects.count() == 0


HEADER_ITEMS = """() => [
    document.querySelector('.brand'),
    ...document.querySelectorAll('.main-nav li'),
    ...document.querySelectorAll('.user-nav > *'),
  ].map((e) => { const b = e.getBoundingClientRect(); return {text: e.innerText.trim(), top: b.top, bottom: b.bottom}; })"""


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_signed_in_header_fits_one_line_at_1280_px_for_every_role(live_server, page, language):
    """Every item of the header (brand, sections, the person's menu, the language switch) shares
    one line: each one's box overlaps every other's vertically."""
    page.set_viewport_size({"width": 1280, "height": 800})
    too_tall = []
    for role in Role:
        page.context.clear_cookies()
        user = make_user(role, name="歐陽志明", email=f"{role}-{language}@example.tw")
        sign_in(page, live_server, user)
        page.goto(f"{live_server.url}/language/?language={language}&next=/")
        items = page.evaluate(HEADER_ITEMS)
        assert len(items) > 5
        if max(i["top"] for i in items) >= min(i["bottom"] for i in items):
            lines = sorted({round(i["top"]) for i in items})
            too_tall.append(f"{role}: tops at {lines}")
    assert not too_tall, too_tall


def test_the_map_can_be_skipped_and_an_opened_popup_takes_focus(live_server, page, settings):
    from tests.dashboard.factories import DropOffPointFactory

    settings.MAP_TILE_URL = ""  # no tiles from the internet in tests
    DropOffPointFactory(name="萬華物資收件點")
    page.goto(live_server.url + "/map/")
    expect(page.locator("#welfare-map")).to_have_attribute("data-markers", "1")
    # One Tab stop past the filters, the skip link; Enter lands on the list, past every marker.
    page.get_by_role("button", name="篩選").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳過地圖，到地點清單")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#map-list-heading")).to_be_focused()
    # A marker opened with the keyboard moves focus into its popup.
    page.locator(".map-marker").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".map-popup")).to_be_visible()
    assert page.evaluate("() => !!document.activeElement.closest('.leaflet-popup')")
