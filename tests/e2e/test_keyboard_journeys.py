"""Keyboard-only use of the volunteers, honor-card and dashboard pages.

1. The main pages of those journeys: Tab reaches every control, focus is always visible, no trap
   (``assert_keyboard_operable``).
2. Whole journeys without a mouse: a unit officer applies for a volunteer's honor card, the centre
   approves it, the bureau issues it (and a returned one is corrected); a unit files its service plan,
   the centre and the competent bureau review it, and the officer records hours — only ``page.keyboard``
   (Tab, Shift+Tab, Enter, Space, typing). ``page.goto`` stands for typing an address in the browser's
   address bar; the operating system's file dialog (opened from the file field with Enter) is
   answered with ``FileChooser.set_files``, as a person would pick the file there.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from honorcards import services as card_services
from honorcards.models import Application, ApplicationStatus, HonorCard
from tests.dashboard.factories import DropOffPointFactory
from tests.e2e.conftest import assert_keyboard_operable
from tests.e2e.test_programs_pages import sign_in
from tests.honorcards.factories import World, eligible_volunteer, image_bytes
from tests.volunteers.factories import UnitFactory, bureau_caseworker_of, centre_staff, member_of, officer_of
from volunteers.models import ImportBatch, ImportKind, ImportStatus, PlanStatus, ServicePlan, ServiceRecord

pytestmark = pytest.mark.django_db(transaction=True)

_FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  // A scrollable region (a wide table's wrapper) takes focus too: it is named by aria-label only.
  if (!el.matches('a, button, input, select, textarea, summary')) return el.getAttribute('aria-label') || '';
  const labels = el.labels ? Array.from(el.labels).map((l) => l.innerText).join(' ') : '';
  return [el.getAttribute('aria-label') || '', labels, el.innerText || '', el.value || ''].join(' ').trim();
}
"""


def tab_to(page, text: str, *, limit: int = 150, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element's name, label or text contains ``text``."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if text in page.evaluate(_FOCUSED):
            return
    raise AssertionError(f"Tab never reached an element named {text!r} on {page.url}")


@pytest.fixture(autouse=True)
def _intercept_file_dialogs(page):
    """Playwright turns on file-dialog interception when the first listener is added; adding one at
    the start (not just before the key press) keeps the first dialog from racing past it."""
    page.on("filechooser", lambda chooser: None)


@pytest.fixture(autouse=True)
def _private_files(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    monkeypatch.setattr(
        ImportBatch._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path / "p")
    )


def test_the_main_pages_of_the_volunteer_card_and_map_journeys_work_by_keyboard(live_server, page, settings):
    settings.SITE_URL = live_server.url
    world = World()
    unit, officer = world.unit, world.officer
    volunteer = eligible_volunteer(unit, name="林佳蓉")
    other = eligible_volunteer(unit, name="陳建宏")
    application = world.apply(other)
    card = world.issue()
    ImportBatch.objects.create(
        unit=unit,
        kind=ImportKind.SERVICE_RECORDS,
        original_name="h.csv",
        created_by=officer,
        status=ImportStatus.DONE,
    )
    DropOffPointFactory(bureau=world.reviewer.organisation or unit.organisation.competent_bureau)
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 7)
    problems = []

    def check(path, label, ready=None):
        page.goto(live_server.url + path)
        if ready:
            # A locator assertion polls from outside the page (wait_for_function would evaluate a
            # string inside it, which our CSP forbids once the first check fails).
            expect(page.locator(ready[0])).to_have_attribute(ready[1], re.compile(r"\d"))
        try:
            assert_keyboard_operable(page, label=label)
        except AssertionError as exc:
            problems.append(str(exc))

    sign_in(page, live_server, officer)
    check(f"/volunteers/units/{unit.pk}/plans/new/", "plan form")
    check("/volunteers/hours/new/", "hours form")
    check(f"/volunteers/hours/week/?week={monday.isoformat()}", "week grid")
    check("/volunteers/imports/", "import page")
    check(f"/honor-cards/volunteers/{volunteer.pk}/check/", "eligibility check")
    check(f"/honor-cards/volunteers/{volunteer.pk}/apply/", "honor-card application form")
    check("/honor-cards/eligible/", "eligible list")
    sign_in(page, live_server, world.centre)
    check(f"/honor-cards/applications/{application.pk}/", "centre review screen")
    check("/honor-cards/queue/", "centre queue")
    page.context.clear_cookies()
    check(f"/honor-cards/v/{card.token}/", "public card check page")
    check("/dashboard/", "dashboard")
    # The map's markers (Leaflet, keyboard: true) are in the Tab order too, once the GeoJSON is drawn.
    check("/map/", "welfare map and its list", ready=("#welfare-map", "data-markers"))
    assert page.evaluate("document.getElementById('welfare-map').dataset.markers") == "1"
    assert not problems, "\n".join(problems)


