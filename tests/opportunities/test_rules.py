"""The opportunity and application rules as pure functions: no database (no django_db mark)."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from core.validators import IdentityKind
from opportunities import rules
from opportunities.models import OpportunityKind
from volunteers.models import ServiceDomain, Sex

D = datetime.date
TODAY = D(2026, 11, 20)
FIRST_DAY = D(2026, 12, 1)


def opportunity_fields(**overrides):
    fields = {
        "title": " 淨灘 ",
        "description": "海邊撿垃圾",
        "venue": "旗津海水浴場",
        "contact_name": "王小明",
        "domain": ServiceDomain.SOCIAL_WELFARE,
        "kind": OpportunityKind.ONE_OFF,
        "starts_on": D(2026, 12, 1),
        "ends_on": None,
        "capacity": 20,
        "min_age": None,
        "max_age": None,
        "latitude": None,
        "longitude": None,
    }
    return {**fields, **overrides}


def errors_of(call):
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


# --- Opportunities ----------------------------------------------------------------------------


def test_a_one_off_activity_without_an_end_date_ends_the_day_it_starts_and_texts_are_stripped():
    cleaned = rules.clean_opportunity(opportunity_fields(), today=TODAY, is_new=True)
    assert cleaned["ends_on"] == D(2026, 12, 1)
    assert cleaned["title"] == "淨灘"


def test_a_regular_service_needs_an_end_date():
    assert rules.period_errors(D(2026, 12, 1), None, today=TODAY, is_new=True) == {
        "ends_on": "請填寫結束日期。"
    }
    assert "ends_on" in errors_of(
        lambda: rules.clean_opportunity(
            opportunity_fields(kind=OpportunityKind.REGULAR), today=TODAY, is_new=True
        )
    )


def test_an_end_before_the_start_or_already_past_is_refused_but_a_past_end_may_stay_when_editing():
    assert rules.period_errors(D(2026, 12, 5), D(2026, 12, 1), today=TODAY, is_new=True) == {
        "ends_on": "結束日期不可早於開始日期。"
    }
    assert rules.period_errors(D(2026, 11, 1), D(2026, 11, 10), today=TODAY, is_new=True) == {
        "ends_on": "結束日期已經過去。"
    }
    assert rules.period_errors(D(2026, 11, 1), D(2026, 11, 10), today=TODAY, is_new=False) == {}


def test_dates_more_than_two_years_ahead_are_refused_on_the_first_date_that_is():
    far = TODAY + datetime.timedelta(days=rules.MAX_DAYS_AHEAD + 1)
    last = TODAY + datetime.timedelta(days=rules.MAX_DAYS_AHEAD)
    assert set(rules.period_errors(far, far, today=TODAY, is_new=True)) == {"starts_on"}
    assert set(rules.period_errors(TODAY, far, today=TODAY, is_new=True)) == {"ends_on"}
    assert rules.period_errors(TODAY, last, today=TODAY, is_new=True) == {}


def test_capacity_is_one_to_ten_thousand():
    assert rules.capacity_errors(1) == rules.capacity_errors(rules.MAX_CAPACITY) == {}
    assert set(rules.capacity_errors(0)) == set(rules.capacity_errors(rules.MAX_CAPACITY + 1)) == {"capacity"}
    assert set(rules.capacity_errors(None)) == {"capacity"}


def test_ages_are_within_0_to_120_and_the_highest_not_below_the_lowest():
    assert rules.age_range_errors(0, 120) == {}
    assert rules.age_range_errors(-1, 121) == {
        "min_age": "年齡請填 0 到 120 歲。",
        "max_age": "年齡請填 0 到 120 歲。",
    }
    assert rules.age_range_errors(30, 20) == {"max_age": "最高年齡不可低於最低年齡。"}


def test_every_problem_of_an_opportunity_is_reported_at_once_keyed_by_field():
    errors = errors_of(
        lambda: rules.clean_opportunity(
            opportunity_fields(title="  ", domain="x", capacity=0, latitude=25.0), today=TODAY, is_new=True
        )
    )
    assert set(errors) == {"title", "domain", "capacity", "longitude"}
    assert errors["title"] == ["此欄位必填。"]


# --- Applications -----------------------------------------------------------------------------


def facts(*, profile=None, already_applied=False, min_age=None, max_age=None, starts_on=FIRST_DAY):
    opportunity = SimpleNamespace(event_id=7, starts_on=starts_on, min_age=min_age, max_age=max_age)
    return rules.ApplicationFacts(opportunity=opportunity, profile=profile, already_applied=already_applied)


def shift(*, event_id=7, date=FIRST_DAY):
    return SimpleNamespace(event_id=event_id, date=date)


NEW_PERSON = {
    "identity_kind": IdentityKind.NATIONAL_ID,
    "identity_number": "a123456789",
    "birth_date": D(2000, 5, 1),
    "sex": Sex.FEMALE,
}


def test_someone_without_a_volunteer_record_is_kept_with_the_normalised_id_number():
    details = rules.clean_application(facts(), name="林小華", shifts=[shift()], today=TODAY, **NEW_PERSON)
    assert details == rules.ApplicantDetails(
        name="林小華",
        identity_kind=IdentityKind.NATIONAL_ID,
        identity_number="A123456789",
        birth_date=D(2000, 5, 1),
        sex=Sex.FEMALE,
    )


def test_a_volunteer_on_the_register_gives_no_id_and_their_recorded_birth_date_counts():
    profile = SimpleNamespace(birth_date=D(2015, 1, 1))
    details = rules.clean_application(
        facts(profile=profile),
        name="林小華",
        shifts=[],
        today=TODAY,
        **{**NEW_PERSON, "identity_number": "bad"},
    )
    assert (details.identity_number, details.identity_kind, details.sex) == ("", "", "")
    assert details.birth_date == D(2015, 1, 1)
    errors = errors_of(
        lambda: rules.clean_application(
            facts(profile=profile, min_age=18), name="林小華", shifts=[], today=TODAY, **NEW_PERSON
        )
    )
    assert errors == {"birth_date": ["這則招募需年滿 18 歲。"]}


def test_the_age_limits_count_on_the_first_day_of_service():
    born = D(2008, 12, 1)  # 18 on the first day, 17 today
    assert rules.age_limit_errors(born, facts(min_age=18).opportunity, today=TODAY) == {}
    assert set(rules.age_limit_errors(born, facts(max_age=17).opportunity, today=TODAY)) == {"birth_date"}
    assert rules.age_on(D(2008, 2, 29), D(2026, 2, 28)) == 17


def test_every_problem_of_an_application_is_reported_at_once_keyed_by_field():
    errors = errors_of(
        lambda: rules.clean_application(
            facts(),
            name="",
            shifts=[shift(event_id=8)],
            today=TODAY,
            identity_kind="nope",
            identity_number="",
            birth_date=D(1899, 12, 31),
            sex="",
        )
    )
    assert list(errors) == ["name", "identity_kind", "birth_date", "sex", "shifts"]
    assert errors["birth_date"] == ["出生日期不合理，請再確認一次。"]
    assert errors["shifts"] == ["請選擇這則招募的班次。"]


def test_a_past_shift_is_refused_and_a_second_application_only_after_the_fields_are_right():
    assert rules.shift_errors([shift(date=D(2026, 11, 19))], facts().opportunity, today=TODAY) == {
        "shifts": "所選班次已經過去。"
    }
    again = facts(already_applied=True)
    assert set(
        errors_of(lambda: rules.clean_application(again, name="", shifts=[], today=TODAY, **NEW_PERSON))
    ) == {"name"}
    with pytest.raises(ValidationError, match="您已報名這則招募"):
        rules.clean_application(again, name="林小華", shifts=[], today=TODAY, **NEW_PERSON)
