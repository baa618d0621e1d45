"""Demo data for corporate volunteering and large events, and their figures on the volunteer
statistics page and the public dashboard."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.seed import seed as seed_accounts
from core.seeding import SeedContext
from corporate import selectors as corporate_selectors
from corporate.models import CorporateTeam, TeamMatch
from corporate.seed import seed as seed_corporate
from largeevents.models import LargeEventPlan
from largeevents.seed import seed as seed_largeevents
from tests.accounts.factories import make_user
from volunteers.seed import seed as seed_volunteers

pytestmark = pytest.mark.django_db


def run():
    ctx = SeedContext(scale=1, log=lambda *a: None)
    for seeder in (seed_accounts, seed_volunteers, seed_corporate, seed_largeevents):
        seeder(ctx)
    return ctx


def test_the_demo_shows_a_served_team_a_waiting_proposal_and_plans_in_each_state_and_is_idempotent():
    ctx = run()
    assert ctx.samples["corporate_coordinator"]["email"] == "company@demo.goodday.tw"
    team = CorporateTeam.objects.get()
    assert sorted(team.matches.values_list("status", flat=True)) == ["enrolled", "proposed"]
    report = corporate_selectors.csr_report(team, corporate_selectors.report_years(team)[0])
    assert (
        report["hours"] > 0
        or corporate_selectors.csr_report(team, timezone.localdate().year - 1)["hours"] > 0
    )
    assert set(LargeEventPlan.objects.values_list("status", flat=True)) == {"approved", "submitted"}
    counts = (CorporateTeam.objects.count(), TeamMatch.objects.count(), LargeEventPlan.objects.count())
    run()
    assert (
        CorporateTeam.objects.count(),
        TeamMatch.objects.count(),
        LargeEventPlan.objects.count(),
    ) == counts


def test_the_statistics_page_and_the_dashboard_show_corporate_and_large_event_figures(client):
    run()
    year = timezone.localdate().year
    rows = corporate_selectors.corporate_by_year(last_year=year, years=2)
    hours = sum((r["hours"] for r in rows), Decimal(0))
    assert hours == Decimal("12.00")
    client.force_login(make_user(Role.CENTRE_STAFF))
    page = client.get(reverse("volunteers:statistics")).content.decode()
    assert "企業志工與大型活動志工" in page and "企業志工時數" in page
    client.logout()
    dashboard = client.get(reverse("dashboard:index")).content.decode()
    assert "企業志工與大型活動志工" in dashboard and "大型活動志工時數" in dashboard


def test_a_bureau_sees_only_its_own_units_figures_on_the_statistics_page(client):
    from largeevents.templatetags.participation import participation_by_year

    run()
    caseworker = make_user(Role.CASEWORKER)  # a bureau supervising none of the demo units

    class Request:
        user = caseworker

    context = participation_by_year({"request": Request(), "year": timezone.localdate().year}, "statistics")
    assert all(c["people"] == 0 and e["people"] == 0 for c, e in context["rows"])


def test_the_dashboard_csv_carries_corporate_and_large_event_figures_by_year(client):
    from dashboard.figures import compute

    run()
    roc_year = str(timezone.localdate().year - 1911)
    figures = {f.key: f for f in compute() if f.group == "participation_by_year"}
    assert figures[f"large_event_people_{roc_year}"].value > 0
    assert figures[f"corporate_teams_{roc_year}"].dimension == roc_year
    csv = client.get(reverse("dashboard:csv")).content.decode("utf-8-sig")
    assert "大型活動志工時數" in csv and "企業志工人數" in csv