def test_an_officer_applies_and_the_centre_and_bureau_approve_by_keyboard_alone(
    live_server, page, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    world = World()
    volunteer = eligible_volunteer(world.unit, name="黃美珍")
    (tmp_path / "me.png").write_bytes(image_bytes())

    # The officer opens the eligibility check and follows the link to the application form.
    sign_in(page, live_server, world.officer)
    page.goto(f"{live_server.url}/honor-cards/volunteers/{volunteer.pk}/check/")
    expect(page.get_by_role("heading", name="榮譽卡資格檢核：黃美珍")).to_be_visible()
    tab_to(page, "為此志工申請榮譽卡")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="申請榮譽卡：黃美珍")).to_be_visible()

    # The record-book number is typed over the one on file.
    tab_to(page, "服務紀錄冊編號")
    page.keyboard.press("Control+a")
    page.keyboard.type("北市志字第777777號")
    # The photo: Enter on the file field opens the system's file dialog.
    tab_to(page, "大頭照")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(str(tmp_path / "me.png"))
    tab_to(page, "送出申請")
    page.keyboard.press("Enter")
    expect(page.get_by_text("待志推中心初審").first).to_be_visible()
    application = Application.objects.get(volunteer=volunteer)
    assert application.record_book_number == "北市志字第777777號"

    # The centre tabs to the approve button and presses Enter.
    sign_in(page, live_server, world.centre)
    page.goto(f"{live_server.url}/honor-cards/applications/{application.pk}/")
    tab_to(page, "初審通過")
    page.keyboard.press("Enter")
    expect(page.get_by_text("初審通過，已送社會局複審")).to_be_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CENTRE_APPROVED

    # The bureau's card reviewer issues the card with Space on the button.
    sign_in(page, live_server, world.reviewer)
    page.goto(f"{live_server.url}/honor-cards/applications/{application.pk}/")
    tab_to(page, "核准並核發")
    page.keyboard.press("Space")
    expect(page.get_by_text("已核發榮譽卡")).to_be_visible()
    card = HonorCard.objects.get(volunteer=volunteer)

    # The card's QR code (tested in test_honorcard_journey) opens the public check page: usable by keyboard.
    page.context.clear_cookies()
    page.goto(card.verify_url)
    expect(page.get_by_role("status")).to_contain_text("有效")
    assert_keyboard_operable(page, label="public card check page")


