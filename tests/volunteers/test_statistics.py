"""Statistics for the centre and the bureaus: the plan's targets on a small data set, breakdowns, XLSX."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from tests.accounts.factories import make_user
from tests.volunteers.factories import (
    InsurancePolicyFactory,
    PlanFactory,
    ServiceRecordFactory,
    UnitFactory,
    bureau_caseworker_of,
    centre_staff,
    member_of,
    officer_of,
)
from volunteers.models import PlanStatus
from volunteers.statistics import selectors as statistics

pytestmark = pytest.mark.django_db

YEAR = 2024
AS_OF = datetime.date(2024, 12, 31)


def approved_in(unit, year, month=2):
    return PlanFactory(
        unit=unit,
        year=year,
        status=PlanStatus.APPROVED,
        bureau_reviewed_at=datetime.datetime(year, month, 1, 10, tzinfo=datetime.UTC),
    )


@pytest.fixture
def world():
    """Two units under two bureaus. Unit A: 4 people (1 aged 65+, 3 insured, 3 with a record book);
    unit B: 1 person (65+, insured, no book)."""
    a = UnitFactory(organisation__name="甲志工隊", main_domain="health")
    b = UnitFactory(organisation__name="乙志工隊", main_domain="education")
    for unit in (a, b):  # both approved (核備) early in the year
        approved_in(unit, YEAR)
    people_a = [
        member_of(a, birth_date=datetime.date(1950, 1, 1)),
        member_of(a, birth_date=datetime.date(1980, 1, 1)),
        member_of(a, birth_date=datetime.date(1990, 1, 1)),
        member_of(a, birth_date=datetime.date(2000, 1, 1), record_book_number=""),
    ]
    person_b = member_of(b, birth_date=datetime.date(1959, 12, 31), record_book_number="")
    InsurancePolicyFactory(
        unit=a, starts_on=datetime.date(YEAR, 1, 1), ends_on=datetime.date(YEAR, 12, 31)
    ).insured.add(*people_a[:3])
    InsurancePolicyFactory(
        unit=b, starts_on=datetime.date(YEAR, 1, 1), ends_on=datetime.date(YEAR, 12, 31)
    ).insured.add(person_b)
    for p in people_a:
        ServiceRecordFactory(
            volunteer=p, unit=a, served_on=datetime.date(YEAR, 6, 1), hours=Decimal("3"), domain="health"
        )
    ServiceRecordFactory(
        volunteer=person_b,
        unit=b,
        served_on=datetime.date(YEAR, 7, 1),
        hours=Decimal("5"),
        domain="education",
    )
    ServiceRecordFactory(
        volunteer=person_b,
        unit=b,
        served_on=datetime.date(YEAR - 1, 7, 1),
        hours=Decimal("9"),
        domain="education",
    )
    return {"a": a, "b": b}


def test_the_plans_shares_on_a_small_data_set(world):
    f = statistics.volunteer_figures(year=YEAR, as_of=AS_OF)
    assert (f.units, f.volunteers, f.person_times, f.hours) == (2, 5, 5, Decimal("17"))
    assert f.seniors == 2 and f.seniors_share == Decimal("0.4000")
    assert f.insured == 4 and f.insured_share == Decimal("0.8000")
    assert f.with_record_book == 3 and f.record_book_share == Decimal("0.6000")


def test_figures_for_one_units_set_only_count_those_units(world):
    f = statistics.volunteer_figures(year=YEAR, as_of=AS_OF, unit_ids=[world["b"].pk])
    assert (f.volunteers, f.hours, f.seniors, f.insured) == (1, Decimal("5"), 1, 1)


def test_breakdowns_by_unit_bureau_and_domain(world):
    report = statistics.statistics_report(year=YEAR)
    assert [(r["label"], r["hours"]) for r in report["by_unit"]] == [
        ("甲志工隊", Decimal("12")),
        ("乙志工隊", Decimal("5")),
    ]
    assert {r["label"]: r["hours"] for r in report["by_domain"]} == {
        "衛生保健": Decimal("12"),
        "教育": Decimal("5"),
    }
    assert sorted(r["hours"] for r in report["by_bureau"]) == [Decimal("5"), Decimal("12")]
    assert [f.year for f in report["by_year"]] == list(range(YEAR - 4, YEAR + 1))
    assert report["by_year"][-2].hours == Decimal("9")


def test_the_centre_sees_statistics_and_downloads_an_xlsx_that_opens(client, world):
    client.force_login(centre_staff())
    page = client.get(reverse("volunteers:statistics"), {"year": YEAR})
    body = page.content.decode()
    assert page.status_code == 200 and "甲志工隊" in body and "<svg" in body
    response = client.get(reverse("volunteers:statistics_xlsx"), {"year": YEAR})
    wb = load_workbook(io.BytesIO(response.content))
    overview = {row[0]: row[1] for row in wb["總覽"].iter_rows(min_row=2, values_only=True)}
    assert overview["志工人數"] == 5
    assert overview["服務時數"] == 17
    assert overview["高齡志工比率"] == pytest.approx(0.4)
    assert [r[0] for r in wb["各運用單位"].iter_rows(min_row=2, values_only=True)] == ["甲志工隊", "乙志工隊"]


def test_another_bureau_sees_only_its_own_units(client, world):
    client.force_login(bureau_caseworker_of(world["b"]))
    body = client.get(reverse("volunteers:statistics"), {"year": YEAR}).content.decode()
    assert "乙志工隊" in body and "甲志工隊" not in body


@pytest.mark.parametrize("role", [Role.DONOR, Role.VOLUNTEER, Role.COMMITTEE])
def test_statistics_are_refused_to_other_roles(client, world, role):
    client.force_login(make_user(role))
    assert client.get(reverse("volunteers:statistics")).status_code == 403
    assert client.get(reverse("volunteers:statistics_xlsx")).status_code == 403


def test_unit_officers_cannot_see_citywide_statistics(client, world):
    client.force_login(officer_of(world["a"]))
    assert client.get(reverse("volunteers:statistics")).status_code == 403


def test_the_year_end_results_report_of_a_unit(client, world):
    client.force_login(officer_of(world["a"]))
    url = reverse("volunteers:unit_results", args=[world["a"].pk, YEAR])
    body = client.get(url).content.decode()
    assert "12.00" in body
    xlsx = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert xlsx.active["A1"].value.startswith("甲志工隊")
    client.force_login(officer_of(world["b"]))
    assert client.get(url).status_code == 404


def test_statistics_page_makes_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(centre_staff())
    with django_assert_max_num_queries(40):
        assert client.get(reverse("volunteers:statistics"), {"year": YEAR}).status_code == 200


def test_each_year_counts_what_was_true_in_that_year(world):
    """Units approved by then, members serving then, insurance then: not today's figures."""
    late = UnitFactory(organisation__name="丙志工隊")
    approved_in(late, YEAR + 1)  # approved the following year
    newcomer = member_of(late, birth_date=datetime.date(1970, 1, 1))
    newcomer.memberships.update(joined_on=datetime.date(YEAR + 1, 3, 1))
    InsurancePolicyFactory(
        unit=late, starts_on=datetime.date(YEAR + 1, 1, 1), ends_on=datetime.date(YEAR + 1, 12, 31)
    ).insured.add(newcomer)
    then = statistics.volunteer_figures(year=YEAR)
    assert (then.units, then.volunteers, then.insured) == (2, 5, 4)
    after = statistics.volunteer_figures(year=YEAR + 1)
    # The year after: the late unit counts, its newcomer serves and is insured; last year's
    # policies have ended.
    assert (after.units, after.volunteers, after.insured) == (3, 6, 1)
    before = statistics.volunteer_figures(year=YEAR - 1)
    assert before.units == 0 and before.insured == 0


