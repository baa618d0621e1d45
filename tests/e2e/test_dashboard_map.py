"""The public dashboard and the welfare map in a real browser: accessible, the map's filters change
the markers and the list, and the list works with JavaScript turned off."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from accounts.roles import OrganisationKind, Role
from dashboard.models import DropOffPoint
from donations import services as donation_services
from programs.constants import DEFAULT_CATEGORIES
from tests.accounts.factories import OrganisationFactory, make_user
from tests.dashboard.factories import DropOffPointFactory
from tests.donations.factories import PledgeFactory
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_programs_pages import sign_in
from tests.programs.factories import GoodsNeedFactory, ProgramFactory, ServiceNeedFactory, category
from tests.volunteers.factories import UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_tiles(settings):
    # Tests check the markers' data, not the tiles (and must not fetch them from the internet).
    settings.MAP_TILE_URL = ""
    for slug in [c[1] for c in DEFAULT_CATEGORIES]:
        category(slug)


@pytest.fixture
def places():
    children = ProgramFactory(
        published=True,
        category=category("children"),
        title="兒童冬衣募集",
        latitude=Decimal("25.0330"),
        longitude=Decimal("121.5654"),
        address="臺北市信義區市府路1號",
    )
    GoodsNeedFactory(program=children)
    elderly = ProgramFactory(
        published=True,
        category=category("elderly"),
        title="長者送餐服務",
        latitude=Decimal("25.0600"),
        longitude=Decimal("121.5200"),
    )
    ServiceNeedFactory(program=elderly)
    unit = UnitFactory(approved=True, latitude=Decimal("25.0480"), longitude=Decimal("121.5170"))
    DropOffPointFactory(name="萬華物資收件點", latitude=Decimal("25.0293"), longitude=Decimal("121.4948"))
    return {"children": children, "elderly": elderly, "unit": unit}


def marker_titles(page):
    return sorted(page.locator(".leaflet-marker-icon").evaluate_all("els => els.map(e => e.title)"))


def test_dashboard_is_accessible_and_shows_the_figures(live_server, page, places):
    pledge = PledgeFactory(program=places["children"], amount=1234)
    donation_services._mark_paid(
        pledge, paid_at=datetime.datetime.now(ZoneInfo("Asia/Taipei")), channel="credit"
    )
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("服務儀表板")
    expect(page.locator('[data-key="money_total"]')).to_have_text("NT$1,234")
    expect(page.get_by_role("table", name="主要指標的數值、定義與資料時間")).to_be_visible()
    assert_accessible(page, label="dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="下載全部數字（CSV）").click()
    with open(download.value.path(), encoding="utf-8-sig") as f:
        text = f.read()
    assert "money_total" in text and "1234" in text


def test_map_filters_change_the_markers_and_the_list(live_server, page, places):
    unit_name = places["unit"].organisation.name
    page.goto(live_server.url + "/map/")
    map_box = page.locator("#welfare-map")
    expect(map_box).to_have_attribute("data-markers", "4")
    assert marker_titles(page) == sorted(
        [
            "愛心方案：兒童冬衣募集",
            "愛心方案：長者送餐服務",
            f"志願服務運用單位：{unit_name}",
            "物資收件／保管點：萬華物資收件點",
        ]
    )
    assert_accessible(page, label="welfare map")

    page.get_by_label("方案類別").select_option(label="兒少福利")
    page.get_by_role("button", name="篩選").click()
    expect(map_box).to_have_attribute("data-markers", "1")
    assert marker_titles(page) == ["愛心方案：兒童冬衣募集"]
    list_box = page.locator(".point-list")
    expect(list_box.get_by_role("heading", name="兒童冬衣募集")).to_be_visible()
    expect(list_box.get_by_text("長者送餐服務")).to_have_count(0)

    page.get_by_label("方案類別").select_option(label="全部")
    page.get_by_label("需求類型").select_option(label="服務")
    page.get_by_role("button", name="篩選").click()
    expect(map_box).to_have_attribute("data-markers", "2")
    assert marker_titles(page) == sorted(["愛心方案：長者送餐服務", f"志願服務運用單位：{unit_name}"])
    expect(list_box.get_by_role("heading", name=unit_name)).to_be_visible()
    expect(list_box.get_by_text("兒童冬衣募集")).to_have_count(0)

    # A marker opens a popup naming the place and linking to the program.
    page.locator(".leaflet-marker-icon").first.click()
    expect(page.locator(".map-popup")).to_be_visible()


def test_the_list_and_filters_work_without_javascript(live_server, browser, places):
    context = browser.new_context(java_script_enabled=False, locale="zh-TW")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/map/")
        expect(page.locator("#welfare-map")).to_be_hidden()
        list_box = page.locator(".point-list")
        expect(list_box.locator("li")).to_have_count(4)
        page.get_by_label("地點種類").select_option(label="物資收件／保管點")
        page.get_by_role("button", name="篩選").click()
        assert "kind=dropoff" in page.url
        expect(list_box.locator("li")).to_have_count(1)
        expect(list_box.get_by_role("heading", name="萬華物資收件點")).to_be_visible()
    finally:
        context.close()


def test_the_page_without_the_map_script_is_accessible(live_server, page, places):
    # axe needs JavaScript to run, so the map's own scripts are blocked instead: the page as a
    # browser without JavaScript (or with the map failing to load) shows it.
    page.route("**/leaflet.js", lambda route: route.abort())
    page.route("**/dashboard/map.js", lambda route: route.abort())
    page.goto(live_server.url + "/map/?kind=program")
    expect(page.locator("#welfare-map")).to_be_hidden()
    expect(page.locator(".point-list li")).to_have_count(2)
    assert_accessible(page, label="welfare map without its script")


def test_staff_pick_a_dropoff_point_on_the_map(live_server, page):
    bureau = OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府社會局地圖測試")
    caseworker = make_user(Role.CASEWORKER, organisation=bureau)
    sign_in(page, live_server, caseworker)
    page.goto(live_server.url + "/map/dropoff-points/new/")
    assert_accessible(page, label="drop-off point form")
    picker = page.locator("[data-coordinate-picker]")
    expect(picker).to_be_visible()
    picker.click(position={"x": 120, "y": 100})
    expect(page.locator("#id_latitude")).not_to_have_value("")
    page.get_by_label("名稱").fill("大安收件點")
    page.get_by_label("地址").fill("臺北市大安區信義路三段")
    page.get_by_label("收受物資種類").fill("白米")
    page.get_by_label("開放時間").fill("週一至週五")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_text("已新增地點，將顯示於社福地圖。")).to_be_visible()
    point = DropOffPoint.objects.get(name="大安收件點")
    assert 24 < point.latitude < 26 and 121 < point.longitude < 122
    assert point.bureau == bureau
