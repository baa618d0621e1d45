"""Service records (服務紀錄): recording, the week grid, certification and corrections.

Rules every path shares (the form, the week grid, event sign-in/out, imports and the API):

- hours are actual service time in quarter-hour steps (0.25 … 24);
- a volunteer serves at most 24 hours a day **across all units**: the check sums that day's hours
  of every unit with the volunteer's row locked (``select_for_update``), so two officers saving at
  the same moment cannot both pass;
- the unit must have an approved service plan (``unit_may_record_hours``) and the actor must be
  one of its officers; the volunteer must be serving in the unit on that day;
- every write is audited; a correction keeps the old values (``audit.services.diff``).
"""

import datetime
from collections import Counter
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import diff, record_event
from honorcards.models import CardStatus

from ..models import (
    MAX_HOURS_PER_DAY,
    Membership,
    ServiceDomain,
    ServiceRecord,
    ServiceRecordSource,
    ServiceRecordStatus,
    Volunteer,
)
from ..permissions import can_manage_unit, unit_may_record_hours
from ..workflows import SERVICE_RECORD_FLOW
from . import exports
from .rules import (
    GridChange,
    check_served_on,
    clean_hours,
    day_limit_errors,
    over_the_day_message,
    plan_week_grid,
    week_of,
)
from .selectors import week_grid_facts

CORRECTABLE_FIELDS = ("served_on", "hours", "domain", "activity")
NO_PLAN_MESSAGE = gettext_lazy("本單位的志願服務計畫尚未核備，無法登錄服務時數。")


def check_unit(*, unit, actor) -> None:
    if not can_manage_unit(actor, unit):
        raise PermissionDenied(_("只有本單位的承辦人可登錄服務時數。"))
    if not unit_may_record_hours(unit):
        raise ValidationError(NO_PLAN_MESSAGE)


def serving_filter(day: datetime.date) -> Q:
    """Memberships in force on ``day``."""
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gte=day))


def check_serving(*, unit, volunteer_id, day) -> None:
    if (
        not Membership.objects.filter(unit=unit, volunteer_id=volunteer_id)
        .filter(serving_filter(day))
        .exists()
    ):
        raise ValidationError(_("此志工在服務日期不是本單位的隊員。"))


def lock_volunteers(volunteer_ids) -> None:
    """Lock the volunteers' rows in a fixed order (no deadlock between two grids)."""
    list(Volunteer.objects.select_for_update().filter(pk__in=set(volunteer_ids)).order_by("pk").values("pk"))


