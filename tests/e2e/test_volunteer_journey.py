"""A unit registers online and files its plan; the volunteer centre approves it first, the competent
bureau second; the officer adds a volunteer; the volunteer opens their own résumé. Axe on each page."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import OrganisationKind, Role
from tests.accounts.factories import OrganisationFactory, add_totp, make_user
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_programs_pages import sign_in
from tests.volunteers.factories import ServiceRecordFactory
from volunteers.models import PlanStatus, ServicePlan, Volunteer, VolunteerUnit

pytestmark = pytest.mark.django_db(transaction=True)


def switch_user(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user)


def test_unit_registers_files_its_plan_gets_both_reviews_and_adds_a_volunteer(live_server, page):
    bureau = OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府衛生局E2E")
    OrganisationFactory(kind=OrganisationKind.VOLUNTEER_CENTRE, name="志推中心E2E")
    centre = make_user(Role.CENTRE_STAFF)
    caseworker = make_user(Role.CASEWORKER, organisation=bureau)
    applicant = make_user(Role.DONOR, name="林小華")

    page.goto(live_server.url + "/volunteers/")
    expect(page.get_by_role("heading", name="運用單位如何加入")).to_be_visible()
    assert_accessible(page, label="volunteers landing (public)")

    sign_in(page, live_server, applicant)
    page.goto(live_server.url + "/volunteers/")
    page.get_by_role("link", name="申請成立志願服務運用單位").click()
    assert_accessible(page, label="unit registration")
    page.get_by_label("運用單位名稱").fill("臺北市E2E醫院志工隊")
    page.get_by_label("目的事業主管機關").select_option(label="臺北市政府衛生局E2E")
    page.get_by_label("主要服務領域").select_option(label="衛生保健")
    page.get_by_label("地址").fill("臺北市中正區中山南路1號")
    page.get_by_label("電話").fill("02-2345-6789")
    page.get_by_label("聯絡人").fill("林小華")
    page.get_by_role("button", name="送出註冊").click()
    # The new officer is staff now: the site asks for two-factor sign-in before anything else.
    expect(page).to_have_url(re.compile(r"/mfa/|totp"))
    officer = User.objects.get(pk=applicant.pk)
    assert officer.role == Role.UNIT_OFFICER
    add_totp(officer)
    sign_in(page, live_server, officer)  # signing in again, now with the second factor
    unit = VolunteerUnit.objects.get(organisation__name="臺北市E2E醫院志工隊")

    page.goto(f"{live_server.url}/volunteers/units/{unit.pk}/plans/new/")
    assert_accessible(page, label="plan form")
    page.get_by_label("服務項目與內容").fill("門診引導、病房關懷")
    page.get_by_label("預計運用志工人數").fill("20")
    page.get_by_role("button", name="儲存草稿").click()
    expect(page.get_by_role("button", name="送出備案")).to_be_visible()
    assert_accessible(page, label="plan detail (draft)")
    page.get_by_role("button", name="送出備案").click()
    expect(page.get_by_text("計畫已送出，等待志願服務推廣中心初審。")).to_be_visible()

    switch_user(page, live_server, centre)
    page.goto(live_server.url + "/volunteers/reviews/")
    assert_accessible(page, label="centre review queue")
    page.get_by_role("link", name=f"{datetime.date.today().year - 1911}年度志願服務計畫").click()
    assert_accessible(page, label="plan review (first)")
    page.get_by_role("button", name="初審通過").click()
    expect(page.get_by_text("初審通過，已送目的事業主管機關複審。")).to_be_visible()

    switch_user(page, live_server, caseworker)
    page.goto(live_server.url + "/volunteers/reviews/")
    page.get_by_role("link", name=f"{datetime.date.today().year - 1911}年度志願服務計畫").click()
    page.get_by_role("button", name="複審核備").click()
    expect(page.get_by_text("複審核備完成，單位即可登錄服務時數。")).to_be_visible()
    assert ServicePlan.objects.get(unit=unit).status == PlanStatus.APPROVED

    switch_user(page, live_server, officer)
    page.goto(f"{live_server.url}/volunteers/units/{unit.pk}/")
    assert_accessible(page, label="unit page")
    page.get_by_role("link", name="登錄志工").first.click()
    assert_accessible(page, label="volunteer form")
    page.get_by_label("姓名").fill("歐陽美玲")
    page.get_by_label("證件號碼").fill("A123456789")
    page.get_by_label("出生日期").fill("1955-03-30")
    page.get_by_label("性別").select_option(label="女")
    page.get_by_label("服務領域").select_option(label="衛生保健")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_role("heading", name="歐陽美玲")).to_be_visible()
    # Masked by default; shown whole on purpose, with a reason (audited).
    expect(page.get_by_text("A12****789")).to_be_visible()
    assert page.get_by_text("A123456789").count() == 0
    assert_accessible(page, label="volunteer page")
    page.get_by_text("顯示完整證件號碼").click()
    page.get_by_label("查看完整證件號碼的理由").fill("辦理保險加保")
    page.get_by_role("button", name="顯示", exact=True).click()
    expect(page.get_by_text("A123456789")).to_be_visible()
    page.goto(f"{live_server.url}/volunteers/units/{unit.pk}/volunteers/")
    assert_accessible(page, label="roster")

    switch_user(page, live_server, centre)
    page.goto(live_server.url + "/volunteers/statistics/")
    assert_accessible(page, label="statistics")


def test_a_volunteer_opens_their_own_resume(live_server, page):
    from tests.volunteers.factories import UnitFactory, member_of

    unit = UnitFactory(approved=True, organisation__name="E2E長青志工隊")
    user = make_user(Role.VOLUNTEER)
    volunteer = member_of(unit, name="蔡美玲", user=user)
    ServiceRecordFactory(volunteer=volunteer, unit=unit, hours=Decimal("3.5"))
    other = member_of(unit, name="別人")
    sign_in(page, live_server, user)
    page.goto(live_server.url + "/volunteers/")
    page.get_by_role("link", name="我的服務履歷").first.click()
    expect(page.get_by_role("heading", name="服務履歷：蔡美玲")).to_be_visible()
    assert_accessible(page, label="résumé")
    response = page.request.get(f"{live_server.url}/volunteers/people/{volunteer.pk}/resume.pdf")
    assert response.body().startswith(b"%PDF")
    assert page.request.get(f"{live_server.url}/volunteers/people/{other.pk}/resume/").status == 404
    assert Volunteer.objects.count() == 2
