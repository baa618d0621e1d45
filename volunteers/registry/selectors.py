"""Reads for the volunteer and résumé pages: querysets ready for their pages
(``select_related``/``prefetch_related``) and the per-person totals the résumé shows."""

import datetime
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Max, Min, Prefetch, Q, Sum
from django.utils import timezone

from .. import permissions
from ..models import (
    Award,
    InsurancePolicy,
    Membership,
    ServiceDomain,
    ServiceRecord,
    Training,
    Volunteer,
)

ZERO = Decimal("0")
AWARD_THRESHOLDS = (3000, 5000, 8000)


# --- Volunteers -------------------------------------------------------------------------------


def volunteers_of_unit(unit, *, include_left: bool = False, q: str = ""):
    """The unit's volunteers with their membership here, ready for the roster page."""
    memberships = Membership.objects.filter(unit=unit)
    if not include_left:
        memberships = memberships.filter(left_on__isnull=True)
    volunteers = (
        Volunteer.objects.filter(pk__in=memberships.values("volunteer_id"))
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.filter(unit=unit), to_attr="unit_memberships")
        )
        .order_by("name", "pk")
    )
    q = (q or "").strip()
    if q:
        volunteers = volunteers.filter(Q(name__icontains=q) | Q(record_book_number__icontains=q))
    return volunteers


def volunteer_detail(pk):
    return Volunteer.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("unit__organisation").order_by("joined_on"),
        ),
        Prefetch("trainings", queryset=Training.objects.select_related("recorded_by_unit__organisation")),
        Prefetch("awards", queryset=Award.objects.order_by("-awarded_on")),
        Prefetch("insurance_policies", queryset=InsurancePolicy.objects.select_related("unit__organisation")),
    ).get(pk=pk)


def volunteer_totals(volunteer, unit=None) -> dict:
    """Hours of service of one person across every unit (or in ``unit`` only): total, by year, by
    unit, by domain; first and last day served. Dicts are ordered (years ascending, units by name)."""
    records = ServiceRecord.objects.filter(volunteer=volunteer)
    if unit is not None:
        records = records.filter(unit=unit)
    overall = records.aggregate(total=Sum("hours"), first=Min("served_on"), last=Max("served_on"))
    by_year = {
        row["served_on__year"]: row["hours"]
        for row in records.values("served_on__year").annotate(hours=Sum("hours")).order_by("served_on__year")
    }
    by_unit = {
        row["unit__organisation__name"]: row["hours"]
        for row in records.values("unit__organisation__name")
        .annotate(hours=Sum("hours"))
        .order_by("unit__organisation__name")
    }
    labels = {value: str(label) for value, label in ServiceDomain.choices}
    by_domain = {
        labels.get(row["domain"], row["domain"]): row["hours"]
        for row in records.values("domain").annotate(hours=Sum("hours")).order_by("-hours")
    }
    return {
        "total_hours": overall["total"] or ZERO,
        "hours_by_year": by_year,
        "hours_by_unit": by_unit,
        "hours_by_domain": by_domain,
        "first_service": overall["first"],
        "last_service": overall["last"],
    }


def is_insured(volunteer, on: datetime.date | None = None, unit=None) -> bool:
    """Covered by an accident insurance policy on ``on`` (of ``unit`` when given). Sign-in warns otherwise."""
    on = on or timezone.localdate()
    policies = volunteer.insurance_policies.filter(starts_on__lte=on, ends_on__gte=on)
    if unit is not None:
        policies = policies.filter(unit=unit)
    return policies.exists()


def insured_ids(volunteer_ids, on: datetime.date | None = None, unit=None) -> set[int]:
    """Which of these volunteers are insured on ``on``: one query for a whole list."""
    on = on or timezone.localdate()
    rows = InsurancePolicy.insured.through.objects.filter(
        volunteer_id__in=list(volunteer_ids),
        insurancepolicy__starts_on__lte=on,
        insurancepolicy__ends_on__gte=on,
    )
    if unit is not None:
        rows = rows.filter(insurancepolicy__unit=unit)
    return set(rows.values_list("volunteer_id", flat=True))


def unit_coverage(unit, on: datetime.date | None = None) -> tuple[int, int]:
    """(volunteers serving in the unit, how many of them the unit's policies cover on ``on``), in
    one query: the same people as ``volunteers_of_unit`` and ``insured_ids(…, unit=unit)``."""
    on = on or timezone.localdate()
    serving = Membership.objects.filter(unit=unit, left_on__isnull=True).values("volunteer_id")
    covered = InsurancePolicy.insured.through.objects.filter(
        insurancepolicy__unit=unit, insurancepolicy__starts_on__lte=on, insurancepolicy__ends_on__gte=on
    ).values("volunteer_id")
    counts = Volunteer.objects.filter(pk__in=serving).aggregate(
        active=Count("pk"), insured=Count("pk", filter=Q(pk__in=covered))
    )
    return counts["active"], counts["insured"]


def policies_of_unit(unit):
    return unit.insurance_policies.annotate(insured_count=Count("insured")).order_by("-starts_on")


# --- Awards -----------------------------------------------------------------------------------


