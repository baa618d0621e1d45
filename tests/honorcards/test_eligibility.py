"""Each eligibility rule at its edges (seed 004, 四、時數計算說明)."""

import datetime
from decimal import Decimal

import pytest

from honorcards.eligibility import Declared, add_months, full_years, renewal_counts_from
from honorcards.selectors import check_eligibility
from tests.honorcards.factories import World, history
from tests.volunteers.factories import ServiceRecordFactory, UnitFactory, member_of, special_training
from volunteers.models import ServiceDomain

pytestmark = pytest.mark.django_db

D = datetime.date
AS_OF = D(2026, 11, 20)


@pytest.fixture
def unit():
    return UnitFactory(approved=True)


def trained_member(unit, start):
    volunteer = member_of(unit, service_started_on=start)
    special_training(volunteer, completed_on=start - datetime.timedelta(days=1))
    return volunteer


def rule(result, code):
    return next(r for r in result.rules if r.code == code)


def test_three_full_years_counts_both_ends():
    assert full_years(D(2020, 1, 1), D(2022, 12, 31)) == (3, 0)
    assert full_years(D(2020, 1, 1), D(2022, 12, 30)) == (2, 364)
    assert full_years(D(2020, 2, 29), D(2023, 2, 27)) == (3, 0)


def test_years_rule_passes_at_exactly_three_years(unit):
    volunteer = trained_member(unit, D(2023, 6, 1))
    history(volunteer, unit, start=D(2023, 6, 1), last=D(2026, 5, 31), total_hours=320)
    result = check_eligibility(volunteer, as_of=AS_OF)
    assert (result.years, result.days) == (3, 0)
    assert rule(result, "years").passed
    assert result.eligible


def test_two_years_and_364_days_is_not_three_years(unit):
    volunteer = trained_member(unit, D(2023, 6, 1))
    history(volunteer, unit, start=D(2023, 6, 1), last=D(2026, 5, 30), total_hours=320)
    result = check_eligibility(volunteer, as_of=AS_OF)
    assert (result.years, result.days) == (2, 364)
    assert not rule(result, "years").passed
    assert not result.eligible
    assert "2 年 364 日" in rule(result, "years").explanation


def test_299_75_hours_is_not_enough_but_300_is(unit):
    short = trained_member(unit, D(2020, 1, 1))
    history(short, unit, start=D(2020, 1, 1), last=D(2026, 10, 1), total_hours="299.75")
    enough = trained_member(unit, D(2020, 1, 1))
    history(enough, unit, start=D(2020, 1, 1), last=D(2026, 10, 1), total_hours=300)
    short_result = check_eligibility(short, as_of=AS_OF)
    assert short_result.hours == Decimal("299.75")
    assert not rule(short_result, "hours").passed
    assert rule(check_eligibility(enough, as_of=AS_OF), "hours").passed


def test_last_service_six_months_ago_passes_and_a_day_more_fails(unit):
    ok = trained_member(unit, D(2020, 1, 1))
    history(ok, unit, start=D(2020, 1, 1), last=add_months(AS_OF, -6), total_hours=400)
    late = trained_member(unit, D(2020, 1, 1))
    history(
        late,
        unit,
        start=D(2020, 1, 1),
        last=add_months(AS_OF, -6) - datetime.timedelta(days=1),
        total_hours=400,
    )
    assert rule(check_eligibility(ok, as_of=AS_OF), "recent").passed
    result = check_eligibility(late, as_of=AS_OF)
    assert not rule(result, "recent").passed
    assert result.last_service_on == D(2026, 5, 19)


def test_training_hours_are_not_service_hours_and_untrained_domains_do_not_count(unit, settings):
    volunteer = trained_member(unit, D(2020, 1, 1))  # special training in social welfare only
    history(volunteer, unit, start=D(2020, 1, 1), last=D(2026, 10, 1), total_hours=200)
    history(
        volunteer,
        unit,
        start=D(2021, 1, 1),
        last=D(2026, 10, 2),
        total_hours=150,
        domain=ServiceDomain.HEALTH,
    )
    result = check_eligibility(volunteer, as_of=AS_OF)
    assert result.hours == Decimal("200")
    assert result.hours_without_training == Decimal("150")
    assert result.hours_without_training_by_domain == {"衛生保健": Decimal("150")}
    assert not result.eligible
    settings.HONOR_CARD_REQUIRE_SPECIAL_TRAINING = False
    assert check_eligibility(volunteer, as_of=AS_OF).hours == Decimal("350")


