"""Each dashboard figure equals the disclosure reports and the volunteer statistics on the same data."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboard import figures as dashboard_figures
from dashboard.figures import MONEY_BY_MONTH, PROGRAMS_BY_CATEGORY, compute, current_figures
from volunteers.statistics.selectors import volunteer_figures

pytestmark = pytest.mark.django_db


def by_key(figures):
    return {f.key: f for f in figures}


def test_money_figures_equal_the_disclosure_reports(figures_world):
    figures = by_key(compute())
    totals = [r.content["totals"] for r in figures_world["reports"]]
    year = figures_world["today"].year
    in_year = [
        r.content["totals"]
        for r, (y, _m) in zip(figures_world["reports"], figures_world["months"], strict=True)
        if y == year
    ]
    assert (
        figures["money_total"].value == sum(t["net_income"] for t in totals) == 1000 + 2500 + 700 + 300 - 300
    )
    assert figures["money_year"].value == sum(t["net_income"] for t in in_year)
    assert figures["goods_total"].value == sum(t["goods_value"] for t in totals) == 10 * 350 + 4 * 250
    assert figures["goods_year"].value == sum(t["goods_value"] for t in in_year)
    assert figures["giving_total"].value == figures["money_total"].value + figures["goods_total"].value


def test_monthly_figures_equal_each_disclosure_month(figures_world):
    figures = by_key(compute())
    for report in figures_world["reports"]:
        month = f"{report.year}-{report.month:02d}"
        totals = report.content["totals"]
        assert figures[f"month.{month}.income"].value == totals["income"]
        assert figures[f"month.{month}.refunds"].value == totals["refunds"]
        assert figures[f"month.{month}.goods_value"].value == totals["goods_value"]
    this_month = figures_world["reports"][1]
    assert figures[f"month.{this_month.year}-{this_month.month:02d}.refunds"].value == 300


def test_volunteer_figures_are_those_of_the_volunteer_statistics(figures_world):
    figures = by_key(compute())
    expected = volunteer_figures(year=figures_world["today"].year)
    assert figures["volunteer_units"].value == expected.units == 2
    assert figures["volunteers"].value == expected.volunteers == 3
    assert figures["volunteer_hours"].value == expected.hours == Decimal("9.75")
    assert figures["volunteer_person_times"].value == expected.person_times == 3
    assert figures["seniors_share"].value == Decimal("33.3")
    assert expected.seniors_share == Decimal("0.3333")


def test_program_figures_count_public_programs_only(figures_world):
    figures = by_key(compute())
    # Children: paid gifts and received goods; elderly: paid gifts. The closed one had no match.
    assert figures["matched_programs"].value == 2
    assert figures["bureaus_served"].value == 2
    assert figures["matched_offers"].value == 2  # the two received goods offers, not the pending service
    assert figures["programs_open"].value == 2
    assert figures["programs_closed"].value == 1
    # 40 from the children's update + 300 from the closing report; the draft's 999 is not public.
    assert figures["beneficiaries"].value == 340
    rows = {(f.dimension, f.series): f.value for f in compute() if f.group == PROGRAMS_BY_CATEGORY}
    assert rows == {
        ("兒少福利", "募集中"): 1,
        ("兒少福利", "已結案"): 0,
        ("老人福利", "募集中"): 1,
        ("老人福利", "已結案"): 1,
    }


def test_every_figure_states_its_definition_and_time(figures_world):
    figures = compute()
    assert figures
    for f in figures:
        assert f.definition and f.label and f.unit
        assert f.as_of is not None


def test_a_refund_lowers_money_received_and_the_month_of_the_refund(figures_world):
    """Sanity: the 300 refunded this month is subtracted once (in the refund's month)."""
    figures = by_key(compute())
    assert figures["money_total"].value == 4200


def test_figures_are_cached_for_a_few_minutes(figures_world, settings, monkeypatch):
    settings.DASHBOARD_CACHE_SECONDS = 300
    first = current_figures()
    calls = []
    monkeypatch.setattr(dashboard_figures, "compute", lambda: calls.append(1) or [])
    assert current_figures() == first
    assert calls == []


def test_csv_has_the_same_numbers_as_the_page(client, figures_world):
    figures = current_figures()
    response = client.get(reverse("dashboard:csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["群組", "代碼", "指標", "列", "欄", "數值", "單位", "定義", "資料時間"]
    values = {row[1]: row[5] for row in rows[1:]}
    assert values == {f.key: str(f.value) for f in figures}
    assert values["money_total"] == "4200"
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "NT$4,200" in page
    assert "NT$4,500" in page  # goods value
    for f in figures:
        assert f.definition in page
    month_figures = [f for f in figures if f.group == MONEY_BY_MONTH]
    assert len(month_figures) == 36  # 12 months × income, refunds, goods value


def test_dashboard_page_shows_charts_and_tables(client, figures_world):
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 2
    assert '<th scope="row">老人福利</th>' in html
    assert "資料時間" in html


def test_figures_take_a_fixed_number_of_queries(figures_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        compute()


def test_the_dashboard_page_is_served_from_the_cache_to_anonymous_visitors(
    client, figures_world, django_assert_max_num_queries
):
    assert client.get(reverse("dashboard:index")).status_code == 200
    with django_assert_max_num_queries(0):
        assert client.get(reverse("dashboard:index")).status_code == 200


def test_money_figures_show_their_unit_in_the_readers_language(client, figures_world, settings):
    zh = client.get(reverse("dashboard:index")).content.decode()
    assert "<td>元</td>" in zh
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(reverse("dashboard:index")).content.decode()
    assert "<td>NT$</td>" in en
    assert "<td>元</td>" not in en
