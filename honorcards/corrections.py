"""Hours behind an issued card stay put: correcting a record a card counted.

A unit officer may not simply change a service record that an issued (valid) card used: they ask,
with a reason (``request_correction``); the volunteer centre confirms (``confirm_correction``) or
refuses; on confirmation the record is corrected through the registry's own rules and the card is
re-checked against the hours threshold, the result shown on the card's page.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import has_role
from accounts.roles import Role
from audit.services import record_event
from core.notify import people, send_notification
from volunteers.hours.services import correct_record
from volunteers.models import ServiceRecord
from volunteers.permissions import can_manage_unit

from .eligibility import format_hours
from .models import CardStatus, HonorCard, RecordCorrection
from .workflows import CORRECTION_FLOW

EMAIL = "honorcards/email/status.txt"


def cards_using(record_ids) -> dict[int, HonorCard]:
    """{record id: the valid card that counted it} for the records given (one query)."""
    through = HonorCard.service_records.through
    rows = through.objects.filter(
        servicerecord_id__in=list(record_ids), honorcard__status=CardStatus.VALID
    ).select_related("honorcard")
    return {row.servicerecord_id: row.honorcard for row in rows}


def card_using(record) -> HonorCard | None:
    return cards_using([record.pk]).get(record.pk)


def _as_text(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return "" if value is None else str(value)


def _typed(proposed: dict) -> dict:
    fields = dict(proposed)
    if "served_on" in fields:
        fields["served_on"] = datetime.date.fromisoformat(fields["served_on"])
    if "hours" in fields:
        fields["hours"] = Decimal(fields["hours"])
    return fields


class _Preview(Exception):
    """Raised to roll back a trial correction once the registry's rules have passed."""


def _check_with_registry_rules(*, record, actor, reason, fields) -> dict:
    """Run the registry's own correction rules (hours steps, the day's 24 hours, membership) on a
    trial copy, rolled back: the request is refused now rather than failing at confirmation."""
    changes = {}
    try:
        with transaction.atomic():
            corrected = correct_record(
                record=record, actor=actor, reason=reason, card_confirmed=True, **fields
            )
            changes = {f: _as_text(getattr(corrected, f)) for f in fields}
            raise _Preview
    except _Preview:
        pass
    return changes


@transaction.atomic
def request_correction(*, record: ServiceRecord, actor, reason: str, **fields) -> RecordCorrection:
    record = ServiceRecord.objects.select_for_update().select_related("unit__organisation").get(pk=record.pk)
    if not can_manage_unit(actor, record.unit):
        raise PermissionDenied(_("只有本單位的承辦人可更正服務時數。"))
    card = card_using(record)
    if card is None:
        raise ValidationError(_("這筆紀錄沒有被有效的榮譽卡採計，可以直接更正。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("這筆紀錄已用於榮譽卡 %(number)s，更正須說明原因。") % {"number": card.number}}
        )
    before = {f: _as_text(getattr(record, f)) for f in fields}
    proposed = _check_with_registry_rules(record=record, actor=actor, reason=reason, fields=fields)
    proposed = {f: v for f, v in proposed.items() if v != before[f]}
    if not proposed:
        raise ValidationError(_("內容沒有變更。"))
    try:
        with transaction.atomic():
            correction = RecordCorrection.objects.create(
                card=card,
                record=record,
                before={f: before[f] for f in proposed},
                proposed=proposed,
                reason=reason,
                requested_by=actor,
            )
    except IntegrityError:
        raise ValidationError(_("這筆紀錄已有一件更正等待推廣中心確認。")) from None
    record_event(
        actor=actor,
        action="honorcard.correction_requested",
        target=card,
        changes={f: [correction.before[f], v] for f, v in proposed.items()},
        reason=reason,
        organisation=record.unit.organisation,
    )
    send_notification(
        people(get_user_model().objects.filter(is_active=True, role=Role.CENTRE_STAFF)),
        gettext_lazy("榮譽卡採計紀錄更正待確認"),
        EMAIL,
        {
            "message": format_lazy(
                gettext_lazy("{organisation} 申請更正榮譽卡 {number} 採計的服務紀錄：{reason}"),
                organisation=record.unit.organisation.name,
                number=card.number,
                reason=reason,
            ),
            "url": "/honor-cards/corrections/",
        },
    )
    return correction


def _lock_pending(correction, action: str) -> RecordCorrection:
    correction = (
        RecordCorrection.objects.select_for_update()
        .select_related("card", "record__unit__organisation")
        .get(pk=correction.pk)
    )
    if not CORRECTION_FLOW.can(correction.status, action):
        raise ValidationError(_("這件更正已經處理過了。"))
    return correction


def can_decide(user) -> bool:
    return has_role(user, Role.CENTRE_STAFF)


def recheck(card: HonorCard, *, hours_change: Decimal) -> tuple[bool, Decimal, str]:
    """The card's counted hours after a correction, against the threshold it was issued under."""
    minimum = Decimal(settings.HONOR_CARD_MIN_HOURS)
    hours = card.hours + hours_change
    values = {"hours": format_hours(hours), "was": format_hours(card.hours), "min": minimum}
    if hours >= minimum:
        return (
            True,
            hours,
            _("更正後採計 %(hours)s 小時（原 %(was)s 小時），仍達 %(min)s 小時，榮譽卡維持有效。") % values,
        )
    return (
        False,
        hours,
        _("更正後採計 %(hours)s 小時（原 %(was)s 小時），未達 %(min)s 小時，請審核人員決定是否註銷此卡。")
        % values,
    )


@transaction.atomic
def confirm_correction(*, correction: RecordCorrection, actor, note: str = "") -> RecordCorrection:
    if not can_decide(actor):
        raise PermissionDenied(_("只有志願服務推廣中心可以確認更正。"))
    correction = _lock_pending(correction, "confirm")
    card = HonorCard.objects.select_for_update().get(pk=correction.card_id)
    record = correction.record
    hours_before = record.hours
    correct_record(
        record=record,
        actor=actor,
        reason=_("%(reason)s（推廣中心確認）") % {"reason": correction.reason},
        card_confirmed=True,
        **_typed(correction.proposed),
    )
    record.refresh_from_db()
    passed, hours, message = recheck(card, hours_change=record.hours - hours_before)
    CORRECTION_FLOW.advance(correction, "confirm")
    correction.decided_by = actor
    correction.decided_at = timezone.now()
    correction.decision_note = (note or "").strip()
    correction.recheck_passed, correction.recheck_hours, correction.recheck_note = passed, hours, message
    correction.save()
    record_event(
        actor=actor,
        action="honorcard.correction_confirmed",
        target=card,
        changes={"recheck": message, "hours": [str(card.hours), str(hours)]},
        reason=correction.reason,
        organisation=record.unit.organisation,
    )
    return correction


@transaction.atomic
def refuse_correction(*, correction: RecordCorrection, actor, note: str) -> RecordCorrection:
    if not can_decide(actor):
        raise PermissionDenied(_("只有志願服務推廣中心可以確認更正。"))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("不同意更正時請說明理由。")})
    correction = _lock_pending(correction, "refuse")
    CORRECTION_FLOW.advance(correction, "refuse")
    correction.decided_by = actor
    correction.decided_at = timezone.now()
    correction.decision_note = note
    correction.save()
    record_event(
        actor=actor,
        action="honorcard.correction_refused",
        target=correction.card,
        reason=note,
        organisation=correction.record.unit.organisation,
    )
    return correction