def test_hours_before_the_special_training_do_not_count(unit):
    volunteer = member_of(unit, service_started_on=D(2020, 1, 1))
    special_training(volunteer, completed_on=D(2022, 1, 1))
    ServiceRecordFactory(volunteer=volunteer, unit=unit, served_on=D(2021, 12, 31), hours=8)
    ServiceRecordFactory(volunteer=volunteer, unit=unit, served_on=D(2022, 1, 1), hours=5)
    result = check_eligibility(volunteer, as_of=AS_OF)
    assert result.hours == Decimal("5")
    assert result.hours_without_training == Decimal("8")


def test_hours_are_shown_by_unit_and_domain(unit):
    other = UnitFactory(approved=True)
    volunteer = trained_member(unit, D(2020, 1, 1))
    history(volunteer, unit, start=D(2020, 1, 1), last=D(2026, 1, 1), total_hours=100)
    history(volunteer, other, start=D(2021, 1, 1), last=D(2026, 10, 1), total_hours=250)
    result = check_eligibility(volunteer, as_of=AS_OF)
    assert result.hours_by_unit == {unit.name: Decimal("100"), other.name: Decimal("250")}
    assert result.hours_by_domain == {"社會福利": Decimal("350")}
    assert result.counted_from == D(2020, 1, 1)
    assert result.counted_until == D(2026, 10, 1)


def test_service_after_the_check_date_is_ignored(unit):
    volunteer = trained_member(unit, D(2020, 1, 1))
    history(volunteer, unit, start=D(2020, 1, 1), last=D(2026, 10, 1), total_hours=299)
    ServiceRecordFactory(
        volunteer=volunteer, unit=unit, served_on=AS_OF + datetime.timedelta(days=1), hours=5
    )
    assert check_eligibility(volunteer, as_of=AS_OF).hours == Decimal("299")


def test_the_seeds_renewal_example_counts_from_the_first_of_the_month_three_years_before_expiry():
    assert renewal_counts_from(D(2019, 11, 30)) == D(2016, 11, 1)  # 108.11.30 → 105.11.01


def test_renewal_counts_only_after_the_previous_card(settings):
    world = World()
    unit = world.unit
    volunteer = trained_member(unit, D(2012, 1, 1))
    history(volunteer, unit, start=D(2012, 1, 1), last=D(2016, 10, 20), total_hours=400)
    card = world.issue(volunteer, today=D(2016, 12, 1))
    assert card.expires_on == D(2019, 11, 30)
    assert card.service_records.count() > 0
    # Service before 105.11.01 that the first card did not use still does not count for the renewal.
    ServiceRecordFactory(volunteer=volunteer, unit=unit, served_on=D(2016, 10, 31), hours=20)
    ServiceRecordFactory(volunteer=volunteer, unit=unit, served_on=D(2016, 11, 1), hours=10)
    history(volunteer, unit, start=D(2016, 11, 2), last=D(2019, 11, 5), total_hours=300)
    result = check_eligibility(volunteer, as_of=D(2019, 11, 10))
    assert result.kind == "renewal"
    assert result.counted_from == D(2016, 11, 1)
    assert result.hours == Decimal("310")
    assert result.eligible


def test_hours_used_by_the_previous_card_are_never_counted_again():
    world = World()
    unit = world.unit
    volunteer = trained_member(unit, D(2012, 1, 1))
    # The first card counted service up to 2016-11-25, after the renewal's start (105.11.01).
    history(volunteer, unit, start=D(2012, 1, 1), last=D(2016, 11, 25), total_hours=400)
    world.issue(volunteer, today=D(2016, 12, 1))
    history(volunteer, unit, start=D(2016, 12, 2), last=D(2019, 11, 5), total_hours=298)
    result = check_eligibility(volunteer, as_of=D(2019, 11, 10))
    assert result.hours == Decimal("298")
    assert not rule(result, "hours").passed


