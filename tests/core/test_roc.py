import datetime

import pytest
from django.template import Context, Template

from core.roc import parse_roc, to_roc


@pytest.mark.parametrize(
    ("date", "dot", "long"),
    [
        (datetime.date(2019, 6, 2), "108.06.02", "108年06月02日"),
        (datetime.date(1953, 3, 30), "042.03.30", "042年03月30日"),
        (datetime.date(1912, 1, 1), "001.01.01", "001年01月01日"),
        (datetime.date(2029, 6, 2), "118.06.02", "118年06月02日"),
    ],
)
def test_to_roc_formats_dot_and_long(date, dot, long):
    assert to_roc(date) == dot
    assert to_roc(date, "long") == long


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("108.06.02", datetime.date(2019, 6, 2)),
        ("108/6/2", datetime.date(2019, 6, 2)),
        ("108-06-02", datetime.date(2019, 6, 2)),
        ("108年06月02日", datetime.date(2019, 6, 2)),
        ("民國108年6月2日", datetime.date(2019, 6, 2)),
        (" 042.03.30 ", datetime.date(1953, 3, 30)),
        ("109.02.29", datetime.date(2020, 2, 29)),
    ],
)
def test_parse_roc_accepts_official_spellings(text, expected):
    assert parse_roc(text) == expected


@pytest.mark.parametrize("text", ["", "2019-06-02", "108.13.01", "110.02.29", "0.01.01", "108年06月", "abc"])
def test_parse_roc_rejects_invalid_dates_with_a_message(text):
    with pytest.raises(ValueError, match=r"民國|日期"):
        parse_roc(text)


def test_round_trip_both_ways():
    day = datetime.date(2024, 12, 31)
    assert parse_roc(to_roc(day)) == day
    assert parse_roc(to_roc(day, "long")) == day


def test_dates_before_1912_have_no_roc_form():
    with pytest.raises(ValueError):
        to_roc(datetime.date(1911, 12, 31))


def test_template_filter_renders_roc_dates():
    out = Template('{% load goodday %}{{ d|roc_date }} {{ d|roc_date:"long" }}').render(
        Context({"d": datetime.date(2019, 6, 2)})
    )
    assert out == "108.06.02 108年06月02日"


def test_template_filter_uses_taipei_local_date_for_datetimes():
    # 2019-06-01 17:00 UTC is already 2 June in Taipei.
    moment = datetime.datetime(2019, 6, 1, 17, 0, tzinfo=datetime.UTC)
    out = Template("{% load goodday %}{{ d|roc_date }}").render(Context({"d": moment}))
    assert out == "108.06.02"
