"""The volunteer demo data: idempotent, the demo volunteer has a rich history, review queues are not empty."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.seed import seed as seed_accounts
from core.seeding import SeedContext
from volunteers.models import (
    Membership,
    PlanStatus,
    ServicePlan,
    ServiceRecord,
    TrainingKind,
    Volunteer,
    VolunteerUnit,
)
from volunteers.registry.selectors import volunteer_totals, volunteers_reaching
from volunteers.seed import seed as seed_volunteers
from volunteers.statistics.selectors import volunteer_figures

pytestmark = pytest.mark.django_db


def counts():
    return {m: m.objects.count() for m in (Volunteer, VolunteerUnit, Membership, ServicePlan, ServiceRecord)}


def run(scale=1):
    ctx = SeedContext(scale=scale, log=lambda *a: None)
    seed_accounts(ctx)
    seed_volunteers(ctx)
    return ctx


def test_seeding_twice_adds_nothing_and_a_larger_scale_only_adds():
    run()
    first = counts()
    assert first[VolunteerUnit] >= 20 and first[Volunteer] >= 300
    run()
    assert counts() == first
    run(scale=2)
    assert counts()[VolunteerUnit] == first[VolunteerUnit] + 11


def test_the_demo_volunteer_is_linked_and_eligible_for_an_honor_card():
    ctx = run()
    demo = Volunteer.objects.get(user__email="volunteer@demo.goodday.tw")
    assert ctx.samples["volunteer"] == demo.pk
    totals = volunteer_totals(demo)
    assert totals["total_hours"] > Decimal("300")
    assert totals["first_service"] <= timezone.localdate() - datetime.timedelta(days=4 * 365)
    assert totals["last_service"] >= timezone.localdate() - datetime.timedelta(days=180)
    assert demo.trainings.filter(kind=TrainingKind.SPECIAL).exists()
    assert demo.record_book_number and demo.memberships.count() == 2


def test_the_seeded_city_looks_like_the_plan_says():
    run()
    figures = volunteer_figures(year=timezone.localdate().year)
    assert Decimal("0.15") < figures.seniors_share < Decimal("0.35")
    assert figures.insured_share > Decimal("0.9")
    assert figures.record_book_share > Decimal("0.85")
    assert ServicePlan.objects.filter(status=PlanStatus.SUBMITTED).exists()
    assert ServicePlan.objects.filter(status=PlanStatus.CENTRE_APPROVED).exists()
    assert {p.threshold for p in volunteers_reaching()} == {3000, 5000, 8000}
