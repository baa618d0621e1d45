"""Recruitment figures: open opportunities, applications, fill rate, time to first shift, youth /
family / senior by year, on the dashboard and the statistics page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities import applications
from opportunities.figures import EXTRA_SERIES, recruitment_figures, register_series
from tests.opportunities.factories import citizen, identity, open_opportunity
from volunteers.models import ShiftSignup

pytestmark = pytest.mark.django_db


def test_the_figures_count_applications_fill_rate_and_age_groups():
    today = timezone.localdate()
    opportunity = open_opportunity(capacity=4, suits_family=True)
    young = applications.apply(
        opportunity=opportunity,
        user=citizen(),
        shifts=list(opportunity.shifts),
        **identity(1, birth_date=today.replace(year=today.year - 20)),
    )
    old = applications.apply(
        opportunity=opportunity,
        user=citizen(email="o@example.org"),
        **identity(2, birth_date=today.replace(year=today.year - 70)),
    )
    applications.apply(opportunity=opportunity, user=citizen(email="p@example.org"), **identity(3))
    applications.decide(application=young, actor=opportunity.officer, action="accept")
    applications.decide(application=old, actor=opportunity.officer, action="accept")
    young.refresh_from_db()
    signup = ShiftSignup.objects.get(volunteer=young.volunteer)
    signup.signed_in_at = timezone.now()
    signup.save()
    rf = recruitment_figures()
    assert rf.open_now == 1
    assert (rf.applications, rf.accepted) == (3, 2)
    assert rf.fill_rate == pytest.approx(0.5)
    assert rf.median_days_to_first_shift == (opportunity.starts_on - today).days
    assert rf.by_year[-1].counts == {"youth": 1, "family": 2, "senior": 1}


def test_another_app_adds_its_series_to_the_table():
    register_series("corporate", "企業志工", lambda year, unit_ids: 7)
    try:
        rf = recruitment_figures()
        assert rf.by_year[-1].counts["corporate"] == 7 and rf.series["corporate"] == "企業志工"
    finally:
        EXTRA_SERIES.pop("corporate")


def test_the_dashboard_and_its_csv_show_the_recruitment_figures(client):
    open_opportunity()
    body = client.get(reverse("dashboard:index")).content.decode()
    assert "招募中的志工招募" in body and "青年志工" in body
    csv_text = client.get(reverse("dashboard:csv")).content.decode("utf-8-sig")
    assert "opportunities_open" in csv_text and "opportunity_fill_rate" in csv_text


def test_the_statistics_page_shows_the_recruitment_section(client):
    from accounts.roles import Role
    from tests.accounts.factories import make_user

    open_opportunity()
    client.force_login(make_user(Role.CENTRE_STAFF))
    body = client.get(reverse("volunteers:statistics")).content.decode()
    assert "報名到首次服務天數" in body