def day_totals(pairs, *, exclude_ids=()) -> dict[tuple[int, datetime.date], Decimal]:
    """Hours already recorded, in every unit, for each (volunteer id, day) in ``pairs`` — one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    volunteer_ids = {v for v, _ in pairs}
    days = [d for _, d in pairs]
    rows = (
        ServiceRecord.objects.filter(
            volunteer_id__in=volunteer_ids, served_on__gte=min(days), served_on__lte=max(days)
        )
        .exclude(pk__in=list(exclude_ids))
        .values("volunteer_id", "served_on")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    return {
        (r["volunteer_id"], r["served_on"]): r["total"]
        for r in rows
        if (r["volunteer_id"], r["served_on"]) in pairs
    }


def _check_day_limit(volunteer_id, day, hours, *, exclude_ids=()) -> None:
    already = day_totals({(volunteer_id, day)}, exclude_ids=exclude_ids).get((volunteer_id, day), Decimal(0))
    if already + hours > MAX_HOURS_PER_DAY:
        raise ValidationError(over_the_day_message(day, already, hours))


@transaction.atomic
def record_service(
    *,
    unit,
    actor,
    volunteer,
    served_on: datetime.date,
    hours,
    domain: str,
    activity: str = "",
    source: str = ServiceRecordSource.FORM,
) -> ServiceRecord:
    """One service record (逐筆登錄, or from an event's confirmed sign-in/out)."""
    check_unit(unit=unit, actor=actor)
    hours = clean_hours(hours)
    check_served_on(served_on)
    if domain not in ServiceDomain.values:
        raise ValidationError(_("請選擇服務領域。"))
    lock_volunteers([volunteer.pk])
    check_serving(unit=unit, volunteer_id=volunteer.pk, day=served_on)
    _check_day_limit(volunteer.pk, served_on, hours)
    record = ServiceRecord.objects.create(
        volunteer=volunteer,
        unit=unit,
        served_on=served_on,
        hours=hours,
        domain=domain,
        activity=activity[:200],
        source=source,
        created_by=actor,
    )
    record_event(
        actor=actor,
        action="service_record.created",
        target=record,
        changes={"hours": str(hours), "served_on": served_on.isoformat(), "source": source},
        organisation=unit.organisation,
    )
    return record


# --- The week grid ----------------------------------------------------------------------------


@transaction.atomic
def record_week_grid(
    *, unit, actor, week_start: datetime.date, cells: dict, domain: str, activity: str = ""
) -> dict:
    """Save a week of hours for many volunteers at once (週表登錄).

    ``cells`` maps (volunteer id, day) → hours (``None``/0 clears the cell). Each cell is the unit's
    week-grid record for that volunteer and day: created, changed or deleted; certified cells
    cannot be changed here (use a correction). All cells are checked first; any error saves nothing.
    Returns counts ``{"created", "updated", "deleted"}``.
    """
    check_unit(unit=unit, actor=actor)
    if domain not in ServiceDomain.values:
        raise ValidationError(_("請選擇服務領域。"))
    volunteer_ids = {v for v, _day in cells}
    lock_volunteers(volunteer_ids)
    facts = week_grid_facts(unit, week_of(week_start), volunteer_ids, today=timezone.localdate())
    changes, errors = plan_week_grid(facts, cells)
    others = day_totals(
        {(c.volunteer_id, c.day) for c in changes if c.hours is not None},
        exclude_ids=[c.record.pk for c in changes if c.record is not None],
    )
    errors += day_limit_errors(facts, changes, others)
    if errors:
        raise ValidationError(errors)
    counts = Counter({"created": 0, "updated": 0, "deleted": 0})
    for change in changes:
        counts[_apply_grid_change(change, unit=unit, actor=actor, domain=domain, activity=activity)] += 1
    return dict(counts)


def _apply_grid_change(change: GridChange, *, unit, actor, domain, activity) -> str:
    """Write one checked cell, audited; returns "created", "updated" or "deleted"."""
    record = change.record
    if record is None:
        record = ServiceRecord.objects.create(
            volunteer_id=change.volunteer_id,
            unit=unit,
            served_on=change.day,
            hours=change.hours,
            domain=domain,
            activity=activity[:200],
            source=ServiceRecordSource.GRID,
            created_by=actor,
        )
        record_event(
            actor=actor,
            action="service_record.created",
            target=record,
            changes={"hours": str(change.hours), "served_on": change.day.isoformat(), "source": "grid"},
            organisation=unit.organisation,
        )
        return "created"
    if change.hours is None:
        record_event(
            actor=actor,
            action="service_record.deleted",
            target=record,
            changes={"hours": [str(record.hours), None]},
            organisation=unit.organisation,
        )
        record.delete()
        return "deleted"
    old = {"hours": record.hours}
    record.hours = change.hours
    record.save(update_fields=["hours", "updated_at"])
    record_event(
        actor=actor,
        action="service_record.corrected",
        target=record,
        changes=diff(record, old, ["hours"]),
        organisation=unit.organisation,
    )
    return "updated"


# --- Certification and corrections -------------------------------------------------------------


@transaction.atomic
def certify_records(*, unit, actor, record_ids) -> int:
    """Certify the unit's recorded (not yet certified) records; returns how many."""
    if not can_manage_unit(actor, unit):
        raise PermissionDenied(_("只有本單位的承辦人可認證服務時數。"))
    # Only records the table lets be certified are taken; the others (already certified) are skipped.
    records = list(
        ServiceRecord.objects.select_for_update()
        .filter(unit=unit, pk__in=list(record_ids), status__in=SERVICE_RECORD_FLOW.moves["certify"].sources)
        .order_by("pk")
    )
    now = timezone.now()
    previous = {}
    for record in records:
        previous[record.pk] = SERVICE_RECORD_FLOW.advance(record, "certify")
        record.certified_at = now
        record.certified_by = actor
    ServiceRecord.objects.bulk_update(records, ["status", "certified_at", "certified_by"])
    for record in records:
        record_event(
            actor=actor,
            action="service_record.certified",
            target=record,
            changes={"status": [previous[record.pk], record.status]},
            organisation=unit.organisation,
        )
    return len(records)


@transaction.atomic
def correct_record(
    *, record: ServiceRecord, actor, reason: str = "", card_confirmed: bool = False, **fields
) -> ServiceRecord:
    """Change a record's date, hours, domain or activity; the old values stay in the audit trail.
    A certified record needs a reason. A record an issued honor card counted changes only through
    the card's correction request, confirmed by the volunteer centre (``card_confirmed``)."""
    unknown = set(fields) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValueError(f"cannot correct {sorted(unknown)}")
    lock_volunteers([record.volunteer_id])
    record = ServiceRecord.objects.select_for_update().select_related("unit__organisation").get(pk=record.pk)
    unit = record.unit
    # card_confirmed comes only from honorcards.corrections, which checks who asks and who confirms.
    if not (card_confirmed or can_manage_unit(actor, unit)):
        raise PermissionDenied(_("只有本單位的承辦人可更正服務時數。"))
    if not card_confirmed:
        card = record.honor_cards.filter(status=CardStatus.VALID).only("number").first()
        if card is not None:
            raise ValidationError(
                _("這筆紀錄已用於榮譽卡 %(number)s：更正須說明原因，並經志願服務推廣中心確認。")
                % {"number": card.number}
            )
    certified = record.status == ServiceRecordStatus.CERTIFIED
    if certified and not reason.strip():
        raise ValidationError(_("更正已認證的紀錄須說明原因。"))
    old = {f: getattr(record, f) for f in CORRECTABLE_FIELDS}
    if "hours" in fields:
        fields["hours"] = clean_hours(fields["hours"])
    if "domain" in fields and fields["domain"] not in ServiceDomain.values:
        raise ValidationError(_("請選擇服務領域。"))
    for name, value in fields.items():
        setattr(record, name, value)
    if record.served_on != old["served_on"]:
        check_served_on(record.served_on)
        check_serving(unit=unit, volunteer_id=record.volunteer_id, day=record.served_on)
    _check_day_limit(record.volunteer_id, record.served_on, record.hours, exclude_ids=[record.pk])
    changes = diff(record, old, CORRECTABLE_FIELDS)
    if not changes:
        return record
    record.save()
    record_event(
        actor=actor,
        action="service_record.corrected",
        target=record,
        changes={**changes, "status": record.status},
        reason=reason.strip(),
        organisation=unit.organisation,
    )
    return record


# --- Exports (audited: personal data leaves the portal) ---------------------------------------


def export_unit_xlsx(*, unit, actor, start: datetime.date, end: datetime.date) -> bytes:
    """The unit's workbook of the period, audited."""
    data = exports.unit_xlsx(unit, start, end)
    record_event(
        actor=actor,
        action="volunteers.exported",
        target=unit,
        changes={"format": "xlsx", "year": start.year},
        organisation=unit.organisation,
    )
    return data


NATIONAL_EXPORTS = {
    "volunteers": lambda unit, start, end: exports.national_volunteer_rows(unit),
    "hours": exports.national_hours_rows,
}


def export_national_csv(*, unit, actor, kind: str, start: datetime.date, end: datetime.date) -> bytes:
    """The national system's CSV (``kind`` in ``NATIONAL_EXPORTS``), audited."""
    rows = NATIONAL_EXPORTS[kind](unit, start, end)
    record_event(
        actor=actor,
        action="volunteers.exported",
        target=unit,
        changes={"format": f"national-{kind}", "year": start.year, "rows": len(rows) - 1},
        organisation=unit.organisation,
    )
    return exports.to_csv(rows)
