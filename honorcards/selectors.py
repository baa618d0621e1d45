"""Reads for honor-card pages: bounded queries for lists."""

from django.db.models import Q

from volunteers.models import Volunteer, VolunteerUnit

from .eligibility import check_eligibility
from .models import OPEN_STATUSES, Application, ApplicationStatus, HonorCard

QUEUE_STATUS = {"centre": ApplicationStatus.SUBMITTED, "bureau": ApplicationStatus.CENTRE_APPROVED}


def applications():
    return Application.objects.select_related("volunteer", "unit__organisation", "previous_card")


def queue(stage: str, *, unit_id=None):
    """Cases waiting for a review stage, oldest first."""
    qs = applications().filter(status=QUEUE_STATUS[stage]).order_by("submitted_at", "pk")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs


def units_with_applications():
    return (
        VolunteerUnit.objects.filter(honor_card_applications__status__in=OPEN_STATUSES)
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name")
    )


def unit_applications(unit, *, status=""):
    qs = applications().filter(unit=unit).order_by("-submitted_at", "-pk")
    return qs.filter(status=status) if status else qs


def cards(*, unit=None, q="", state=""):
    qs = HonorCard.objects.select_related("unit__organisation", "volunteer").order_by("-issued_on", "-number")
    if unit is not None:
        qs = qs.filter(unit=unit)
    if q:
        qs = qs.filter(Q(number__startswith=q) | Q(holder_name__icontains=q))
    if state in ("revoked", "replaced"):
        qs = qs.filter(status=state)
    elif state == "valid":
        from django.utils import timezone

        qs = qs.filter(status="valid", expires_on__gte=timezone.localdate())
    elif state == "expired":
        from django.utils import timezone

        qs = qs.filter(status="valid", expires_on__lt=timezone.localdate())
    return qs


def earlier_cards(volunteer):
    return (
        HonorCard.objects.filter(volunteer=volunteer)
        .select_related("unit__organisation")
        .order_by("-issued_on")
    )


def unit_candidates(unit):
    """Volunteers serving in the unit with no open application, for the eligible list."""
    return (
        Volunteer.objects.filter(memberships__unit=unit, memberships__left_on__isnull=True)
        .exclude(honor_card_applications__status__in=OPEN_STATUSES)
        .distinct()
        .order_by("name", "pk")
    )


def with_checks(volunteers, *, as_of):
    return [(volunteer, check_eligibility(volunteer, as_of=as_of)) for volunteer in volunteers]
