"""The eligibility rules as pure functions over facts: no database (no django_db mark)."""

import datetime
from decimal import Decimal

from honorcards.eligibility import (
    Declared,
    EligibilityFacts,
    Policy,
    PreviousCard,
    ServiceRow,
    counted_rows,
    counted_start,
    evaluate,
    hours_rule,
    recent_rule,
    renewal_window_rule,
    tally,
    training_dates,
    years_rule,
)

D = datetime.date
AS_OF = D(2026, 11, 20)
POLICY = Policy(min_years=3, min_hours=Decimal(300), recent_months=6, valid_years=3, require_training=True)


def row(pk, day, hours, domain="social", unit="甲隊"):
    return ServiceRow(pk, day, Decimal(hours), domain, unit)


def monthly(start, months, hours_each, domain="social"):
    rows = []
    for i in range(months):
        year, month = divmod(start.month - 1 + i, 12)
        rows.append(row(i + 1, D(start.year + year, month + 1, 1), hours_each, domain))
    return rows


def facts(**kw):
    base = {
        "volunteer_id": 1,
        "as_of": AS_OF,
        "service_started_on": D(2022, 1, 1),
        "special_trainings": [("social", D(2021, 12, 1))],
        "domain_labels": {"social": "社會福利"},
    }
    base.update(kw)
    return EligibilityFacts(**base)


def rule(result, code):
    return next(r for r in result.rules if r.code == code)


def test_a_first_card_counts_from_the_record_books_service_start():
    assert counted_start(facts(), POLICY) == D(2022, 1, 1)
    assert counted_start(facts(declared=Declared(service_started_on=D(2019, 5, 1))), POLICY) == D(2019, 5, 1)


def test_a_renewal_counts_from_valid_years_before_expiry_or_a_later_declared_start():
    previous = PreviousCard("115000001", D(2026, 11, 30))
    assert counted_start(facts(previous=previous), POLICY) == D(2023, 11, 1)
    later = Declared(service_started_on=D(2024, 2, 1))
    assert counted_start(facts(previous=previous, declared=later), POLICY) == D(2024, 2, 1)


def test_records_before_the_period_or_inside_the_declared_paper_part_are_left_out():
    rows = [row(1, D(2021, 6, 1), 5), row(2, D(2023, 1, 1), 5), row(3, D(2024, 1, 1), 5)]
    assert [r.pk for r in counted_rows(facts(records=rows), D(2022, 1, 1))] == [2, 3]
    paper = facts(records=rows, declared=Declared(last_service_on=D(2023, 1, 1)))
    assert [r.pk for r in counted_rows(paper, None)] == [3]


def test_the_earliest_special_training_of_a_domain_is_the_one_that_counts():
    trained = training_dates(facts(special_trainings=[("social", D(2023, 1, 1)), ("social", D(2022, 1, 1))]))
    assert trained == {"social": D(2022, 1, 1)}


def test_hours_before_the_domains_special_training_are_set_apart():
    rows = [row(1, D(2022, 6, 1), 10), row(2, D(2023, 6, 1), 20)]
    result = tally(facts(special_trainings=[("social", D(2023, 1, 1))]), rows, POLICY)
    assert result.hours == Decimal(20)
    assert result.untrained == {"社會福利": Decimal(10)}
    assert result.record_ids == [2]
    assert result.last_service == D(2023, 6, 1)


def test_without_the_training_requirement_every_hour_counts():
    policy = Policy(3, Decimal(300), 6, 3, require_training=False)
    rows = [row(1, D(2022, 6, 1), 10)]
    assert tally(facts(special_trainings=[]), rows, policy).hours == Decimal(10)


def test_years_rule_needs_three_full_years_both_ends_included():
    passed, years, days = years_rule(POLICY, D(2020, 1, 1), D(2022, 12, 31))
    assert passed.passed and (years, days) == (3, 0)
    short, years, days = years_rule(POLICY, D(2020, 1, 1), D(2022, 12, 30))
    assert not short.passed and (years, days) == (2, 364)
    none, *_ = years_rule(POLICY, None, None)
    assert not none.passed


def test_hours_rule_passes_at_the_minimum_and_names_untrained_hours():
    counted = tally(facts(), [row(1, D(2023, 1, 1), "300")], POLICY)
    assert hours_rule(POLICY, counted).passed
    counted.hours = Decimal("299.75")
    counted.untrained["社會福利"] = Decimal(4)
    refused = hours_rule(POLICY, counted)
    assert not refused.passed and "4 小時" in refused.explanation


def test_recent_rule_allows_six_months_exactly_and_not_a_day_more():
    assert recent_rule(POLICY, AS_OF, D(2026, 5, 20)).passed
    assert not recent_rule(POLICY, AS_OF, D(2026, 5, 19)).passed
    assert not recent_rule(POLICY, AS_OF, None).passed


def test_renewal_window_opens_on_the_first_of_the_expiry_month():
    previous = PreviousCard("115000001", D(2026, 11, 30))
    assert not renewal_window_rule(previous, D(2026, 10, 31), D(2023, 11, 1)).passed
    assert renewal_window_rule(previous, D(2026, 11, 1), D(2023, 11, 1)).passed


def test_evaluate_a_steady_volunteer_is_eligible_with_hours_by_unit():
    result = evaluate(facts(records=monthly(D(2022, 1, 1), 59, 10)), POLICY)
    assert result.eligible, result.failed_rules
    assert result.kind == "first"
    assert result.hours == Decimal(590)
    assert result.hours_by_unit == {"甲隊": Decimal(590)}
    assert result.eligible_on is None


def test_evaluate_forecasts_the_day_the_hours_will_be_enough_at_the_current_pace():
    result = evaluate(facts(records=monthly(D(2022, 1, 1), 59, 4)), POLICY)
    assert not result.eligible
    assert result.eligible_on is not None and result.eligible_on > AS_OF
    assert result.forecast_note == ""


def test_evaluate_without_recent_service_explains_what_is_missing_instead_of_a_date():
    result = evaluate(facts(records=monthly(D(2022, 1, 1), 12, 4)), POLICY)
    assert result.eligible_on is None
    assert "尚缺" in result.forecast_note


def test_evaluate_with_no_records_fails_every_rule_and_has_no_period():
    result = evaluate(facts(service_started_on=None), POLICY)
    assert result.counted_from is None and result.last_service_on is None
    assert [r.code for r in result.failed_rules] == ["years", "hours", "recent"]


def test_declared_paper_hours_stand_for_the_paper_part_and_are_listed_apart():
    declared = Declared(service_started_on=D(2019, 1, 1), last_service_on=D(2025, 12, 31), hours=Decimal(280))
    rows = [row(1, D(2025, 6, 1), 50), row(2, D(2026, 6, 1), 30)]
    result = evaluate(facts(records=rows, declared=declared), POLICY)
    assert result.declared and result.hours == Decimal(310)
    assert rule(result, "years").passed and result.eligible
    assert result.record_ids == [2]
