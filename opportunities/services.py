"""Writes for opportunities and applications: one function per step, each atomic, row-locked where
officers and applicants race (the opportunity's places), audited, with the e-mail of that step.

Closing: the unit closes an opportunity; the acceptance that fills the last place closes it as
full (a withdrawal reopens it while it is not past); "past" is computed wherever it decides
something (``Opportunity.is_open``, ``selectors.open_opportunities``) and only recorded by
``close_past_opportunities`` (nightly beat task) for lists, figures and the page cache.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from core.notify import send_notification
from core.pagecache import invalidate
from dashboard import gazetteer
from volunteers.events import services as event_services
from volunteers.permissions import unit_may_record_hours

from . import permissions, rules
from .models import (
    ApplicationStatus,
    ClosedReason,
    Opportunity,
    OpportunityStatus,
)

PAGE_CACHE = "opportunities"
EMAIL = "opportunities/email/status.txt"
REMINDER_HOURS = 24
OPPORTUNITY_FIELDS = (
    "title",
    "description",
    "domain",
    "kind",
    "starts_on",
    "ends_on",
    "schedule",
    "capacity",
    "venue",
    "district",
    "latitude",
    "longitude",
    "requires_basic_training",
    "requires_special_training",
    "min_age",
    "max_age",
    "conditions",
    "suits_family",
    "suits_youth",
    "suits_senior",
    "suits_company",
    "question",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def _changed(*, map_too: bool = True):
    """The board, the opportunity pages and the welfare map show what changed."""
    if map_too:
        invalidate(PAGE_CACHE, "dashboard")
    else:
        invalidate(PAGE_CACHE)


def _notify(recipients, subject, message, url: str, note: str = "") -> None:
    """``subject`` and ``message`` lazy (gettext_lazy, interpolate_lazy): each recipient reads them
    in their own language; ``note`` is what an officer typed, sent as written."""
    send_notification(recipients, subject, EMAIL, {"message": message, "url": url, "note": note})


# --- Opportunities ----------------------------------------------------------------------------


def _place(opportunity: Opportunity) -> None:
    """District from the address when not given; the district's centre when no point was picked."""
    place = gazetteer.locate(opportunity.venue)
    if place is not None and not opportunity.district:
        opportunity.district = place.district
    gazetteer.place_if_unplaced(opportunity, opportunity.venue)


@transaction.atomic
def create_opportunity(*, unit, actor, **fields) -> Opportunity:
    """A draft opportunity and the event that holds its shifts (the unit publishes it later)."""
    if not permissions.can_post(actor, unit):
        raise PermissionDenied(_("只有本單位的承辦人可以刊登志工招募。"))
    if not unit_may_record_hours(unit):
        raise ValidationError(_("本單位的志願服務計畫尚未核備，無法刊登志工招募。"))
    unknown = set(fields) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    fields = rules.clean_opportunity(dict(fields), today=timezone.localdate(), is_new=True)
    event = event_services.create_event(
        unit=unit,
        actor=actor,
        title=fields["title"][:200],
        venue=fields["venue"],
        domain=fields["domain"],
        starts_on=fields["starts_on"],
        ends_on=fields["ends_on"],
        description=fields["description"],
    )
    opportunity = Opportunity(unit=unit, event=event, created_by=actor, **fields)
    _place(opportunity)
    opportunity.save()
    record_event(
        actor=actor, action="opportunity.created", target=opportunity, organisation=unit.organisation
    )
    return opportunity


@transaction.atomic
def update_opportunity(*, opportunity: Opportunity, actor, **fields) -> Opportunity:
    opportunity = (
        Opportunity.objects.select_for_update().select_related("unit", "event").get(pk=opportunity.pk)
    )
    if not permissions.can_manage_opportunity(actor, opportunity):
        raise PermissionDenied(_("只有本單位的承辦人可以修改志工招募。"))
    unknown = set(fields) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    old = {name: getattr(opportunity, name) for name in OPPORTUNITY_FIELDS}
    merged = rules.clean_opportunity({**old, **fields}, today=timezone.localdate(), is_new=False)
    shifts = opportunity.event.shifts.all()
    if (
        shifts.filter(date__lt=merged["starts_on"]).exists()
        or shifts.filter(date__gt=merged["ends_on"]).exists()
    ):
        raise ValidationError({"starts_on": _("已有班次在新的期間之外，請先調整班次。")})
    accepted = opportunity.applications.filter(status=ApplicationStatus.ACCEPTED).count()
    if merged["capacity"] < accepted:
        raise ValidationError({"capacity": _("已錄取 %(n)s 人，招募人數不可少於此數。") % {"n": accepted}})
    if merged["venue"] != old["venue"] and "latitude" not in fields:
        merged["latitude"] = merged["longitude"] = None  # a new address: place it again
        merged["district"] = fields.get("district", "")
    for name in OPPORTUNITY_FIELDS:
        setattr(opportunity, name, merged[name])
    _place(opportunity)
    opportunity.save()
    if opportunity.capacity > old["capacity"] or opportunity.closed_reason == ClosedReason.FULL:
        # More places: the earliest waiting applicants are accepted into them; what is left
        # reopens a closed-as-full opportunity to applications.
        from .waitlist import CAPACITY, fill_reopened_places

        fill_reopened_places(opportunity, actor=actor, reopened_by=CAPACITY)
    event = opportunity.event
    event.title, event.venue, event.domain = opportunity.title[:200], opportunity.venue, opportunity.domain
    event.starts_on, event.ends_on, event.description = (
        opportunity.starts_on,
        opportunity.ends_on,
        opportunity.description,
    )
    event.save()
    changes = {
        name: [str(old[name]), str(getattr(opportunity, name))]
        for name in OPPORTUNITY_FIELDS
        if old[name] != getattr(opportunity, name)
    }
    if changes:
        record_event(
            actor=actor,
            action="opportunity.edited",
            target=opportunity,
            changes=changes,
            organisation=opportunity.unit.organisation,
        )
    _changed()
    return opportunity


