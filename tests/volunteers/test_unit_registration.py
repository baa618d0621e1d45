"""A signed-in person registers a unit online and becomes its officer; volunteers claim their record."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import OrganisationKind, Role
from core.crypto import lookup_hash
from tests.accounts.factories import OrganisationFactory, make_user
from tests.volunteers.factories import UnitFactory, member_of
from volunteers.models import VolunteerUnit
from volunteers.registry import services
from volunteers.units import services as unit_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    return OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府衛生局（測試）")


def test_a_donor_registers_a_unit_and_becomes_its_officer_then_goes_to_the_plan(client, bureau):
    user = make_user(Role.DONOR)
    client.force_login(user)
    response = client.post(
        reverse("volunteers:unit_register"),
        {
            "name": "臺北市測試醫院志工隊",
            "competent_bureau": bureau.pk,
            "main_domain": "health",
            "address": "臺北市中正區",
            "phone": "02-2345-6789",
            "contact_person": "林小華",
        },
    )
    unit = VolunteerUnit.objects.get(organisation__name="臺北市測試醫院志工隊")
    assert response.url == reverse("volunteers:plan_create", args=[unit.pk])
    user.refresh_from_db()
    assert user.role == Role.UNIT_OFFICER and user.organisation == unit.organisation
    assert unit.organisation.kind == OrganisationKind.VOLUNTEER_UNIT
    assert unit.competent_bureau == bureau


def test_staff_cannot_register_a_unit(bureau):
    for role in (Role.CASEWORKER, Role.CENTRE_STAFF, Role.VOLUNTEER):
        with pytest.raises(PermissionDenied):
            unit_services.register_unit(
                actor=make_user(role), name=f"某志工隊{role}", competent_bureau=bureau, main_domain="health"
            )
    assert not VolunteerUnit.objects.exists()


def test_a_duplicate_name_or_a_non_bureau_is_refused(bureau):
    UnitFactory(organisation__name="臺北市重複志工隊")
    with pytest.raises(ValidationError) as exc:
        unit_services.register_unit(
            actor=make_user(Role.DONOR),
            name="臺北市重複志工隊",
            competent_bureau=Organisation.objects.filter(kind=OrganisationKind.VOLUNTEER_UNIT).first(),
            main_domain="health",
        )
    assert set(exc.value.message_dict) == {"name", "competent_bureau"}


def test_a_volunteer_claims_their_record_by_id_and_birth_date(client):
    volunteer = member_of(
        UnitFactory(),
        identity_number="A123456789",
        identity_hash=lookup_hash("A123456789"),
        birth_date=datetime.date(1960, 1, 2),
    )
    user = make_user(Role.DONOR)
    client.force_login(user)
    bad = client.post(
        reverse("volunteers:claim"),
        {"identity_kind": "national_id", "identity_number": "A123456789", "birth_date": "1960-01-03"},
    )
    assert "找不到相符" in bad.content.decode()
    response = client.post(
        reverse("volunteers:claim"),
        {"identity_kind": "national_id", "identity_number": "A123456789", "birth_date": "1960-01-02"},
    )
    assert response.url == reverse("volunteers:resume", args=[volunteer.pk])
    volunteer.refresh_from_db()
    user.refresh_from_db()
    assert volunteer.user == user and user.role == Role.VOLUNTEER


def test_a_record_already_linked_cannot_be_claimed_by_someone_else():
    owner = make_user(Role.VOLUNTEER)
    member_of(
        UnitFactory(), identity_number="A123456789", identity_hash=lookup_hash("A123456789"), user=owner
    )
    with pytest.raises(ValidationError):
        services.claim_volunteer_record(
            user=make_user(Role.DONOR),
            identity_kind="national_id",
            identity_number="A123456789",
            birth_date=datetime.date(1970, 5, 17),
        )


def test_claim_attempts_are_limited():
    user = make_user(Role.DONOR)
    for _ in range(services.CLAIM_ATTEMPTS):
        with pytest.raises(ValidationError, match="找不到"):
            services.claim_volunteer_record(
                user=user,
                identity_kind="national_id",
                identity_number="A123456789",
                birth_date=datetime.date(1970, 1, 1),
            )
    with pytest.raises(ValidationError, match="次數過多"):
        services.claim_volunteer_record(
            user=user,
            identity_kind="national_id",
            identity_number="A123456789",
            birth_date=datetime.date(1970, 1, 1),
        )


def test_the_claim_lock_holds_until_midnight_in_taipei_by_the_limits_clock(ratelimit_clock):
    user = make_user(Role.DONOR)
    claim = {
        "user": user,
        "identity_kind": "national_id",
        "identity_number": "A123456789",
        "birth_date": datetime.date(1970, 1, 1),
    }
    for _ in range(services.CLAIM_ATTEMPTS):
        with pytest.raises(ValidationError, match="找不到"):
            services.claim_volunteer_record(**claim)
    ratelimit_clock.advance(11 * 3600 + 29 * 60 + 29)  # 23:59:59 in Taipei
    with pytest.raises(ValidationError, match="次數過多"):
        services.claim_volunteer_record(**claim)
    ratelimit_clock.advance(1)  # midnight: a new day, five new tries
    with pytest.raises(ValidationError, match="找不到"):
        services.claim_volunteer_record(**claim)


def test_the_landing_page_sends_each_role_to_its_work(client):
    assert "運用單位如何加入" in client.get(reverse("volunteers:index")).content.decode()
    unit = UnitFactory()
    officer = make_user(Role.UNIT_OFFICER, organisation=unit.organisation)
    client.force_login(officer)
    assert (
        reverse("volunteers:unit_detail", args=[unit.pk])
        in client.get(reverse("volunteers:index")).content.decode()
    )
    client.force_login(make_user(Role.CENTRE_STAFF))
    body = client.get(reverse("volunteers:index")).content.decode()
    assert reverse("volunteers:review_queue") in body and reverse("volunteers:statistics") in body
    client.force_login(make_user(Role.DONOR))
    assert reverse("volunteers:unit_register") in client.get(reverse("volunteers:index")).content.decode()


def test_bad_plan_input_shows_the_message_and_saves_nothing(client):
    from tests.volunteers.factories import officer_of
    from volunteers.models import ServicePlan

    unit = UnitFactory()
    client.force_login(officer_of(unit))
    response = client.post(
        reverse("volunteers:plan_create", args=[unit.pk]),
        {
            "year": "300",
            "title": "計畫",
            "domain": "health",
            "service_items": "",
            "expected_volunteers": "-1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "年度請填民國" in body
    assert not ServicePlan.objects.exists()


def test_bad_unit_registration_shows_the_message_and_changes_nobody(client, bureau):
    user = make_user(Role.DONOR)
    UnitFactory(organisation__name="臺北市已存在志工隊")
    client.force_login(user)
    response = client.post(
        reverse("volunteers:unit_register"),
        {
            "name": "臺北市已存在志工隊",
            "competent_bureau": bureau.pk,
            "main_domain": "health",
            "address": "x",
            "phone": "1",
            "contact_person": "y",
        },
    )
    assert "已有同名的機關單位" in response.content.decode()
    user.refresh_from_db()
    assert user.role == Role.DONOR and user.organisation is None


def test_a_caseworker_without_a_bureau_sees_no_units():
    from volunteers.permissions import statistics_unit_ids

    UnitFactory(organisation__competent_bureau=None)
    caseworker = make_user(Role.CASEWORKER)
    caseworker.organisation = None
    assert statistics_unit_ids(caseworker) == []