def test_a_returned_application_is_corrected_and_resubmitted_by_keyboard(
    live_server, page, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    world = World()
    application = world.apply(eligible_volunteer(world.unit, name="周志豪"))
    card_services.return_application(application=application, actor=world.centre, reason="請換正面照")
    (tmp_path / "me.png").write_bytes(image_bytes())

    sign_in(page, live_server, world.officer)
    page.goto(f"{live_server.url}/honor-cards/applications/{application.pk}/")
    expect(page.get_by_text("請換正面照").first).to_be_visible()
    tab_to(page, "補正後重新送出")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="補正榮譽卡申請：周志豪")).to_be_visible()
    tab_to(page, "大頭照")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(str(tmp_path / "me.png"))
    tab_to(page, "補正後重新送出")
    page.keyboard.press("Enter")
    expect(page.get_by_text("已補正並重新送出")).to_be_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_unit_files_its_plan_the_two_reviews_pass_and_hours_are_recorded_by_keyboard_alone(
    live_server, page, settings
):
    settings.SITE_URL = live_server.url
    unit = UnitFactory()
    officer, centre, caseworker = officer_of(unit), centre_staff(), bureau_caseworker_of(unit)
    member_of(unit, name="鄭雅文")
    year_label = f"{timezone.localdate().year - 1911}年度志願服務計畫"

    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/volunteers/units/{unit.pk}/plans/new/")
    tab_to(page, "服務項目與內容")
    page.keyboard.type("門診引導、病房關懷")
    tab_to(page, "預計運用志工人數")
    page.keyboard.press("Control+a")
    page.keyboard.type("20")
    tab_to(page, "儲存草稿")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="送出備案")).to_be_visible()
    tab_to(page, "送出備案")
    page.keyboard.press("Enter")
    expect(page.get_by_text("計畫已送出，等待志願服務推廣中心初審。")).to_be_visible()

    for reviewer, button, done in (
        (centre, "初審通過", "初審通過，已送目的事業主管機關複審。"),
        (caseworker, "複審核備", "複審核備完成，單位即可登錄服務時數。"),
    ):
        page.context.clear_cookies()
        sign_in(page, live_server, reviewer)
        page.goto(live_server.url + "/volunteers/reviews/")
        tab_to(page, year_label)
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name=button)).to_be_visible()
        tab_to(page, button)
        page.keyboard.press("Enter")
        expect(page.get_by_text(done)).to_be_visible()
    assert ServicePlan.objects.get(unit=unit).status == PlanStatus.APPROVED

    # The officer records 2.5 hours: the volunteer is chosen with the arrow keys, the rest is typed.
    page.context.clear_cookies()
    sign_in(page, live_server, officer)
    page.goto(live_server.url + "/volunteers/hours/new/")
    tab_to(page, "志工：")  # the field's label (the site's menu has links about 志工 too)
    page.keyboard.press("ArrowDown")
    tab_to(page, "服務時數")
    page.keyboard.type("2.5")
    page.keyboard.press("Enter")
    expect(page.get_by_text("已登錄 鄭雅文 2.5 小時。")).to_be_visible()
    assert ServiceRecord.objects.get(unit=unit).hours == Decimal("2.5")


# --- The check itself can fail ------------------------------------------------------------------


def test_the_keyboard_check_accepts_date_fields_radio_groups_and_closed_menus(page):
    page.set_content(
        '<a href="#a">a</a><input aria-label="x"><input type="date" aria-label="d">'
        '<input type="radio" name="r" aria-label="r1"><input type="radio" name="r" aria-label="r2">'
        '<details><summary>menu</summary><a href="#b">b</a></details><button>go</button>'
    )
    assert_keyboard_operable(page)


@pytest.mark.parametrize(
    ("html", "complaint"),
    [
        ('<a href="#a">a</a><a href="#b" tabindex="-1">b</a>', "not reachable by Tab"),
        ('<style>a:focus{outline:none}</style><a href="#a">a</a>', "focus not visible"),
        (
            '<a href="#a">a</a><input id="t" aria-label="t"><button>b</button><script>'
            'document.getElementById("t").addEventListener("keydown", e => {'
            'if (e.key === "Tab") e.preventDefault(); })</script>',
            "keyboard trap",
        ),
    ],
)
def test_the_keyboard_check_refuses_skipped_controls_hidden_focus_and_traps(page, html, complaint):
    page.set_content(html)
    with pytest.raises(AssertionError, match=complaint):
        assert_keyboard_operable(page)
