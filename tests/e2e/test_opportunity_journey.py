"""A citizen finds an opportunity on the board (search in Chinese), applies, the unit's officer
accepts, the citizen signs in and out at the shift with the venue's QR code on a phone, the
officer confirms the hours, and the citizen sees them on their résumé. axe on the board and the
opportunity page at desktop and phone widths."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opportunities import services
from opportunities.models import Application, ApplicationStatus
from tests.e2e.conftest import PHONE, assert_accessible, assert_keyboard_operable
from tests.e2e.test_beyond_axe import sideways_overflow
from tests.e2e.test_programs_pages import sign_in
from tests.opportunities.factories import citizen, identity, opportunity_fields
from tests.volunteers.factories import UnitFactory, officer_of
from volunteers.models import ServiceRecord, ServiceRecordSource, ShiftSignup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings, live_server):
    settings.SITE_URL = live_server.url
    unit = UnitFactory(approved=True, organisation__name="萬華社區關懷志工隊")
    officer = officer_of(unit)
    today = timezone.localdate()
    opportunity = services.create_opportunity(
        unit=unit,
        actor=officer,
        **opportunity_fields(title="長者共餐陪伴志工", starts_on=today, ends_on=today, suits_family=True),
    )
    services.add_shift(
        opportunity=opportunity,
        actor=officer,
        date=today,
        starts_at=datetime.time(0, 0),
        ends_at=datetime.time(23, 59),
        capacity=5,
        task="共餐陪伴",
    )
    services.publish_opportunity(opportunity=opportunity, actor=officer)
    return {"officer": officer, "opportunity": opportunity, "citizen": citizen(name="陳小華")}


def test_a_citizen_finds_applies_is_accepted_serves_and_sees_the_hours(live_server, page, world):
    opportunity, officer, person = world["opportunity"], world["officer"], world["citizen"]

    # 1. The board, searched in Chinese, and the opportunity's page (anonymous, as a search engine sees it).
    page.goto(live_server.url + "/opportunities/")
    expect(page.get_by_role("heading", name="志工招募", exact=True)).to_be_visible()
    assert_accessible(page, label="board")
    assert_keyboard_operable(page, label="board")
    page.get_by_label("關鍵字").fill("共餐")
    page.get_by_label("適合對象").select_option("family")
    page.get_by_role("button", name="篩選").click()
    page.get_by_role("link", name="長者共餐陪伴志工").click()
    expect(page.get_by_role("heading", name="長者共餐陪伴志工")).to_be_visible()
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert_accessible(page, label="opportunity page")
    page.set_viewport_size({"width": 320, "height": 640})  # 320 px reflow: nothing sideways
    assert sideways_overflow(page) <= 0
    page.go_back()
    assert sideways_overflow(page) <= 0
    page.go_forward()
    page.set_viewport_size({"width": 1280, "height": 900})

    # 2. Signed in, the citizen applies with the few details the unit needs.
    sign_in(page, live_server, person)
    page.reload()
    page.get_by_role("link", name="我要報名").click()
    expect(page.get_by_label("姓名")).to_have_value("陳小華")
    assert_accessible(page, label="apply form")
    page.get_by_role("checkbox").first.check()
    details = identity(31)
    page.get_by_label("證件號碼").fill("A1")
    page.get_by_label("出生日期").fill(details["birth_date"].isoformat())
    page.get_by_label("性別").select_option(details["sex"])
    page.get_by_role("button", name="送出報名").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the error summary: a bad ID number
    assert not Application.objects.exists()
    page.get_by_label("證件號碼").fill(details["identity_number"])
    page.get_by_role("button", name="送出報名").click()
    expect(page.get_by_text("已送出報名")).to_be_visible()
    expect(page.get_by_text("待審核")).to_be_visible()
    assert_accessible(page, label="my applications")

    # 3. The officer accepts (with the insurance warning the registry gives).
    staff = page.context.browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei")
    office = staff.new_page()
    sign_in(office, live_server, officer)
    office.goto(f"{live_server.url}/opportunities/manage/{opportunity.pk}/")
    assert_accessible(office, label="manage opportunity")
    office.get_by_role("link", name="審核").click()
    assert_accessible(office, label="decision form")
    office.get_by_label("錄取").check()
    office.get_by_role("button", name="送出").click()
    expect(office.get_by_text("已完成審核並通知報名者")).to_be_visible()
    expect(office.get_by_text("沒有有效的志工意外事故保險")).to_be_visible()
    application = Application.objects.get()
    assert application.status == ApplicationStatus.ACCEPTED and application.volunteer.user_id == person.pk

    office.goto(f"{live_server.url}/opportunities/manage/new/")
    assert_accessible(office, label="posting form")
    office.goto(f"{live_server.url}/opportunities/manage/{opportunity.pk}/")

    # 4. At the venue: the QR code on the officer's screen, the citizen's phone signs in and out.
    office.get_by_role("link", name="班次名單、簽到 QR code 與時數確認").click()
    office.get_by_role("link", name="顯示今日簽到 QR Code").click()
    qr_page = office.url
    phone = page.context.browser.new_context(viewport=PHONE, locale="zh-TW", timezone_id="Asia/Taipei")
    mobile = phone.new_page()
    sign_in(mobile, live_server, person)
    mobile.goto(office.get_by_role("link", name="簽到網址").get_attribute("href"))
    mobile.get_by_role("button", name="確認簽到").click()
    expect(mobile.get_by_text("簽到成功")).to_be_visible()
    signup = ShiftSignup.objects.get(volunteer=application.volunteer)
    ShiftSignup.objects.filter(pk=signup.pk).update(
        signed_in_at=timezone.now() - datetime.timedelta(hours=2, minutes=5)
    )
    office.goto(qr_page)
    mobile.goto(office.get_by_role("link", name="簽到網址").get_attribute("href"))
    mobile.get_by_role("button", name="確認簽退").click()
    expect(mobile.get_by_text("簽退成功")).to_be_visible()

    # 5. The officer confirms the hours; the citizen sees them on the résumé.
    office.goto(f"{live_server.url}/volunteers/events/{opportunity.event_id}/")
    office.get_by_role("button", name="確認時數").click()
    expect(office.get_by_text("已確認 陳小華 2 小時。")).to_be_visible()
    record = ServiceRecord.objects.get(source=ServiceRecordSource.EVENT)
    assert record.volunteer == application.volunteer
    mobile.goto(live_server.url + "/volunteers/me/")
    expect(mobile.get_by_role("heading", name="服務時數")).to_be_visible()
    expect(mobile.get_by_text("萬華社區關懷志工隊").first).to_be_visible()
    phone.close()
    staff.close()
