"""Every program on the welfare map: a location picked on the map, or else the centre of the
district its address names (dashboard/gazetteer.py, offline)."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from programs.models import Program, ProgramStatus
from tests.programs.test_bad_input import post, valid_form

pytestmark = pytest.mark.django_db

TAIPEI_DAAN = (Decimal("25.02677"), Decimal("121.54344"))


def test_a_program_saved_without_a_picked_location_is_placed_from_its_address(client, caseworker):
    assert post(client, caseworker, valid_form(address="臺北市大安區新生南路三段 88 號")).status_code == 302
    program = Program.objects.get()
    assert (program.latitude, program.longitude) == TAIPEI_DAAN


def test_a_location_picked_on_the_map_is_kept(client, caseworker):
    picked = valid_form(address="臺北市大安區", latitude="25.041000", longitude="121.565000")
    assert post(client, caseworker, picked).status_code == 302
    program = Program.objects.get()
    assert (program.latitude, program.longitude) == (Decimal("25.041000"), Decimal("121.565000"))


def test_an_address_naming_no_district_leaves_the_program_unplaced(client, caseworker):
    assert post(client, caseworker, valid_form(address="活動中心")).status_code == 302
    assert Program.objects.get().latitude is None


def test_a_program_placed_from_its_address_appears_on_the_map_and_in_the_geojson(client, caseworker):
    post(client, caseworker, valid_form(title="大安長者共餐", address="臺北市大安區信義路"))
    Program.objects.update(status=ProgramStatus.PUBLISHED)
    client.logout()
    data = json.loads(client.get(reverse("dashboard:map_points")).content)
    feature = next(f for f in data["features"] if f["properties"]["name"] == "大安長者共餐")
    assert feature["geometry"]["coordinates"] == [float(TAIPEI_DAAN[1]), float(TAIPEI_DAAN[0])]
    assert "大安長者共餐" in client.get(reverse("dashboard:map")).content.decode()