def test_a_renewal_may_be_filed_only_from_the_month_the_old_card_expires():
    world = World()
    unit = world.unit
    volunteer = trained_member(unit, D(2012, 1, 1))
    history(volunteer, unit, start=D(2012, 1, 1), last=D(2016, 10, 20), total_hours=400)
    world.issue(volunteer, today=D(2016, 12, 1))
    history(volunteer, unit, start=D(2016, 11, 2), last=D(2019, 10, 25), total_hours=400)
    early = check_eligibility(volunteer, as_of=D(2019, 10, 31))
    assert not rule(early, "renewal_window").passed
    assert early.eligible_on == D(2019, 11, 1)
    assert rule(check_eligibility(volunteer, as_of=D(2019, 11, 1)), "renewal_window").passed


def test_declared_paper_figures_are_used_and_marked(unit):
    volunteer = trained_member(unit, D(2015, 1, 1))
    ServiceRecordFactory(
        volunteer=volunteer, unit=unit, served_on=D(2019, 12, 31), hours=7
    )  # covered by paper
    history(volunteer, unit, start=D(2020, 1, 2), last=D(2026, 10, 1), total_hours=20)
    declared = Declared(service_started_on=D(2015, 1, 1), last_service_on=D(2020, 1, 1), hours=Decimal("290"))
    result = check_eligibility(volunteer, as_of=AS_OF, declared=declared)
    assert result.declared
    assert result.hours == Decimal("310")
    assert result.counted_from == D(2015, 1, 1)
    assert result.eligible
    assert not check_eligibility(volunteer, as_of=AS_OF).declared


def test_eligible_on_estimates_the_day_at_the_recent_pace(unit):
    volunteer = trained_member(unit, D(2022, 1, 1))
    history(volunteer, unit, start=D(2022, 1, 1), last=D(2026, 11, 1), total_hours=200)
    # 2025-11-21 .. 2026-11-20: a steady pace; 100 hours short.
    result = check_eligibility(volunteer, as_of=AS_OF)
    assert not result.eligible
    assert result.eligible_on is not None and result.eligible_on > AS_OF
    assert result.as_dict()["eligible_on"] == result.eligible_on.isoformat()


def test_no_recent_pace_gives_no_estimate(unit):
    volunteer = trained_member(unit, D(2018, 1, 1))
    history(volunteer, unit, start=D(2018, 1, 1), last=D(2024, 1, 1), total_hours=50)
    assert check_eligibility(volunteer, as_of=AS_OF).eligible_on is None


def test_a_forecast_beyond_the_horizon_says_what_is_missing_instead_of_a_date(unit):
    volunteer = trained_member(unit, D(2022, 1, 1))
    # 10 hours in the last year: 290 hours short is decades away at that pace.
    history(volunteer, unit, start=D(2022, 1, 1), last=D(2026, 11, 1), total_hours=10)
    result = check_eligibility(volunteer, as_of=AS_OF)
    assert not result.eligible
    assert result.eligible_on is None
    assert "尚缺 290 小時服務時數" in result.forecast_note
    assert "5 年內無法符合資格" in result.forecast_note
    assert result.as_dict()["forecast_note"] == result.forecast_note


def test_a_forecast_within_the_horizon_keeps_its_date(unit):
    volunteer = trained_member(unit, D(2022, 1, 1))
    history(volunteer, unit, start=D(2022, 1, 1), last=D(2026, 11, 1), total_hours=200)
    result = check_eligibility(volunteer, as_of=AS_OF)
    assert result.eligible_on is not None and result.eligible_on <= D(2031, 11, 20)
    assert result.forecast_note == ""


def test_without_a_recent_pace_the_note_names_the_missing_hours(unit):
    volunteer = trained_member(unit, D(2018, 1, 1))
    history(volunteer, unit, start=D(2018, 1, 1), last=D(2024, 1, 1), total_hours=50)
    result = check_eligibility(volunteer, as_of=AS_OF)
    assert "最近一年沒有採計的服務時數" in result.forecast_note
    assert "尚缺 250 小時服務時數" in result.forecast_note
