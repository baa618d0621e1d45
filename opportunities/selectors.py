"""Reads for the board, the opportunity pages, the officer's lists and the open data.

Search is ``icontains`` on title, description, place and unit name, each word of the query in any
of them (so it behaves the same on PostgreSQL and SQLite, and Chinese needs no word splitting);
台 and 臺 find each other.
"""

import datetime

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from core.params import date_param
from dashboard import gazetteer
from volunteers.models import ServiceDomain, Shift, Volunteer

from .models import (
    LIVE_STATUSES,
    Application,
    ApplicationStatus,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Suitability,
)
from .rules import ApplicationFacts

MAX_QUERY = 100
MAX_TERMS = 5


def with_places(qs):
    """``accepted`` (places taken) for each opportunity."""
    return qs.annotate(
        accepted=Count("applications", filter=Q(applications__status=ApplicationStatus.ACCEPTED))
    )


def open_opportunities(today: datetime.date | None = None):
    """Taking applications: published and not past (past is decided here by date, whatever the
    nightly task has recorded yet)."""
    today = today or timezone.localdate()
    return Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED, ends_on__gte=today)


def _variants(term: str) -> set[str]:
    return {term, term.replace("台", "臺"), term.replace("臺", "台")}


def search(qs, q: str):
    terms = (q or "").replace("\u3000", " ").split()[:MAX_TERMS]
    for term in terms:
        match = Q()
        for variant in _variants(term[:MAX_QUERY]):
            match |= (
                Q(title__icontains=variant)
                | Q(description__icontains=variant)
                | Q(venue__icontains=variant)
                | Q(unit__organisation__name__icontains=variant)
            )
        qs = qs.filter(match)
    return qs


def districts() -> list[str]:
    """The city's districts (the board's filter), from the offline gazetteer."""
    city = gazetteer.normalise(settings.CITY_NAME)
    return [p.district for p in gazetteer.places() if p.county == city]


def clean_filters(params) -> dict:
    """The board's filters from a query string; unknown values are dropped (treated as "all")."""
    q = (params.get("q") or "").strip()[:MAX_QUERY]
    district = (params.get("district") or "").strip()
    domain = (params.get("domain") or "").strip()
    kind = (params.get("kind") or "").strip()
    suits = (params.get("suits") or "").strip()
    day = date_param(params.get("date"))
    return {
        "q": q,
        "district": district if district in districts() else "",
        "domain": domain if domain in ServiceDomain.values else "",
        "kind": kind if kind in OpportunityKind.values else "",
        "suits": suits if suits in Suitability.values else "",
        "date": day,
    }


def board(*, q: str = "", district: str = "", domain: str = "", kind: str = "", suits: str = "", date=None):
    qs = open_opportunities()
    if district:
        qs = qs.filter(district=district)
    if domain:
        qs = qs.filter(domain=domain)
    if kind:
        qs = qs.filter(kind=kind)
    if suits:
        qs = qs.filter(**{f"suits_{suits}": True})
    if date:
        qs = qs.filter(starts_on__lte=date, ends_on__gte=date)
    qs = search(qs, q)
    return with_places(qs.select_related("unit__organisation")).order_by("starts_on", "pk")


def public_detail(pk: int) -> Opportunity:
    """An opportunity with its unit and upcoming shifts; raises ``Opportunity.DoesNotExist``."""
    today = timezone.localdate()
    return (
        with_places(Opportunity.objects.filter(pk=pk))
        .select_related("unit__organisation", "event")
        .prefetch_related(
            Prefetch(
                "event__shifts", queryset=Shift.objects.filter(date__gte=today).order_by("date", "starts_at")
            )
        )
        .get()
    )


def of_unit(unit):
    return (
        with_places(Opportunity.objects.filter(unit=unit))
        .annotate(pending=Count("applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED)))
        .order_by("-starts_on", "-pk")
    )


def applications_of(opportunity):
    return (
        opportunity.applications.select_related("applicant", "volunteer")
        .prefetch_related("shifts")
        .order_by("status", "created_at", "pk")
    )


def applications_of_user(user):
    return (
        Application.objects.filter(applicant=user)
        .select_related("opportunity__unit__organisation", "opportunity__event")
        .prefetch_related("shifts")
        .order_by("-created_at", "-pk")
    )


def live_application(user, opportunity) -> Application | None:
    if not user.is_authenticated:
        return None
    return opportunity.applications.filter(applicant=user, status__in=LIVE_STATUSES).first()


def application_facts(opportunity, user) -> ApplicationFacts:
    """What ``applications.apply`` checks: the opportunity as stored now, the applicant's volunteer
    record, and whether they already have a live application to it."""
    opportunity = Opportunity.objects.select_related("unit__organisation").get(pk=opportunity.pk)
    return ApplicationFacts(
        opportunity=opportunity,
        profile=Volunteer.objects.filter(user=user).first(),
        already_applied=opportunity.applications.filter(applicant=user, status__in=LIVE_STATUSES).exists(),
    )