@transaction.atomic
def publish_opportunity(*, opportunity: Opportunity, actor) -> Opportunity:
    """Draft → published; also reopens one the unit closed, while it is not past and not full."""
    opportunity = (
        Opportunity.objects.select_for_update().select_related("unit__organisation").get(pk=opportunity.pk)
    )
    if not permissions.can_manage_opportunity(actor, opportunity):
        raise PermissionDenied(_("只有本單位的承辦人可以刊登志工招募。"))
    if opportunity.status == OpportunityStatus.PUBLISHED:
        raise ValidationError(_("這則招募已經刊登。"))
    if opportunity.status == OpportunityStatus.CLOSED and opportunity.closed_reason != ClosedReason.BY_UNIT:
        raise ValidationError(_("名額已滿或期間已過的招募無法重新開放；請修改招募人數或期間。"))
    if opportunity.is_past:
        raise ValidationError(_("招募期間已過，請先修改期間。"))
    if not unit_may_record_hours(opportunity.unit):
        raise ValidationError(_("本單位的志願服務計畫尚未核備，無法刊登志工招募。"))
    old = opportunity.status
    opportunity.status, opportunity.closed_reason, opportunity.closed_at = (
        OpportunityStatus.PUBLISHED,
        "",
        None,
    )
    opportunity.published_at = opportunity.published_at or timezone.now()
    opportunity.save(update_fields=["status", "closed_reason", "closed_at", "published_at", "updated_at"])
    record_event(
        actor=actor,
        action="opportunity.published",
        target=opportunity,
        changes={"status": [old, opportunity.status]},
        organisation=opportunity.unit.organisation,
    )
    _changed()
    return opportunity


def _close(opportunity: Opportunity, reason: str) -> None:
    opportunity.status, opportunity.closed_reason = OpportunityStatus.CLOSED, reason
    opportunity.closed_at = timezone.now()
    opportunity.save(update_fields=["status", "closed_reason", "closed_at", "updated_at"])


@transaction.atomic
def close_opportunity(*, opportunity: Opportunity, actor) -> Opportunity:
    opportunity = (
        Opportunity.objects.select_for_update().select_related("unit__organisation").get(pk=opportunity.pk)
    )
    if not permissions.can_manage_opportunity(actor, opportunity):
        raise PermissionDenied(_("只有本單位的承辦人可以結束招募。"))
    if opportunity.status != OpportunityStatus.PUBLISHED:
        raise ValidationError(_("只有招募中的招募可以結束。"))
    _close(opportunity, ClosedReason.BY_UNIT)
    record_event(
        actor=actor,
        action="opportunity.closed",
        target=opportunity,
        changes={"status": [OpportunityStatus.PUBLISHED, OpportunityStatus.CLOSED]},
        organisation=opportunity.unit.organisation,
    )
    _changed()
    return opportunity


def close_past_opportunities(today: datetime.date | None = None) -> int:
    """Record "past" on published opportunities whose last day has gone (idempotent; the board
    already hides them by date). Returns how many were closed."""
    today = today or timezone.localdate()
    closed = 0
    for pk in Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED, ends_on__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            opportunity = (
                Opportunity.objects.select_for_update()
                .select_related("unit__organisation")
                .filter(pk=pk, status=OpportunityStatus.PUBLISHED, ends_on__lt=today)
                .first()
            )
            if opportunity is None:
                continue
            _close(opportunity, ClosedReason.PAST)
            # ID numbers of applications nobody decided on are not kept past the opportunity
            # (collected only for registering an accepted applicant).
            opportunity.applications.exclude(identity_number="").update(identity_kind="", identity_number="")
            record_event(
                actor=None,
                action="opportunity.closed_past",
                target=opportunity,
                organisation=opportunity.unit.organisation,
            )
            closed += 1
    if closed:
        with transaction.atomic():
            _changed()
    return closed


@transaction.atomic
def add_shift(*, opportunity: Opportunity, actor, **fields):
    """A shift of the opportunity (a shift of its event; the events' rules apply)."""
    shift = event_services.add_shift(event=opportunity.event, actor=actor, **fields)
    _changed(map_too=False)
    return shift
