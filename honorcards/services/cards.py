"""Issued cards: numbering, issuing, revoking and reissuing (moves of ``CARD_FLOW``), the PDF."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_event
from core.pagecache import invalidate
from core.queueing import queue_after_commit
from core.roc import roc_year
from core.sequences import take_next_number

from .. import signing
from ..models import Counter, HonorCard
from ..pdf import render_card
from ..workflows import CARD_FLOW
from .notifications import notify, unit_officers


def next_card_number(today: datetime.date) -> str:
    """ROC year of issue + a five-digit sequence (11500042); must run inside a transaction."""
    year = roc_year(today)
    return f"{year}{take_next_number(Counter, year):05d}"


def new_card(
    *,
    volunteer,
    unit,
    application,
    holder_name,
    photo_file,
    issued_on,
    expires_on,
    counted_from,
    counted_until,
    hours,
    years,
    replaces=None,
) -> HonorCard:
    number = next_card_number(issued_on)
    nonce = signing.new_nonce()
    card = HonorCard(
        number=number,
        volunteer=volunteer,
        unit=unit,
        application=application,
        holder_name=holder_name,
        issued_on=issued_on,
        expires_on=expires_on,
        counted_from=counted_from,
        counted_until=counted_until,
        hours=hours,
        years=years,
        nonce=nonce,
        token=signing.make_token(number, expires_on, nonce),
        replaces=replaces,
    )
    with photo_file.open("rb") as fh:
        card.photo.save(f"{number}.{photo_file.name.rsplit('.', 1)[-1]}", ContentFile(fh.read()), save=False)
    card.save()
    return card


def queue_pdf(card):
    from ..tasks import render_card_pdf  # here, not above: the tasks module imports the services

    queue_after_commit(render_card_pdf, card.pk)


def _lock_card(card) -> HonorCard:
    return (
        HonorCard.objects.select_for_update()
        .select_related("unit__organisation", "volunteer")
        .get(pk=card.pk)
    )


@transaction.atomic
def revoke_card(*, card, actor, reason: str) -> HonorCard:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("註銷時請填寫原因。"), code="reason_required")
    card = _lock_card(card)
    if not CARD_FLOW.can(card.status, "revoke"):
        raise ValidationError(_("此卡已註銷或已換發，無法再註銷。"), code="invalid_state")
    CARD_FLOW.advance(card, "revoke")
    card.revoked_at = timezone.now()
    card.revoked_by = actor
    card.revoke_reason = reason
    card.save()
    record_event(
        actor=actor,
        action="honorcard.revoked",
        target=card,
        reason=reason,
        organisation=card.unit.organisation,
    )
    invalidate("honorcards")
    notify(
        unit_officers(card.unit),
        gettext_lazy("榮譽卡已註銷"),
        format_lazy(
            gettext_lazy("榮譽卡 {number}（{name}）已註銷，原因：{reason}"),
            number=card.number,
            name=card.holder_name,
            reason=reason,
        ),
        card.get_absolute_url(),
    )
    return card


@transaction.atomic
def reissue_card(*, card, actor, reason: str, photo: ContentFile | None = None) -> HonorCard:
    """A data correction: a new card (new number, same expiry and counted hours) replaces the old one.
    The holder's name, birth date and ID number are taken from the volunteer record as it is now."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("請說明更正的內容。"), code="reason_required")
    card = _lock_card(card)
    if not CARD_FLOW.can(card.status, "reissue"):
        raise ValidationError(_("只有有效的卡可以換發。"), code="invalid_state")
    CARD_FLOW.advance(card, "reissue")
    card.save(update_fields=["status"])
    if photo is not None:
        photo_holder = HonorCard(number=card.number)
        photo_holder.photo.save(f"new-{card.number}.{photo.name.rsplit('.', 1)[-1]}", photo, save=False)
        photo_file = photo_holder.photo
    else:
        photo_file = card.photo
    new = new_card(
        volunteer=card.volunteer,
        unit=card.unit,
        application=card.application,
        holder_name=card.volunteer.name,
        photo_file=photo_file,
        issued_on=timezone.localdate(),
        expires_on=card.expires_on,
        counted_from=card.counted_from,
        counted_until=card.counted_until,
        hours=card.hours,
        years=card.years,
        replaces=card,
    )
    new.service_records.set(card.service_records.all())
    record_event(
        actor=actor,
        action="honorcard.reissued",
        target=new,
        reason=reason,
        changes={"replaces": card.number, "number": new.number},
        organisation=card.unit.organisation,
    )
    invalidate("honorcards")
    queue_pdf(new)
    notify(
        unit_officers(card.unit),
        gettext_lazy("榮譽卡已換發"),
        format_lazy(
            gettext_lazy("榮譽卡 {old} 已更正換發為 {new}，舊卡失效，請下載新卡列印。"),
            old=card.number,
            new=new.number,
        ),
        new.get_absolute_url(),
    )
    return new


def store_card_pdf(card) -> HonorCard:
    data = render_card(card)
    card.pdf.save(f"{card.number}.pdf", ContentFile(data), save=False)
    HonorCard.objects.filter(pk=card.pk).update(pdf=card.pdf.name)
    return card
