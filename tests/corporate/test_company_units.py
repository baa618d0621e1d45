"""A company's coordinator who registers a volunteer unit: the unit keeps the link to the company
(``VolunteerUnit.company``), the company keeps a coordinator (the main contact passes on), and the
last coordinator is asked to add another first (nothing changed)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import OrganisationKind, Role
from audit.models import AuditEvent
from tests.accounts.factories import OrganisationFactory, make_user
from tests.corporate.factories import add_coordinator, company_team
from tests.volunteers.factories import centre_staff
from volunteers.models import VolunteerUnit
from volunteers.units import services as unit_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    return OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府環境保護局（測試）")


def _register(actor, bureau, name="好日子科技志工服務隊"):
    return unit_services.register_unit(
        actor=actor, name=name, competent_bureau=bureau, main_domain="environment"
    )


def test_a_unit_registered_by_a_coordinator_belongs_to_the_company(bureau):
    team = company_team()
    first = team.coordinator
    make_user(Role.DONOR, email="second@example.org")
    second = add_coordinator(team, "second@example.org", actor=first)
    unit = _register(first, bureau)
    assert unit.company_id == team.organisation_id
    first.refresh_from_db()
    team.refresh_from_db()
    assert first.role == Role.UNIT_OFFICER and first.organisation_id == unit.organisation_id
    assert team.coordinator_id == second.pk  # the company keeps a main contact
    assert list(team.organisation.company_units.all()) == [unit]
    event = AuditEvent.objects.get(action="volunteer_unit.registered")
    assert event.changes == {"company": team.organisation.name}


def test_the_companys_last_coordinator_is_asked_to_add_another_first(bureau):
    team = company_team()
    with pytest.raises(ValidationError, match="唯一的聯絡窗口"):
        _register(team.coordinator, bureau)
    assert not VolunteerUnit.objects.exists()
    assert not Organisation.objects.filter(kind=OrganisationKind.VOLUNTEER_UNIT).exists()
    team.coordinator.refresh_from_db()
    assert team.coordinator.role == Role.DONOR and team.coordinator.organisation_id == team.organisation_id


def test_a_donor_of_no_company_registers_a_unit_of_no_company(bureau):
    unit = _register(make_user(Role.DONOR, organisation=None), bureau)
    assert unit.company_id is None


def test_the_pages_show_the_link_on_both_sides(client, bureau):
    team = company_team()
    make_user(Role.DONOR, email="second@example.org")
    second = add_coordinator(team, "second@example.org")
    client.force_login(team.coordinator)
    form = client.get(reverse("volunteers:unit_register")).content.decode()
    assert f"本單位將登錄為「{team.organisation.name}」的運用單位" in form
    response = client.post(
        reverse("volunteers:unit_register"),
        {
            "name": "好日子科技志工服務隊",
            "competent_bureau": bureau.pk,
            "main_domain": "environment",
            "address": "臺北市信義區市府路 1 號",
            "phone": "02-2345-6789",
            "contact_person": "林小華",
        },
    )
    assert response.status_code == 302
    unit = VolunteerUnit.objects.get(company=team.organisation)
    client.force_login(centre_staff())  # the new officer first sets up a second factor
    page = client.get(reverse("volunteers:unit_detail", args=[unit.pk])).content.decode()
    assert "所屬企業" in page and team.organisation.name in page
    client.force_login(second)
    page = client.get(reverse("corporate:team_detail", args=[team.pk])).content.decode()
    assert "好日子科技志工服務隊" in page
