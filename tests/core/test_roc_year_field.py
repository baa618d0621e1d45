"""Year fields read and show the ROC calendar (年度（民國）): 115 is stored as 2026."""

import pytest
from django import forms

from core.forms import RocYearField


class YearForm(forms.Form):
    year = RocYearField(label="年度（民國）", required=False)


@pytest.mark.parametrize("typed, stored", [("115", 2026), ("89", 2000), ("2026", 2026), ("", None)])
def test_a_roc_year_is_stored_as_the_western_year(typed, stored):
    form = YearForm({"year": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["year"] == stored


@pytest.mark.parametrize("typed", ["300", "0", "abc", "1999", "2101"])
def test_a_year_out_of_range_is_refused_with_a_roc_example(typed):
    form = YearForm({"year": typed})
    assert not form.is_valid()
    assert "民國" in str(form.errors["year"])


def test_the_field_shows_the_roc_year():
    html = str(YearForm(initial={"year": 2026})["year"])
    assert 'value="115"' in html
