"""Matching a company team to a shift: who proposes, the company's answer, the unit's enrolment
through the register's identity rule, and the service offer a match answers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from corporate import services
from corporate.models import MatchStatus, TeamEnrolment
from tests.accounts.factories import make_user
from tests.corporate.factories import company_team, event_of, match_of, member_of_team, shift_of
from tests.programs.factories import ProgramFactory, ServiceNeedFactory
from tests.volunteers.factories import UnitFactory, VolunteerFactory, centre_staff, officer_of
from volunteers.models import ShiftSignup, Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    shift = shift_of(event_of(unit, creator=officer), capacity=5)
    return {
        "unit": unit,
        "officer": officer,
        "shift": shift,
        "team": company_team(),
        "centre": centre_staff(),
    }


def test_the_centre_proposes_a_team_for_any_units_shift_and_the_coordinator_is_emailed(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        match = services.propose_match(
            actor=world["centre"], team=world["team"], shift=world["shift"], people=3
        )
    assert match.status == MatchStatus.PROPOSED
    assert AuditEvent.objects.filter(action="corporate.match_proposed").exists()
    assert [m.to for m in mailoutbox] == [[world["team"].coordinator.email]]


def test_a_unit_officer_proposes_for_its_own_shift_only(world):
    services.propose_match(actor=world["officer"], team=world["team"], shift=world["shift"], people=2)
    other_officer = officer_of(UnitFactory(approved=True))
    with pytest.raises(PermissionDenied):
        services.propose_match(actor=other_officer, team=company_team(), shift=world["shift"], people=2)


@pytest.mark.parametrize(
    "role", [Role.DONOR, Role.VOLUNTEER, Role.CASEWORKER, Role.SW_REVIEWER, Role.COMMITTEE]
)
def test_other_roles_cannot_propose(world, role):
    with pytest.raises(PermissionDenied):
        services.propose_match(actor=make_user(role), team=world["team"], shift=world["shift"], people=2)


@pytest.mark.parametrize("people", [0, 6, 10**6])
def test_people_beyond_the_shift_or_the_team_are_refused(world, people):
    with pytest.raises(ValidationError) as exc:
        services.propose_match(actor=world["centre"], team=world["team"], shift=world["shift"], people=people)
    assert "people" in exc.value.message_dict


def test_a_past_shift_or_a_second_open_match_is_refused(world):
    past = shift_of(world["shift"].event, date=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.propose_match(actor=world["centre"], team=world["team"], shift=past, people=1)
    services.propose_match(actor=world["centre"], team=world["team"], shift=world["shift"], people=1)
    with pytest.raises(ValidationError):
        services.propose_match(actor=world["centre"], team=world["team"], shift=world["shift"], people=1)


def test_the_coordinator_accepts_or_declines_only_once_and_only_their_own(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    match = match_of(world["team"], world["shift"], by=world["centre"])
    with pytest.raises(PermissionDenied):
        services.accept_match(match=match, actor=company_team().coordinator)
    with pytest.raises(ValidationError):
        services.decline_match(match=match, actor=world["team"].coordinator, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_match(match=match, actor=world["team"].coordinator)
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED and match.decided_by == world["team"].coordinator
    assert world["officer"].email in [address for message in mailoutbox for address in message.to]
    with pytest.raises(ValidationError):
        services.decline_match(match=match, actor=world["team"].coordinator, reason="改期")


def test_a_declined_match_frees_the_shift_for_a_new_proposal(world):
    match = match_of(world["team"], world["shift"])
    services.decline_match(match=match, actor=world["team"].coordinator, reason="人力不足")
    services.propose_match(actor=world["centre"], team=world["team"], shift=world["shift"], people=1)


def test_enrolment_registers_new_people_with_the_unit_and_puts_them_on_the_shift(world):
    match = match_of(world["team"], world["shift"], status=MatchStatus.ACCEPTED)
    a, b = member_of_team(world["team"]), member_of_team(world["team"])
    enrolled, refused = services.enrol_members(match=match, actor=world["officer"], members=[a, b])
    assert enrolled == [a, b] and refused == []
    match.refresh_from_db()
    assert match.status == MatchStatus.ENROLLED
    assert ShiftSignup.objects.filter(shift=world["shift"]).count() == 2
    volunteer = Volunteer.objects.get(identity_hash=a.identity_hash)
    assert volunteer.memberships.filter(unit=world["unit"]).exists()
    assert TeamEnrolment.objects.filter(match=match, member=a, signup__volunteer=volunteer).exists()


def test_a_person_already_on_the_register_is_matched_only_when_birth_date_and_name_agree(world):
    match = match_of(world["team"], world["shift"], status=MatchStatus.ACCEPTED)
    known = VolunteerFactory(name="林大同", birth_date=datetime.date(1980, 1, 1))
    agrees = member_of_team(
        world["team"], name="林大同", number=known.identity_number, birth_date=known.birth_date
    )
    other_team = company_team()
    differs = member_of_team(
        other_team,
        name="冒名者",
        number=VolunteerFactory().identity_number,
        birth_date=datetime.date(1999, 9, 9),
    )
    enrolled, refused = services.enrol_members(match=match, actor=world["officer"], members=[agrees])
    assert enrolled == [agrees] and Volunteer.objects.filter(identity_hash=known.identity_hash).count() == 1
    match2 = match_of(other_team, world["shift"], status=MatchStatus.ACCEPTED)
    enrolled, refused = services.enrol_members(match=match2, actor=world["officer"], members=[differs])
    assert enrolled == [] and refused[0][0] == differs
    assert "冒名者" not in Volunteer.objects.values_list("name", flat=True)
    assert AuditEvent.objects.filter(action="volunteer.identity_refused").exists()
    match2.refresh_from_db()
    assert match2.status == MatchStatus.ACCEPTED


def test_enrolment_beyond_the_shifts_places_is_refused_whole(world):
    match = match_of(world["team"], world["shift"], status=MatchStatus.ACCEPTED)
    members = [member_of_team(world["team"]) for _ in range(6)]
    with pytest.raises(ValidationError):
        services.enrol_members(match=match, actor=world["officer"], members=members)
    assert not ShiftSignup.objects.exists() and not Volunteer.objects.exists()


def test_only_the_shifts_unit_enrols_and_only_after_the_company_accepted(world):
    match = match_of(world["team"], world["shift"])
    member = member_of_team(world["team"])
    with pytest.raises(ValidationError):
        services.enrol_members(match=match, actor=world["officer"], members=[member])
    match.status = MatchStatus.ACCEPTED
    match.save()
    for actor in (world["centre"], world["team"].coordinator, officer_of(UnitFactory(approved=True))):
        with pytest.raises(PermissionDenied):
            services.enrol_members(match=match, actor=actor, members=[member])


def test_the_host_cancels_with_a_reason_the_company_cannot(world):
    match = match_of(world["team"], world["shift"])
    with pytest.raises(PermissionDenied):
        services.cancel_match(match=match, actor=world["team"].coordinator, reason="x")
    with pytest.raises(ValidationError):
        services.cancel_match(match=match, actor=world["officer"], reason="")
    services.cancel_match(match=match, actor=world["officer"], reason="活動延期")
    match.refresh_from_db()
    assert match.status == MatchStatus.CANCELLED


def _service_offer(team, status="accepted"):
    from programs.models import Offer

    program = ProgramFactory(published=True)
    return Offer.objects.create(
        donor=team.coordinator,
        kind="service",
        program=program,
        service_need=ServiceNeedFactory(program=program),
        item="長者陪伴",
        quantity=10,
        unit="小時",
        status=status,
    )


def test_a_companys_accepted_service_offer_becomes_the_team_on_a_shift(world):
    offer = _service_offer(world["team"])
    match = services.propose_match(
        actor=world["centre"], team=world["team"], shift=world["shift"], people=2, offer=offer
    )
    assert match.offer == offer


@pytest.mark.parametrize("case", ["pending", "other_company"])
def test_an_offer_not_accepted_or_of_another_company_cannot_be_linked(world, case):
    offer = _service_offer(
        company_team() if case == "other_company" else world["team"],
        "pending" if case == "pending" else "accepted",
    )
    with pytest.raises(ValidationError) as exc:
        services.propose_match(
            actor=world["centre"], team=world["team"], shift=world["shift"], people=2, offer=offer
        )
    assert "offer" in exc.value.message_dict


def _opportunity(event, *, suits_company=True):
    from opportunities.models import Opportunity

    return Opportunity.objects.create(
        unit=event.unit,
        event=event,
        title="河濱淨灘志工招募",
        description="撿拾垃圾",
        domain=event.domain,
        kind="one_off",
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        capacity=10,
        venue=event.venue,
        contact_name="王承辦",
        status="published",
        suits_company=suits_company,
        created_by=event.created_by,
    )


def test_a_team_is_matched_to_an_opportunitys_shift_and_enrolled_on_its_roster(world, client):
    from corporate import selectors

    opportunity = _opportunity(world["shift"].event)
    other_shift = shift_of(event_of(world["unit"], creator=world["officer"], title="別的活動"))
    offered = list(selectors.shifts_to_offer(world["centre"]))
    assert offered[0] == world["shift"] and other_shift in offered  # company-suited opportunities first
    assert list(selectors.shifts_to_offer(world["centre"], opportunity=opportunity)) == [world["shift"]]
    assert selectors.shift_label(world["shift"]).startswith("【河濱淨灘志工招募】")
    client.force_login(world["centre"])
    page = client.get(reverse("corporate:propose", args=[world["team"].pk]), {"opportunity": opportunity.pk})
    assert "河濱淨灘志工招募" in page.content.decode()
    propose_url = reverse("corporate:propose", args=[world["team"].pk])
    for bad in ("9" * 40, "abc", "-1"):
        assert client.get(propose_url, {"opportunity": bad}).status_code == 200
    match = services.propose_match(actor=world["centre"], team=world["team"], shift=world["shift"], people=1)
    services.accept_match(match=match, actor=world["team"].coordinator)
    member = member_of_team(world["team"])
    services.enrol_members(match=match, actor=world["officer"], members=[member])
    assert opportunity.shifts.get().signups.filter(volunteer__identity_hash=member.identity_hash).exists()
    page = client.get(reverse("corporate:match_detail", args=[match.pk])).content.decode()
    assert reverse("opportunities:detail", args=[opportunity.pk]) in page


def test_the_propose_page_names_no_other_units_draft_opportunity(world, client):
    """``?opportunity=<id>`` of another unit's draft: the title is not shown to an officer elsewhere
    (the page still opens, with the officer's own shifts)."""
    from opportunities.models import Opportunity

    draft = _opportunity(world["shift"].event)
    Opportunity.objects.filter(pk=draft.pk).update(status="draft", title="尚未公開的草稿招募")
    propose_url = reverse("corporate:propose", args=[world["team"].pk])
    client.force_login(officer_of(UnitFactory(approved=True)))
    page = client.get(propose_url, {"opportunity": draft.pk})
    assert page.status_code == 200 and "尚未公開的草稿招募" not in page.content.decode()
    client.force_login(world["officer"])  # its own unit's officer sees it
    assert "尚未公開的草稿招募" in client.get(propose_url, {"opportunity": draft.pk}).content.decode()