def test_a_unit_approved_today_is_not_counted_in_past_years(world):
    today_unit = UnitFactory(organisation__name="丁志工隊")
    PlanFactory(unit=today_unit, year=YEAR + 2, status=PlanStatus.APPROVED, bureau_reviewed_at=timezone.now())
    by_year = {f.year: f.units for f in statistics.figures_by_year(last_year=YEAR + 2)}
    assert by_year[YEAR] == 2 and by_year[YEAR - 1] == 0


def test_the_units_table_is_paginated_busiest_first_and_the_xlsx_keeps_every_unit(client):
    """At Taipei's size 1,100 units serve in a year: the page shows 50 at a time, the XLSX all."""
    from volunteers.statistics.views import UNITS_PAGE_SIZE

    units = UnitFactory.create_batch(UNITS_PAGE_SIZE + 5)
    for n, unit in enumerate(units):
        ServiceRecordFactory(
            unit=unit,
            volunteer=member_of(unit),
            served_on=datetime.date(YEAR, 5, 1),
            hours=Decimal(n + 1) / 4,
        )
    client.force_login(centre_staff())
    url = reverse("volunteers:statistics")
    first = client.get(url, {"year": YEAR})
    assert [r["hours"] for r in first.context["by_unit"]][:2] == [
        Decimal(UNITS_PAGE_SIZE + 5) / 4,
        Decimal(UNITS_PAGE_SIZE + 4) / 4,
    ]
    assert len(first.context["by_unit"]) == UNITS_PAGE_SIZE and first.context["page"].paginator.num_pages == 2
    second = client.get(url, {"year": YEAR, "page": 2})
    assert [r["hours"] for r in second.context["by_unit"]] == [Decimal(n) / 4 for n in range(5, 0, -1)]
    assert 'rel="prev"' in second.content.decode() and f"year={YEAR}" in second.content.decode()
    xlsx = load_workbook(
        io.BytesIO(client.get(reverse("volunteers:statistics_xlsx"), {"year": YEAR}).content)
    )
    assert len(list(xlsx["各運用單位"].iter_rows(min_row=2, values_only=True))) == UNITS_PAGE_SIZE + 5


def test_beat_computes_the_citys_statistics_ahead_so_the_page_reads_them_from_the_cache(
    client, world, django_assert_max_num_queries, settings
):
    from django.core.cache import cache

    from volunteers.tasks import refresh_city_statistics

    entry = settings.CELERY_BEAT_SCHEDULE["refresh-volunteer-statistics"]
    assert entry["task"] == "volunteers.tasks.refresh_city_statistics"
    cache.clear()
    year = timezone.localdate().year
    ServiceRecordFactory(unit=world["a"], volunteer=member_of(world["a"]), served_on=timezone.localdate())
    refresh_city_statistics.delay()
    assert statistics.cached_statistics_report(year=year) == statistics.statistics_report(year=year)
    client.force_login(centre_staff())
    with django_assert_max_num_queries(15):  # the page's own queries, none of the report's
        assert client.get(reverse("volunteers:statistics")).status_code == 200
