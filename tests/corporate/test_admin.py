"""The Django admin's corporate team form checks the 統一編號 by the registration form's one rule."""

from django.urls import reverse

from accounts.roles import Role
from corporate.models import CorporateTeam
from tests.accounts.factories import make_user
from tests.corporate.factories import company_team


def _post(client, team, tax_id):
    client.force_login(make_user(Role.SITE_ADMIN, is_staff=True, is_superuser=True))
    data = {
        "organisation": team.organisation_id,
        "tax_id": tax_id,
        "name": team.name,
        "coordinator": team.coordinator_id,
        "coordinator_phone": team.coordinator_phone,
        "headcount": team.headcount,
        "interests": '["environment"]',
        "availability": '["weekend"]',
        "availability_note": "",
        "description": "",
        "is_active": "on",
    }
    return client.post(reverse("admin:corporate_corporateteam_change", args=[team.pk]), data)


def test_the_admin_refuses_a_tax_number_whose_check_digit_is_wrong_and_changes_nothing(client, db):
    team = company_team(tax_id="22099131")
    response = _post(client, team, "22099132")
    assert response.status_code == 200
    assert "tax_id" in response.context["adminform"].form.errors
    team.refresh_from_db()
    assert team.tax_id == "22099131"


def test_the_admin_stores_a_full_width_tax_number_as_ascii_digits(client, db):
    team = company_team(tax_id="22099131")
    response = _post(client, team, "０４５９５２５７")
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert CorporateTeam.objects.get(pk=team.pk).tax_id == "04595257"