def volunteers_reaching(thresholds=AWARD_THRESHOLDS, *, unit_ids=None, up_to: datetime.date | None = None):
    """People whose total hours reach the lowest threshold, highest first, each with the highest
    threshold reached and their awards, so the bureau can nominate them (e.g. 3,000/5,000/8,000 h)."""
    thresholds = sorted(thresholds)
    records = ServiceRecord.objects.all()
    if up_to is not None:
        records = records.filter(served_on__lte=up_to)
    if unit_ids is not None:
        records = records.filter(
            volunteer_id__in=Membership.objects.filter(unit_id__in=unit_ids).values("volunteer_id")
        )
    rows = (
        records.values("volunteer_id")
        .annotate(total=Sum("hours"))
        .filter(total__gte=thresholds[0])
        .order_by("-total")
    )
    totals = {row["volunteer_id"]: row["total"] for row in rows}
    people = Volunteer.objects.filter(pk__in=totals).prefetch_related(
        Prefetch("awards", queryset=Award.objects.order_by("-awarded_on")),
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("unit__organisation").filter(left_on__isnull=True),
        ),
    )
    out = []
    for person in people:
        person.total_hours = totals[person.pk]
        person.threshold = max(t for t in thresholds if person.total_hours >= t)
        out.append(person)
    out.sort(key=lambda p: (-p.total_hours, p.name))
    return out


# --- Résumé (服務履歷) --------------------------------------------------------------------------


def _honorcards_model(*names):
    for name in names:
        try:
            model = apps.get_model("honorcards", name)
        except LookupError:
            continue
        if any(f.name == "volunteer" for f in model._meta.get_fields()):
            return model
    return None


def resume_cards_section(volunteer, unit=None) -> dict:
    """Honor cards and applications, when the honorcards app offers them (it may not be installed).
    Cards show ``number``/``expires_on``/status when the model has them; anything else by ``str``."""
    out = {"available": False, "cards": [], "applications": []}
    if not apps.is_installed("honorcards"):
        return out
    card_model = _honorcards_model("HonorCard")
    application_model = _honorcards_model("HonorCardApplication", "Application")
    out["available"] = bool(card_model or application_model)
    if card_model is not None:
        out["cards"] = list(card_model.objects.filter(volunteer=volunteer).order_by("-pk")[:50])
    if application_model is not None:
        applications = application_model.objects.filter(volunteer=volunteer)
        if unit is not None and any(f.name == "unit" for f in application_model._meta.get_fields()):
            applications = applications.filter(unit=unit)  # another unit's applications are theirs
        out["applications"] = list(applications.order_by("-pk")[:50])
    return out


# --- What one viewer sees of a person ------------------------------------------------------------


def scope_for(user, volunteer):
    """``None`` when the viewer sees the whole record (the person, oversight staff); else the unit
    whose part of the record they see: a unit sees what concerns its own membership."""
    if user.is_authenticated and volunteer.user_id is not None and volunteer.user_id == user.pk:
        return None
    if permissions.oversees_all_units(user):
        return None
    return permissions.unit_of(user)


def _trainings(volunteer, unit):
    """(shown in detail, others as kind and domain only): trainings another unit recorded are that
    unit's; those recorded by nobody's unit (the centre's courses) and this unit's are shown."""
    trainings = list(
        volunteer.trainings.select_related("recorded_by_unit__organisation").order_by("-completed_on")
    )
    if unit is None:
        return trainings, []
    mine = [t for t in trainings if t.recorded_by_unit_id in (None, unit.pk)]
    others = [t for t in trainings if t.recorded_by_unit_id not in (None, unit.pk)]
    summary = sorted({(t.get_kind_display(), t.get_domain_display() if t.domain else "") for t in others})
    return mine, summary


def person_view(volunteer, unit=None) -> dict:
    """The parts of a person's record the volunteer page shows, scoped to ``unit`` when given."""
    today = timezone.localdate()
    memberships = [m for m in volunteer.memberships.all() if unit is None or m.unit_id == unit.pk]
    trainings, other_trainings = _trainings(volunteer, unit)
    return {
        "memberships": memberships,
        "trainings": trainings,
        "other_trainings": other_trainings,
        "totals": volunteer_totals(volunteer, unit=unit),
        "insured_now": is_insured(volunteer, today, unit=unit),
        "scope_unit": unit,
    }


def resume(volunteer, unit=None) -> dict:
    """Everything the résumé page and PDF show: the whole record for the person and oversight
    staff, the part that concerns ``unit`` for a unit."""
    today = timezone.localdate()
    memberships = list(volunteer.memberships.select_related("unit__organisation").order_by("joined_on"))
    policies = list(volunteer.insurance_policies.select_related("unit__organisation").order_by("-starts_on"))
    records = ServiceRecord.objects.filter(volunteer=volunteer)
    if unit is not None:
        memberships = [m for m in memberships if m.unit_id == unit.pk]
        policies = [p for p in policies if p.unit_id == unit.pk]
        records = records.filter(unit=unit)
    trainings, other_trainings = _trainings(volunteer, unit)
    by_year_unit = (
        records.values("served_on__year", "unit__organisation__name")
        .annotate(hours=Sum("hours"), times=Count("pk"))
        .order_by("-served_on__year", "unit__organisation__name")
    )
    return {
        "volunteer": volunteer,
        "totals": volunteer_totals(volunteer, unit=unit),
        "year_unit_rows": list(by_year_unit),
        "memberships": memberships,
        "trainings": trainings,
        "other_trainings": other_trainings,
        "policies": policies,
        "insured_now": any(p.starts_on <= today <= p.ends_on for p in policies),
        "awards": list(volunteer.awards.order_by("-awarded_on")),
        "cards": resume_cards_section(volunteer, unit=unit),
        "scope_unit": unit,
        "today": today,
    }
