"""Every unit on the welfare map: a location picked on the map when registering or editing the
unit, else its address's district centre from the offline gazetteer; the map and GeoJSON show it
once its plan is approved."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import OrganisationKind, Role
from tests.accounts.factories import OrganisationFactory, make_user
from tests.volunteers.factories import PlanFactory, UnitFactory, officer_of
from volunteers.models import PlanStatus, VolunteerUnit

pytestmark = pytest.mark.django_db

TAIPEI_ZHONGZHENG = (Decimal("25.032400"), Decimal("121.519880"))


def register(client, **extra):
    bureau = OrganisationFactory(kind=OrganisationKind.BUREAU)
    client.force_login(make_user(Role.DONOR))
    data = {
        "name": "臺北市地圖志工隊",
        "competent_bureau": bureau.pk,
        "main_domain": "health",
        "address": "臺北市中正區衡陽路 1 號",
        "phone": "02-2345-6789",
        "contact_person": "林小華",
        **extra,
    }
    return client.post(reverse("volunteers:unit_register"), data)


def test_the_registration_form_offers_the_map(client):
    client.force_login(make_user(Role.DONOR))
    page = client.get(reverse("volunteers:unit_register")).content.decode()
    assert "data-coordinate-picker" in page and 'name="latitude"' in page


def test_a_unit_registered_without_a_pick_is_placed_at_its_district(client):
    assert register(client).status_code == 302
    unit = VolunteerUnit.objects.get(organisation__name="臺北市地圖志工隊")
    assert (unit.latitude, unit.longitude) == TAIPEI_ZHONGZHENG


def test_a_location_picked_on_the_map_wins(client):
    register(client, latitude="25.046000", longitude="121.517000")
    unit = VolunteerUnit.objects.get(organisation__name="臺北市地圖志工隊")
    assert (unit.latitude, unit.longitude) == (Decimal("25.046000"), Decimal("121.517000"))


def test_a_location_outside_taiwan_is_refused_and_nothing_saved(client):
    response = register(client, latitude="35.68", longitude="139.76")
    assert response.status_code == 200 and "座標不在臺灣範圍內" in response.content.decode()
    assert not VolunteerUnit.objects.filter(organisation__name="臺北市地圖志工隊").exists()


def test_editing_a_unit_sets_its_location_and_the_map_shows_it_once_approved(client):
    unit = UnitFactory(organisation__address="")
    officer = officer_of(unit)
    client.force_login(officer)
    page = client.get(reverse("volunteers:unit_edit", args=[unit.pk])).content.decode()
    assert "data-coordinate-picker" in page
    response = client.post(
        reverse("volunteers:unit_edit", args=[unit.pk]),
        {"main_domain": unit.main_domain, "address": "臺北市中正區衡陽路 1 號"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.latitude, unit.longitude) == TAIPEI_ZHONGZHENG
    PlanFactory(unit=unit, status=PlanStatus.APPROVED)
    client.logout()
    data = json.loads(client.get(reverse("dashboard:map_points")).content)
    names = {f["properties"]["name"] for f in data["features"]}
    assert unit.organisation.name in names
