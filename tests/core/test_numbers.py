"""Hours and money read the same on SQLite (no Decimal scale) and on PostgreSQL."""

from decimal import Decimal

from django.template import Context, Template

from core.numbers import hours_text, ntd_text


def test_hours_keep_two_decimals_whatever_scale_the_database_returned():
    # SQLite hands back 64.5 or 64 where PostgreSQL hands back 64.50 and 64.00.
    assert hours_text(Decimal("64.5")) == "64.50"
    assert hours_text(Decimal("64")) == "64.00"
    assert hours_text(Decimal("64.50")) == "64.50"
    assert hours_text(64.25) == "64.25"
    assert hours_text(Decimal("1234.5"), grouped=True) == "1,234.50"
    assert hours_text(None) == "" and hours_text("") == ""


def test_money_is_whole_nt_dollars_with_separators():
    assert ntd_text(1234567) == "NT$1,234,567"
    assert ntd_text(Decimal("1500.0")) == "NT$1,500"
    assert ntd_text(None) == ""


def test_the_template_filters_use_the_same_formatting():
    html = Template('{% load goodday %}{{ h|hours }} {{ big|hours:"g" }} {{ m|ntd }}').render(
        Context({"h": Decimal("64.5"), "big": Decimal("12345"), "m": 2500})
    )
    assert html == "64.50 12,345.00 NT$2,500"
