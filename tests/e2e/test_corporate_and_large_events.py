"""Corporate volunteering and a large event's volunteer plan, walked in a browser with axe on each
page: a company registers its team (tax ID by check digit) and its roster; the volunteer centre
matches it to a unit's shift; the company accepts; the unit enrols the members; after the service
the company reads its CSR report. An organiser files a large event's plan and the competent bureau
approves it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import OrganisationKind, Role
from corporate import coordinators
from corporate.models import CorporateTeam, MatchStatus, TeamMatch
from largeevents.models import LargeEventPlan, LargeEventPlanStatus
from tests.accounts.factories import OrganisationFactory, make_user
from tests.corporate.factories import event_of, shift_of
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_programs_pages import sign_in
from tests.volunteers.factories import InsurancePolicyFactory, UnitFactory, centre_staff, officer_of
from volunteers.events import services as event_services
from volunteers.models import ShiftSignup

pytestmark = pytest.mark.django_db(transaction=True)


def switch_user(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user)


def test_a_company_team_is_registered_matched_enrolled_and_sees_its_report(live_server, page):
    unit = UnitFactory(approved=True, organisation__name="E2E河濱志工隊")
    officer = officer_of(unit)
    shift = shift_of(event_of(unit, creator=officer, title="E2E河濱淨灘"), capacity=6)
    centre = centre_staff()
    donor = make_user(Role.DONOR, name="林品妤")

    sign_in(page, live_server, donor)
    page.goto(live_server.url + "/corporate/")
    assert_accessible(page, label="corporate landing")
    page.get_by_role("link", name="登錄企業志工隊").click()
    assert_accessible(page, label="team registration")
    page.get_by_label("企業名稱").fill("E2E好日子科技股份有限公司")
    page.get_by_label("統一編號").fill("22099132")  # wrong check digit first
    page.get_by_label("志工隊名稱").fill("E2E好日子志工隊")
    page.get_by_label("聯絡電話").fill("02-2720-8889")
    page.get_by_label("可參與人數").fill("30")
    page.get_by_label("環境保護").check()
    page.get_by_label("週末").check()
    page.get_by_role("button", name="送出登錄").click()
    expect(page.get_by_role("alert")).to_contain_text("統一編號檢查碼錯誤")
    assert_accessible(page, label="team registration with errors")
    page.get_by_label("統一編號").fill("22099131")
    page.get_by_role("button", name="送出登錄").click()
    expect(page.get_by_role("heading", name="E2E好日子志工隊")).to_be_visible()
    assert_accessible(page, label="team page (coordinator)")
    team = CorporateTeam.objects.get()

    page.get_by_role("link", name="隊員名單").click()
    page.get_by_label("姓名").fill("周佳穎")
    page.get_by_label("證件號碼").fill("A123456789")
    page.get_by_label("出生日期").fill("1988-03-15")
    page.get_by_label("性別").select_option(label="女")
    page.get_by_label("隊員已同意提供以上資料").check()
    page.get_by_role("button", name="加入名單").click()
    expect(page.get_by_text("A12****789")).to_be_visible()
    assert page.get_by_text("A123456789").count() == 0
    assert_accessible(page, label="roster")

    colleague = make_user(Role.DONOR, name="王可欣", email="e2e-colleague@example.org")
    page.goto(live_server.url + f"/corporate/teams/{team.pk}/")
    page.get_by_role("link", name="聯絡窗口").click()
    page.get_by_label("聯絡窗口的電子郵件").fill("e2e-colleague@example.org")
    page.get_by_role("button", name="新增聯絡窗口").click()
    expect(page.get_by_text("對方會收到邀請信")).to_be_visible()
    assert_accessible(page, label="coordinators")
    # The colleague accepts the invitation (the e-mail's link) and joins.
    link = reverse("corporate:coordinator_join", args=[coordinators.invitation_token(team, colleague, donor)])
    switch_user(page, live_server, colleague)
    page.goto(live_server.url + link)
    assert_accessible(page, label="coordinator invitation")
    page.get_by_role("button", name="同意成為聯絡窗口").click()
    expect(page.get_by_role("heading", name="E2E好日子志工隊")).to_be_visible()

    switch_user(page, live_server, centre)
    page.goto(live_server.url + "/corporate/teams/")
    assert_accessible(page, label="teams to match")
    page.get_by_role("link", name="E2E好日子志工隊").click()
    page.get_by_role("link", name="媒合到班次").click()
    assert_accessible(page, label="propose a match")
    page.get_by_label("班次").select_option(value=str(shift.pk))
    page.get_by_label("預計人數").fill("1")
    page.get_by_role("button", name="送出媒合邀請").click()
    expect(page.get_by_text("已送出媒合邀請")).to_be_visible()
    match = TeamMatch.objects.get()

    switch_user(page, live_server, donor)
    page.goto(f"{live_server.url}/corporate/matches/{match.pk}/")
    assert_accessible(page, label="match (company answers)")
    page.get_by_role("button", name="同意媒合").click()
    expect(page.get_by_text("已同意媒合")).to_be_visible()

    switch_user(page, live_server, officer)
    page.goto(f"{live_server.url}/corporate/matches/{match.pk}/")
    assert_accessible(page, label="match (unit enrols)")
    page.get_by_label("周佳穎（A12****789）").check()
    page.get_by_role("button", name="排入班次").click()
    expect(page.get_by_text("已排入班次：周佳穎")).to_be_visible()
    match.refresh_from_db()
    assert match.status == MatchStatus.ENROLLED

    # The service happens: sign-in and sign-out at the venue, the officer confirms the hours
    # (the event sign-in's own tests walk those pages).
    signup = ShiftSignup.objects.get(shift=shift)
    start = datetime.datetime.combine(shift.date, shift.starts_at).astimezone()
    ShiftSignup.objects.filter(pk=signup.pk).update(
        signed_in_at=start, signed_out_at=start + datetime.timedelta(hours=3)
    )
    signup.refresh_from_db()
    shift.date = datetime.date.today()
    shift.save()
    event = shift.event
    event.starts_on = event.ends_on = shift.date
    event.save()
    event_services.confirm_hours(signup=signup, actor=officer, hours=Decimal("3"), accept_flags=True)

    switch_user(page, live_server, donor)
    page.goto(f"{live_server.url}/corporate/teams/{team.pk}/report/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("企業社會責任報告")
    expect(page.get_by_role("cell", name="E2E河濱淨灘 撿拾垃圾")).to_be_visible()
    assert_accessible(page, label="CSR report")
    with page.expect_download() as download:
        page.get_by_role("link", name="下載 CSV").click()
    assert download.value.suggested_filename.endswith(".csv")


def test_a_large_events_volunteer_plan_is_filed_and_approved_by_the_competent_bureau(live_server, page):
    unit = UnitFactory(approved=True, organisation__name="E2E路跑志工隊")
    officer = officer_of(unit)
    event = event_of(unit, creator=officer, title="E2E臺北馬拉松")
    shift_of(event, capacity=50)
    InsurancePolicyFactory(unit=unit)
    sports = OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府體育局E2E")
    reviewer = make_user(Role.CASEWORKER, organisation=sports)

    sign_in(page, live_server, officer)
    page.goto(live_server.url + "/large-events/")
    assert_accessible(page, label="large event plans (organiser)")
    page.get_by_role("link", name="填寫志工計畫").click()
    page.locator("#id_event").select_option(label="E2E臺北馬拉松")
    page.get_by_label("審查主管機關").select_option(label="臺北市政府體育局E2E")
    page.get_by_label("志工勤務內容").fill("補給站 30 人\n醫護引導 20 人")
    page.locator("#id_headcount").fill("50")
    page.get_by_label("志工意外事故保險").select_option(index=1)
    page.get_by_label("行前訓練規劃").fill("行前說明會 2 小時")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_role("button", name="送出審查")).to_be_visible()
    assert_accessible(page, label="plan (draft)")
    page.get_by_role("button", name="送出審查").click()
    expect(page.get_by_text("已送出，等待主管機關審查。")).to_be_visible()

    switch_user(page, live_server, reviewer)
    page.goto(live_server.url + "/large-events/")
    page.get_by_role("link", name="E2E臺北馬拉松").click()
    assert_accessible(page, label="plan (review)")
    page.get_by_role("button", name="審查通過").click()
    expect(page.get_by_text("志工計畫審查通過。")).to_be_visible()
    assert LargeEventPlan.objects.get().status == LargeEventPlanStatus.APPROVED

    switch_user(page, live_server, officer)
    page.goto(f"{live_server.url}/large-events/{LargeEventPlan.objects.get().pk}/enrol/")
    assert_accessible(page, label="bulk enrolment")
