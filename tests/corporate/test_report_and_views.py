"""The company's CSR report (page, PDF, CSV) from service records, the corporate figures by year,
and the corporate pages' answers to each kind of user and to bad input."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from corporate import selectors
from corporate.models import CorporateTeam, MatchStatus, TeamEnrolment
from tests.accounts.factories import make_user
from tests.corporate.factories import company_team, event_of, match_of, member_of_team, shift_of
from tests.volunteers.factories import (
    ServiceRecordFactory,
    UnitFactory,
    VolunteerFactory,
    centre_staff,
    officer_of,
)
from volunteers.models import ServiceRecordSource, ShiftSignup

pytestmark = pytest.mark.django_db


def served(team, *, hours="3.00", day=None, unit=None, offer=None):
    """A team member's confirmed hours on a matched shift (what the event sign-in leaves behind)."""
    unit = unit or UnitFactory(approved=True)
    shift = shift_of(event_of(unit, title="河濱淨灘"))
    match = match_of(team, shift, status=MatchStatus.ENROLLED)
    if offer is not None:
        match.offer = offer
        match.save()
    volunteer = VolunteerFactory()
    record = ServiceRecordFactory(
        volunteer=volunteer,
        unit=unit,
        hours=Decimal(hours),
        served_on=day or timezone.localdate(),
        activity="河濱淨灘 撿拾垃圾",
        source=ServiceRecordSource.EVENT,
    )
    signup = ShiftSignup.objects.create(shift=shift, volunteer=volunteer, service_record=record)
    TeamEnrolment.objects.create(
        match=match, member=member_of_team(team), signup=signup, enrolled_by=team.coordinator
    )
    return record


def test_the_report_counts_people_hours_and_services_from_the_teams_service_records_only():
    team = company_team()
    record = served(team, hours="3.00")
    served(team, hours="2.50", unit=record.unit)
    served(company_team(), hours="9.00")  # another company
    ServiceRecordFactory(
        volunteer=record.volunteer, unit=record.unit, hours=Decimal("5")
    )  # own, not corporate
    served(team, hours="4.00", day=datetime.date(2020, 5, 1))  # another year
    report = selectors.csr_report(team, timezone.localdate().year)
    assert report["people"] == 2 and report["hours"] == Decimal("5.50") and report["services"] == 2
    assert report["units"] == 1
    assert selectors.report_years(team)[-1] == 2020


def test_corporate_figures_by_year_count_teams_people_and_hours():
    served(company_team(), hours="3.00")
    served(company_team(), hours="1.25")
    rows = selectors.corporate_by_year()
    assert rows[0]["year"] == timezone.localdate().year
    assert (rows[0]["teams"], rows[0]["people"], rows[0]["hours"]) == (2, 2, Decimal("4.25"))
    assert rows[1]["teams"] == 0


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_the_coordinator_sees_the_report_as_page_pdf_and_csv(client):
    team = company_team(name="好日子科技股份有限公司")
    served(team, hours="3.00")
    client.force_login(team.coordinator)
    year = timezone.localdate().year
    page = client.get(reverse("corporate:report", args=[team.pk]))
    assert page.status_code == 200 and "河濱淨灘" in page.content.decode()
    pdf = client.get(reverse("corporate:report_pdf", args=[team.pk]), {"year": year - 1911})
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "企業社會責任報告" in text and "好日子科技股份有限公司" in text and "河濱淨灘" in text
    csv = client.get(reverse("corporate:report_csv", args=[team.pk])).content.decode("utf-8-sig")
    assert "服務日期" in csv and "3.00" in csv and "河濱淨灘" in csv


@pytest.mark.parametrize("year", ["abc", "99999", "\x00", "-5", "1" * 500])
def test_a_bad_year_shows_the_current_year_with_a_message_never_a_500(client, year):
    team = company_team()
    client.force_login(team.coordinator)
    response = client.get(reverse("corporate:report", args=[team.pk]), {"year": year})
    assert response.status_code in (200, 400)


def test_another_company_and_unit_officers_do_not_see_the_report(client):
    team = company_team()
    for user, expected in (
        (company_team().coordinator, 404),
        (make_user(Role.DONOR), 404),
        (officer_of(UnitFactory()), 404),
        (centre_staff(), 200),
        (make_user(Role.SW_REVIEWER), 200),
    ):
        client.force_login(user)
        assert client.get(reverse("corporate:report", args=[team.pk])).status_code == expected, user.role


