"""Registering a company's volunteer team, its coordinator and roster; who may do it; bad input."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import OrganisationKind, Role
from audit.models import AuditEvent
from corporate import permissions, services
from corporate.models import CorporateTeam, TeamMember
from tests.accounts.factories import make_user
from tests.corporate.factories import company_team, member_of_team

pytestmark = pytest.mark.django_db

TEAM = {
    "name": "好日子科技企業志工隊",
    "coordinator_phone": "02-2720-8889",
    "headcount": 40,
    "interests": ["environment", "social_welfare"],
    "availability": ["weekend"],
    "availability_note": "每月第二個週六",
    "description": "",
}


def register(actor, **overrides):
    fields = {"company_name": "好日子科技股份有限公司", "tax_id": "22099131", **TEAM, **overrides}
    return services.register_team(actor=actor, **fields)


def test_a_donor_registers_a_team_and_becomes_the_companys_coordinator():
    donor = make_user(Role.DONOR)
    team = register(donor)
    donor.refresh_from_db()
    assert team.organisation.kind == OrganisationKind.COMPANY
    assert donor.organisation == team.organisation and donor.role == Role.DONOR
    assert team.coordinator == donor and team.headcount == 40
    assert permissions.is_company_coordinator(donor, team)
    assert AuditEvent.objects.filter(action="corporate.team_registered", target_id=str(team.pk)).exists()


def test_a_volunteer_account_may_register_a_team_too():
    team = register(make_user(Role.VOLUNTEER))
    assert team.pk


def test_full_width_digits_are_read_as_the_same_tax_id():
    team = register(make_user(Role.DONOR), tax_id="２２０９９１３１")
    assert team.tax_id == "22099131"


def test_a_circled_digit_is_not_read_as_a_digit_of_the_tax_id():
    # NFKC would read ② as 2; the ID numbers' one rule refuses every digit but 0–9 (either width).
    with pytest.raises(ValidationError) as exc:
        register(make_user(Role.DONOR), tax_id="②2099131")
    assert "0–9" in exc.value.message_dict["tax_id"][0]
    assert not CorporateTeam.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"tax_id": "22099132"}, "tax_id"),
        ({"tax_id": "2209913"}, "tax_id"),
        ({"tax_id": "abcdefgh"}, "tax_id"),
        ({"company_name": "  "}, "company_name"),
        ({"company_name": "名" * 201}, "company_name"),
        ({"headcount": 0}, "headcount"),
        ({"headcount": 10**9}, "headcount"),
        ({"interests": []}, "interests"),
        ({"interests": ["nonsense"]}, "interests"),
        ({"availability": []}, "availability"),
        ({"coordinator_phone": ""}, "coordinator_phone"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(overrides, field):
    donor = make_user(Role.DONOR)
    with pytest.raises(ValidationError) as exc:
        register(donor, **overrides)
    assert field in exc.value.message_dict
    assert not CorporateTeam.objects.exists()
    donor.refresh_from_db()
    assert donor.organisation is None


def test_a_tax_id_already_registered_is_refused():
    register(make_user(Role.DONOR))
    with pytest.raises(ValidationError) as exc:
        register(make_user(Role.DONOR), company_name="另一家公司")
    assert "tax_id" in exc.value.message_dict


@pytest.mark.parametrize("role", [Role.UNIT_OFFICER, Role.CASEWORKER, Role.CENTRE_STAFF, Role.SITE_ADMIN])
def test_staff_accounts_cannot_register_a_team(role):
    with pytest.raises(PermissionDenied):
        register(make_user(role))


def test_a_coordinator_cannot_register_a_second_team():
    team = company_team()
    with pytest.raises(PermissionDenied):
        register(team.coordinator, tax_id="04595257", company_name="又一家")


def test_the_coordinator_edits_the_team_and_the_change_is_audited():
    team = company_team()
    services.update_team(team=team, actor=team.coordinator, headcount=12, is_active=False)
    team.refresh_from_db()
    assert team.headcount == 12 and not team.is_active
    assert AuditEvent.objects.filter(action="corporate.team_edited").exists()


def test_another_companys_coordinator_cannot_edit_the_team():
    team, other = company_team(), company_team()
    with pytest.raises(PermissionDenied):
        services.update_team(team=team, actor=other.coordinator, headcount=1)


# --- Roster --------------------------------------------------------------------------------------

MEMBER = {
    "name": "陳小美",
    "identity_kind": "national_id",
    "identity_number": "A123456789",
    "birth_date": datetime.date(1990, 1, 2),
    "sex": "F",
    "consent": True,
}


def test_the_coordinator_adds_a_member_stored_encrypted_and_audited_masked():
    team = company_team()
    member = services.add_member(team=team, actor=team.coordinator, **MEMBER)
    assert member.masked_identity == "A12****789"
    event = AuditEvent.objects.get(action="corporate.member_added")
    assert "A123456789" not in str(event.changes)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"identity_number": "A123456788"}, "identity_number"),
        ({"identity_kind": "bogus"}, "identity_kind"),
        ({"birth_date": datetime.date(2999, 1, 1)}, "birth_date"),
        ({"birth_date": datetime.date(1800, 1, 1)}, "birth_date"),
        ({"consent": False}, "consent"),
        ({"name": ""}, "name"),
        ({"sex": "Q"}, "sex"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_a_bad_member_is_refused_and_nothing_is_saved(overrides, field):
    team = company_team()
    with pytest.raises(ValidationError) as exc:
        services.add_member(team=team, actor=team.coordinator, **{**MEMBER, **overrides})
    assert field in exc.value.message_dict
    assert not TeamMember.objects.exists()


def test_the_same_person_cannot_be_listed_twice():
    team = company_team()
    services.add_member(team=team, actor=team.coordinator, **MEMBER)
    with pytest.raises(ValidationError):
        services.add_member(team=team, actor=team.coordinator, **MEMBER)


def test_only_the_coordinator_adds_or_removes_members():
    team = company_team()
    for actor in (make_user(Role.DONOR), make_user(Role.CENTRE_STAFF), company_team().coordinator):
        with pytest.raises(PermissionDenied):
            services.add_member(team=team, actor=actor, **MEMBER)
    member = member_of_team(team)
    with pytest.raises(PermissionDenied):
        services.remove_member(member=member, actor=make_user(Role.CENTRE_STAFF))
    services.remove_member(member=member, actor=team.coordinator)
    assert not TeamMember.objects.exists()
    assert AuditEvent.objects.filter(action="corporate.member_removed").exists()
