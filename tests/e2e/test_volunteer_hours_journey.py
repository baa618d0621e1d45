"""A unit officer records hours by form and by the week grid, imports an XLSX with a bad row (errors
shown, nothing imported) then a good one, and runs an event: a volunteer signs in and out on a
phone-sized page opened from the QR code, and the officer confirms the hours."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import make_user
from tests.e2e.conftest import PHONE, assert_accessible
from tests.e2e.test_programs_pages import sign_in
from tests.volunteers.factories import UnitFactory, member_of, officer_of
from volunteers.events import services as events
from volunteers.models import ImportBatch, ServiceRecord, ServiceRecordSource, ShiftSignup

pytestmark = pytest.mark.django_db(transaction=True)


def xlsx(path, rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


@pytest.fixture(autouse=True)
def _private_files(tmp_path, monkeypatch):
    """Uploaded files go to the test's folder (the field's storage is fixed when models load)."""
    from django.core.files.storage import FileSystemStorage

    monkeypatch.setattr(
        ImportBatch._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path / "p")
    )


@pytest.fixture
def world(settings, live_server):
    settings.SITE_URL = live_server.url
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    volunteer_user = make_user(Role.VOLUNTEER)
    mei = member_of(unit, name="蔡美玲", user=volunteer_user)
    wang = member_of(unit, name="王小明")
    return {"unit": unit, "officer": officer, "mei": mei, "wang": wang, "volunteer_user": volunteer_user}


def test_an_officer_records_hours_three_ways_and_runs_an_event(live_server, page, world, tmp_path):
    officer, mei, wang = world["officer"], world["mei"], world["wang"]
    today = timezone.localdate()
    sign_in(page, live_server, officer)

    # 1. One record by form, with the keyboard.
    page.goto(live_server.url + "/volunteers/hours/new/")
    expect(page.get_by_role("heading", name="登錄服務時數")).to_be_visible()
    assert_accessible(page, label="record hours form")
    page.get_by_label("志工").select_option(label=f"王小明（{wang.masked_identity}）")
    page.get_by_label("服務日期").fill(today.isoformat())
    page.get_by_label("服務時數").fill("1.1")
    page.get_by_label("服務時數").press("Enter")
    expect(page.locator(".errorlist").get_by_text("0.25 小時（15 分鐘）為單位，例如")).to_be_visible()
    page.get_by_label("服務時數").fill("1.5")
    page.get_by_label("服務時數").press("Enter")
    expect(page.get_by_text("已登錄 王小明 1.5 小時。")).to_be_visible()

    # 2. A week of hours on the grid.
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    page.goto(f"{live_server.url}/volunteers/hours/week/?week={monday.isoformat()}")
    assert_accessible(page, label="week grid")
    roc = f"{monday.year - 1911:03d}.{monday.month:02d}.{monday.day:02d}"
    page.get_by_label(f"蔡美玲 {roc}").fill("3")
    page.get_by_label(f"王小明 {roc}").fill("2.25")
    page.get_by_role("button", name="儲存週表").click()
    expect(page.get_by_text("週表已儲存：新增 2 筆")).to_be_visible()
    assert ServiceRecord.objects.filter(source=ServiceRecordSource.GRID).count() == 2

    # 3. An import with a bad row: refused whole, the row named.
    header = ["證件號碼", "姓名", "服務日期", "服務時數", "服務領域", "服務內容"]
    day = (today - datetime.timedelta(days=2)).isoformat()
    bad = xlsx(
        tmp_path / "bad.xlsx",
        [
            header,
            [mei.identity_number, "蔡美玲", day, "2", "", ""],
            [wang.identity_number, "王小明", day, "2.2", "", ""],
        ],
    )
    page.goto(live_server.url + "/volunteers/imports/")
    assert_accessible(page, label="import page")
    page.get_by_label("匯入類別").select_option(label="服務紀錄")
    page.get_by_label("檔案（.xlsx 或 .csv）").set_input_files(str(bad))
    page.get_by_role("button", name="上傳並檢查").click()
    expect(page.get_by_text("整份檔案都沒有匯入")).to_be_visible()
    errors = page.get_by_role("table", name="錯誤清單")
    expect(errors.get_by_role("row").nth(1)).to_contain_text("3")
    expect(errors.get_by_role("row").nth(1)).to_contain_text("服務時數")
    assert_accessible(page, label="import errors")
    assert not ServiceRecord.objects.filter(source=ServiceRecordSource.IMPORT).exists()

    good = xlsx(
        tmp_path / "good.xlsx",
        [
            header,
            [mei.identity_number, "蔡美玲", day, "2", "", ""],
            [wang.identity_number, "王小明", day, "2.25", "", ""],
        ],
    )
    page.goto(live_server.url + "/volunteers/imports/")
    page.get_by_label("匯入類別").select_option(label="服務紀錄")
    page.get_by_label("檔案（.xlsx 或 .csv）").set_input_files(str(good))
    page.get_by_role("button", name="上傳並檢查").click()
    expect(page.get_by_text("全部 2 列已匯入。")).to_be_visible()
    expect(page.get_by_label("已檢查 2 / 2 列")).to_have_attribute("value", "100")
    assert ImportBatch.objects.filter(imported_rows=2).count() == 1

    # 4. An event with a shift today; the volunteer signs up on their phone.
    page.goto(live_server.url + "/volunteers/events/new/")
    assert_accessible(page, label="event form")
    page.get_by_label("活動名稱").fill("院內導引服務")
    page.get_by_label("地點").fill("仁愛院區大廳")
    page.get_by_label("服務領域").select_option(label="衛生保健")
    page.get_by_label("開始日期").fill(today.isoformat())
    page.get_by_label("結束日期").fill(today.isoformat())
    page.get_by_role("button", name="建立活動").click()
    expect(page.get_by_text("活動已建立")).to_be_visible()
    page.get_by_role("link", name="新增班次").click()
    page.get_by_label("日期").fill(today.isoformat())
    page.get_by_label("開始時間").fill("00:00")
    page.get_by_label("結束時間").fill("23:59")
    page.get_by_label("工作內容").fill("門診導引")
    page.get_by_label("名額").fill("5")
    page.get_by_role("button", name="新增班次").click()
    expect(page.get_by_text("班次已新增。")).to_be_visible()
    assert_accessible(page, label="event detail")
    page.get_by_role("link", name="顯示今日簽到 QR Code").click()
    expect(page.locator("figure.qr-code svg")).to_be_visible()
    assert_accessible(page, label="QR page")
    check_in_url = page.get_by_role("link", name="簽到網址").get_attribute("href")
    assert check_in_url.startswith(live_server.url)

    phone = page.context.browser.new_context(viewport=PHONE, locale="zh-TW", timezone_id="Asia/Taipei")
    mobile = phone.new_page()
    sign_in(mobile, live_server, world["volunteer_user"])
    mobile.goto(live_server.url + "/volunteers/events/open/")
    assert_accessible(mobile, label="open events")
    mobile.get_by_role("button", name="報名").click()
    expect(mobile.get_by_text("已報名「院內導引服務」")).to_be_visible()

    # The venue's code changes every minute: read the one on the screen now (the QR page).
    qr_page = page.url
    page.goto(qr_page)
    check_in_url = page.get_by_role("link", name="簽到網址").get_attribute("href")
    mobile.goto(check_in_url)
    assert_accessible(mobile, label="check-in page")
    mobile.get_by_role("button", name="確認簽到").click()
    expect(mobile.get_by_text("簽到成功")).to_be_visible()
    expect(mobile.get_by_text("沒有您今天有效的志工意外事故保險紀錄")).to_be_visible()
    signup = ShiftSignup.objects.get(volunteer=mei)
    ShiftSignup.objects.filter(pk=signup.pk).update(
        signed_in_at=timezone.now() - datetime.timedelta(hours=2, minutes=5)
    )
    page.goto(qr_page)
    mobile.goto(page.get_by_role("link", name="簽到網址").get_attribute("href"))
    mobile.get_by_role("button", name="確認簽退").click()
    expect(mobile.get_by_text("簽退成功")).to_be_visible()
    expect(mobile.get_by_text("約 2 小時")).to_be_visible()
    phone.close()

    # 5. The officer confirms the hours.
    page.goto(f"{live_server.url}/volunteers/events/{signup.shift.event_id}/")
    expect(page.get_by_label("確認時數")).to_have_value("2")
    page.get_by_role("button", name="確認時數").click()
    expect(page.get_by_text("已確認 蔡美玲 2 小時。")).to_be_visible()
    record = ServiceRecord.objects.get(source=ServiceRecordSource.EVENT)
    assert record.hours == Decimal("2") and record.volunteer == mei

    # The list shows all of it.
    page.goto(live_server.url + "/volunteers/hours/")
    assert_accessible(page, label="hours list")
    assert events.signed_hours(ShiftSignup.objects.get(pk=signup.pk)) == Decimal("2")