def test_registration_page_shows_a_bad_check_digit_in_the_error_summary(client):
    donor = make_user(Role.DONOR)
    client.force_login(donor)
    response = client.post(
        reverse("corporate:register"),
        {
            "company_name": "好日子科技股份有限公司",
            "tax_id": "22099132",
            "name": "志工隊",
            "coordinator_phone": "02-1234",
            "headcount": "10",
            "interests": ["environment"],
            "availability": ["weekend"],
        },
    )
    assert response.status_code == 200
    assert "統一編號檢查碼錯誤" in response.content.decode()
    assert not CorporateTeam.objects.exists()


def test_registration_through_the_page_leads_to_the_team(client):
    donor = make_user(Role.DONOR)
    client.force_login(donor)
    response = client.post(
        reverse("corporate:register"),
        {
            "company_name": "好日子科技股份有限公司",
            "tax_id": "22099131",
            "name": "好日子志工隊",
            "coordinator_phone": "02-1234",
            "headcount": "10",
            "interests": ["environment"],
            "availability": ["weekend"],
        },
    )
    team = CorporateTeam.objects.get()
    assert response.url == reverse("corporate:team_detail", args=[team.pk])


def test_registration_through_the_page_takes_a_tax_id_typed_in_full_width_with_a_space(client):
    # The form lets through what the one rule normalises (the full-width space, a hyphen): the
    # stored number is its eight ASCII digits.
    donor = make_user(Role.DONOR)
    client.force_login(donor)
    client.post(
        reverse("corporate:register"),
        {
            "company_name": "好日子科技股份有限公司",
            "tax_id": "２２０９　９１３１",
            "name": "好日子志工隊",
            "coordinator_phone": "02-1234",
            "headcount": "10",
            "interests": ["environment"],
            "availability": ["weekend"],
        },
    )
    assert CorporateTeam.objects.get().tax_id == "22099131"


def test_the_roster_page_masks_id_numbers_for_the_unit(client):
    team = company_team()
    member = member_of_team(team)
    unit = UnitFactory()
    officer = officer_of(unit)
    match_of(team, shift_of(event_of(unit, creator=officer)), status=MatchStatus.ACCEPTED)
    client.force_login(officer)
    body = client.get(reverse("corporate:members", args=[team.pk])).content.decode()
    assert member.masked_identity in body and member.identity_number not in body
    assert "新增隊員" not in body


@pytest.mark.parametrize("status", [None, MatchStatus.PROPOSED, MatchStatus.DECLINED, MatchStatus.CANCELLED])
def test_a_unit_sees_no_companys_roster_until_the_company_accepts_its_match(client, status):
    """Names and birth dates of a company's employees: not for every unit officer in the city (an
    officer of another unit, or one whose proposal the company has not accepted, gets 404)."""
    team = company_team()
    member = member_of_team(team)
    unit = UnitFactory()
    officer = officer_of(unit)
    if status is not None:
        match_of(team, shift_of(event_of(unit, creator=officer)), status=status)
    # Another unit's accepted match opens nothing for this one.
    other = UnitFactory()
    match_of(team, shift_of(event_of(other, creator=officer_of(other))), status=MatchStatus.ACCEPTED)
    client.force_login(officer)
    response = client.get(reverse("corporate:members", args=[team.pk]))
    assert response.status_code == 404
    assert member.name not in response.content.decode()


def test_the_whole_walk_through_the_pages(client):
    """Centre proposes → company accepts → unit enrols → the member is on the shift."""
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    shift = shift_of(event_of(unit, creator=officer))
    team = company_team()
    member = member_of_team(team)
    client.force_login(centre_staff())
    response = client.post(reverse("corporate:propose", args=[team.pk]), {"shift": shift.pk, "people": "2"})
    match = team.matches.get()
    assert response.url == reverse("corporate:match_detail", args=[match.pk])
    client.force_login(team.coordinator)
    client.post(reverse("corporate:match_answer", args=[match.pk]), {"action": "accept"})
    client.force_login(officer)
    client.post(reverse("corporate:match_enrol", args=[match.pk]), {"members": [member.pk]})
    match.refresh_from_db()
    assert match.status == MatchStatus.ENROLLED
    assert ShiftSignup.objects.filter(shift=shift, volunteer__identity_hash=member.identity_hash).exists()


def test_the_team_list_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(5):
        company_team()
    client.force_login(centre_staff())
    with django_assert_max_num_queries(12):
        assert client.get(reverse("corporate:team_list"), {"domain": "environment"}).status_code == 200
