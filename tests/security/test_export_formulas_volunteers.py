"""No live formulas in the volunteers' exports (the unit's XLSX, the national system's CSVs, the
statistics and year-results workbooks, the import templates): names that officers or volunteers
typed starting with = + - @ stay text."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from tests.security.test_export_formulas import assert_no_formula_in_csv, assert_no_formula_in_xlsx
from tests.volunteers.factories import ServiceRecordFactory, UnitFactory, member_of, officer_of

pytestmark = pytest.mark.django_db
HOSTILE = ['=HYPERLINK("http://evil.example","x")', "-2+3+cmd|' /C calc'!A0", "+1", "@SUM(A1)"]


@pytest.fixture
def hostile_unit():
    unit = UnitFactory(approved=True, organisation__name="=cmd|' /C calc'!A0")
    for name in HOSTILE:
        volunteer = member_of(unit, name=name)
        ServiceRecordFactory(volunteer=volunteer, unit=unit, activity="=1+1", served_on=timezone.localdate())
    return unit


def body(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response) if response.streaming else response.content


def test_the_units_workbook_carries_no_formula(client, hostile_unit):
    client.force_login(officer_of(hostile_unit))
    assert_no_formula_in_xlsx(body(client.get(reverse("volunteers:export_xlsx"))))


@pytest.mark.parametrize("kind", ["volunteers", "hours"])
def test_the_national_systems_csv_carries_no_formula(client, hostile_unit, kind):
    client.force_login(officer_of(hostile_unit))
    content = body(client.get(reverse("volunteers:export_national", kwargs={"kind": kind})))
    assert_no_formula_in_csv(content)
    assert "'=HYPERLINK(" in content.decode("utf-8-sig")


def test_the_statistics_workbook_carries_no_formula(client, hostile_unit, make_user):
    client.force_login(make_user(Role.CENTRE_STAFF))
    assert_no_formula_in_xlsx(body(client.get(reverse("volunteers:statistics_xlsx"))))


def test_the_year_results_workbook_carries_no_formula(client, hostile_unit):
    client.force_login(officer_of(hostile_unit))
    year = datetime.date.today().year
    url = reverse("volunteers:unit_results", kwargs={"pk": hostile_unit.pk, "year": year}) + "?format=xlsx"
    assert_no_formula_in_xlsx(body(client.get(url)))


@pytest.mark.parametrize("kind", ["service_records", "volunteers"])
def test_the_import_templates_carry_no_formula(client, hostile_unit, kind):
    client.force_login(officer_of(hostile_unit))
    xlsx = client.get(reverse("volunteers:import_template", kwargs={"kind": kind, "fmt": "xlsx"}))
    assert_no_formula_in_xlsx(body(xlsx))
    csv = client.get(reverse("volunteers:import_template", kwargs={"kind": kind, "fmt": "csv"}))
    assert_no_formula_in_csv(body(csv))
