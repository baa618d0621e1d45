"""Reads for honor-card pages: bounded queries for lists."""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from volunteers.models import ServiceDomain, ServiceRecord, Training, TrainingKind, Volunteer, VolunteerUnit

from .eligibility import Declared, EligibilityFacts, EligibilityResult, PreviousCard, ServiceRow, evaluate
from .models import OPEN_STATUSES, Application, ApplicationStatus, CardState, CardStatus, HonorCard

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
    if state in (CardStatus.REVOKED, CardStatus.REPLACED):
        qs = qs.filter(status=state)
    elif state == CardState.VALID:
        qs = qs.filter(status=CardStatus.VALID, expires_on__gte=timezone.localdate())
    elif state == CardState.EXPIRED:  # not a stored status: a valid card past its expiry
        qs = qs.filter(status=CardStatus.VALID, expires_on__lt=timezone.localdate())
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
    """Each volunteer with their check, the facts of the whole page read in three queries (not three
    per volunteer): the same facts ``eligibility_facts`` reads one volunteer at a time."""
    volunteers = list(volunteers)
    ids = [v.pk for v in volunteers]
    previous = {}
    for card in _previous_cards(HonorCard.objects.filter(volunteer_id__in=ids)).order_by(
        "volunteer_id", "-expires_on", "-pk"
    ):
        previous.setdefault(card.volunteer_id, card)
    records = defaultdict(list)
    for volunteer_id, *row in _counted_records(ids, as_of).values_list("volunteer_id", *RECORD_FIELDS):
        records[volunteer_id].append(row)
    trainings = defaultdict(list)
    for volunteer_id, *row in Training.objects.filter(
        volunteer_id__in=ids, kind=TrainingKind.SPECIAL
    ).values_list("volunteer_id", "domain", "completed_on"):
        trainings[volunteer_id].append(tuple(row))
    labels = _domain_labels()  # translated once for the page
    return [
        (
            v,
            evaluate(
                _facts(
                    v,
                    as_of,
                    previous.get(v.pk),
                    records[v.pk],
                    trainings[v.pk],
                    declared=None,
                    domain_labels=labels,
                )
            ),
        )
        for v in volunteers
    ]


# --- eligibility: the facts from the database, the rules in honorcards.eligibility ---------------


RECORD_FIELDS = ("pk", "served_on", "hours", "domain", "unit__organisation__name")


def _previous_cards(cards):
    return cards.exclude(status=CardStatus.REVOKED)


def _counted_records(volunteer_ids, as_of: datetime.date):
    """The volunteers' records served by ``as_of`` not used by a standing card, in the order served.

    A card counts only its holder's records, so the records used are read from the volunteers' own
    standing cards (an index walk from the card), not by joining every card's records to theirs: at
    Taipei's size the planner hashed all 120,000 counted records for each check (70 ms)."""
    used = HonorCard.service_records.through.objects.filter(
        honorcard__volunteer_id__in=volunteer_ids,
        honorcard__status__in=[CardStatus.VALID, CardStatus.REPLACED],
    ).values("servicerecord_id")
    return (
        ServiceRecord.objects.filter(volunteer_id__in=volunteer_ids, served_on__lte=as_of)
        .exclude(pk__in=used)
        .order_by("served_on", "pk")
    )


def previous_card(volunteer) -> HonorCard | None:
    """The card a new application renews: the latest one not revoked."""
    return (
        _previous_cards(HonorCard.objects.filter(volunteer=volunteer)).order_by("-expires_on", "-pk").first()
    )


def _domain_labels() -> dict:
    return {value: str(label) for value, label in ServiceDomain.choices}


def _facts(
    volunteer, as_of, previous, records, trainings, *, declared, domain_labels=None
) -> EligibilityFacts:
    return EligibilityFacts(
        volunteer_id=volunteer.pk,
        as_of=as_of,
        service_started_on=volunteer.service_started_on,
        previous=PreviousCard(previous.number, previous.expires_on) if previous else None,
        records=[ServiceRow(*row) for row in records],
        special_trainings=list(trainings),
        domain_labels=domain_labels or _domain_labels(),
        declared=declared or Declared(),
    )


def eligibility_facts(
    volunteer, *, as_of: datetime.date, declared: Declared | None = None
) -> EligibilityFacts:
    """What the eligibility rules read: records not used by a standing card, trainings, previous card."""
    records = _counted_records([volunteer.pk], as_of).values_list(*RECORD_FIELDS)
    trainings = volunteer.trainings.filter(kind=TrainingKind.SPECIAL).values_list("domain", "completed_on")
    return _facts(volunteer, as_of, previous_card(volunteer), records, trainings, declared=declared)


def check_eligibility(
    volunteer, *, as_of: datetime.date, declared: Declared | None = None
) -> EligibilityResult:
    """The volunteer's eligibility on ``as_of``, with its working shown."""
    return evaluate(eligibility_facts(volunteer, as_of=as_of, declared=declared))


def recheck(application) -> EligibilityResult | None:
    """An open application's check recomputed today with the figures it declared (None once closed:
    its filed snapshot is what counts)."""
    if not application.is_open:
        return None
    declared = Declared(
        service_started_on=application.declared_start,
        last_service_on=application.declared_last_service,
        hours=application.declared_hours,
    )
    return check_eligibility(application.volunteer, as_of=timezone.localdate(), declared=declared)
