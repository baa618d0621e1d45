"""Reads for large events' volunteer plans and their figures (hours from service records)."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.permissions import has_role
from accounts.roles import Role
from volunteers.models import Event, InsurancePolicy, ServiceRecord
from volunteers.permissions import oversees_all_units, unit_of

from .models import LargeEventPlan, LargeEventPlanStatus


def as_hours(value) -> Decimal:
    """Hours with two decimals on every database (SQLite sums decimals as numbers)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


RELATED = ("event__unit__organisation", "competent_bureau", "insurance_policy")


def plans_for(user):
    """The organiser's own plans; the reviewing bureau's; every plan for oversight staff."""
    plans = LargeEventPlan.objects.select_related(*RELATED).annotate(
        enrolled=Count("event__shifts__signups", filter=Q(event__shifts__signups__status="signed_up"))
    )
    if oversees_all_units(user):
        return plans
    unit = unit_of(user)
    if unit is not None:
        return plans.filter(event__unit=unit)
    if has_role(user, Role.CASEWORKER, Role.SW_REVIEWER) and user.organisation_id:
        return plans.filter(competent_bureau_id=user.organisation_id).exclude(
            status=LargeEventPlanStatus.DRAFT
        )
    return plans.none()


def events_without_plan(unit):
    return Event.objects.filter(unit=unit, ends_on__gte=timezone.localdate(), large_event_plan__isnull=True)


def unit_policies(unit):
    return InsurancePolicy.objects.filter(unit=unit, ends_on__gte=timezone.localdate())


def plan_figures(plan) -> dict:
    records = ServiceRecord.objects.filter(shift_signup__shift__event=plan.event)
    totals = records.aggregate(people=Count("volunteer", distinct=True), hours=Sum("hours"))
    signed_up = plan.event.shifts.aggregate(
        capacity=Sum("capacity"), enrolled=Count("signups", filter=Q(signups__status="signed_up"))
    )
    # Enrolment from applicants: an event published as an opportunity takes applications there,
    # and each acceptance puts the applicant on the event's shifts.
    opportunity = getattr(plan.event, "opportunity", None)
    applicants = (
        opportunity.applications.filter(status="accepted").count() if opportunity is not None else None
    )
    return {
        "opportunity": opportunity,
        "accepted_applicants": applicants,
        "capacity": signed_up["capacity"] or 0,
        "enrolled": signed_up["enrolled"] or 0,
        "served": totals["people"] or 0,
        "hours": as_hours(totals["hours"]),
    }


def large_events_by_year(*, last_year: int | None = None, years: int = 5, unit_ids=None) -> list[dict]:
    """Approved large events, their volunteers and the hours confirmed for them, per year."""
    last_year = last_year or timezone.localdate().year
    first = last_year - years + 1
    records = ServiceRecord.objects.filter(
        shift_signup__shift__event__large_event_plan__status=LargeEventPlanStatus.APPROVED,
        served_on__gte=datetime.date(first, 1, 1),
        served_on__lte=datetime.date(last_year, 12, 31),
    )
    plans = LargeEventPlan.objects.filter(
        status=LargeEventPlanStatus.APPROVED,
        event__starts_on__year__gte=first,
        event__starts_on__year__lte=last_year,
    )
    if unit_ids is not None:
        records = records.filter(unit_id__in=unit_ids)
        plans = plans.filter(event__unit_id__in=unit_ids)
    served = {
        r["served_on__year"]: r
        for r in records.values("served_on__year").annotate(
            people=Count("volunteer", distinct=True), hours=Sum("hours")
        )
    }
    events = {
        r["event__starts_on__year"]: r["n"]
        for r in plans.values("event__starts_on__year").annotate(n=Count("pk"))
    }
    return [
        {
            "year": y,
            "roc_year": y - 1911,
            "events": events.get(y, 0),
            "people": served.get(y, {}).get("people", 0),
            "hours": as_hours(served.get(y, {}).get("hours")),
        }
        for y in range(last_year, first - 1, -1)
    ]
