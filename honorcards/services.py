"""Writes for honor cards: one function per step of the application's path, each in a transaction,
locking what two people can race for, with an audit event and the e-mails of that step."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.services import record_event
from core.language import in_record_language
from core.notify import send_notification
from core.pagecache import invalidate
from core.queueing import queue_after_commit
from core.roc import roc_year, to_roc
from core.sequences import take_next_number
from core.uploads import clean_image_upload
from volunteers.models import Volunteer

from . import signing
from .eligibility import Declared, add_years
from .models import (
    Application,
    ApplicationKind,
    ApplicationPage,
    ApplicationStatus,
    BatchStatus,
    CardStatus,
    Counter,
    HonorCard,
    PrintBatch,
    ReviewStage,
)
from .permissions import serves_in
from .selectors import check_eligibility

EMAIL = "honorcards/email/status.txt"


# --- e-mail -----------------------------------------------------------------------------------


def _emails(**filters):
    return list(
        get_user_model()
        .objects.filter(is_active=True, **filters)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _unit_officers(unit):
    return _emails(role=Role.UNIT_OFFICER, organisation_id=unit.organisation_id)


def _chinese(label) -> str:
    """A translatable label as it reads in Chinese (e-mails are written in Chinese)."""
    with in_record_language():
        return str(label)


def _notify(recipients, subject, message, url):
    send_notification(recipients, subject, EMAIL, {"message": message, "url": url})


# --- applying ---------------------------------------------------------------------------------


def _refuse_unless_eligible(result):
    if not result.eligible:
        raise ValidationError(
            [_("尚未符合榮譽卡申請資格：")]
            + [
                _("%(rule)s：%(explanation)s") % {"rule": rule.label, "explanation": rule.explanation}
                for rule in result.failed_rules
            ],
            code="not_eligible",
        )


def _checked_eligibility(volunteer, *, as_of: datetime.date, declared: Declared):
    """The check, refused in the user's language; the result kept with the application (its
    ``eligibility`` snapshot, a record) is worded in Traditional Chinese whatever the language."""
    with in_record_language():
        result = check_eligibility(volunteer, as_of=as_of, declared=declared)
    if not result.eligible and translation.get_language() != settings.LANGUAGE_CODE:
        _refuse_unless_eligible(check_eligibility(volunteer, as_of=as_of, declared=declared))
    _refuse_unless_eligible(result)
    return result


def _fill_figures(application, result, declared: Declared):
    application.kind = ApplicationKind.RENEWAL if result.kind == "renewal" else ApplicationKind.FIRST
    application.counted_from = result.counted_from
    application.counted_until = result.counted_until
    application.years = result.years
    application.extra_days = result.days
    application.hours = result.hours
    application.declared = bool(declared)
    application.declared_start = declared.service_started_on
    application.declared_last_service = declared.last_service_on
    application.declared_hours = declared.hours
    application.declared_confirmed = False
    application.eligibility = result.as_dict()


def _save_images(application, *, photo=None, cover=None, pages=None):
    if photo is not None:
        application.photo.save(f"{application.pk}-photo.{photo.name.rsplit('.', 1)[-1]}", photo, save=False)
    if cover is not None:
        application.record_book_cover.save(
            f"{application.pk}-cover.{cover.name.rsplit('.', 1)[-1]}", cover, save=False
        )
    application.save()
    if pages is not None:
        application.pages.all().delete()
        for position, page in enumerate(pages):
            entry = ApplicationPage(application=application, position=position)
            entry.image.save(
                f"{application.pk}-page{position}.{page.name.rsplit('.', 1)[-1]}", page, save=False
            )
            entry.save()


def _check_documents(declared: Declared, photo, pages, cover):
    if photo is None:
        raise ValidationError(_("請上傳志工大頭照。"), code="photo_required")
    if declared and not (pages and cover):
        raise ValidationError(_("申報紙本紀錄冊數字時，請上傳紀錄冊封面與內頁。"), code="pages_required")


@transaction.atomic
def submit_application(
    *,
    volunteer,
    unit,
    actor,
    record_book_number: str,
    photo: ContentFile | None,
    cover: ContentFile | None = None,
    pages: list | None = None,
    declared: Declared | None = None,
    as_of: datetime.date | None = None,
) -> Application:
    """A unit applies for one volunteer. Images must already be cleaned (``clean_image_upload``)."""
    declared = declared or Declared()
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if not serves_in(volunteer, unit):
        raise ValidationError(_("此志工不在本單位服務，無法代為申請。"), code="not_member")
    if volunteer.honor_card_applications.filter(
        status__in=[
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.CENTRE_APPROVED,
            ApplicationStatus.RETURNED,
        ]
    ).exists():
        raise ValidationError(
            _("%(name)s 已有審核中的榮譽卡申請。") % {"name": volunteer.name}, code="duplicate"
        )
    if not (record_book_number or "").strip():
        raise ValidationError(_("請填寫服務紀錄冊編號。"), code="record_book_required")
    _check_documents(declared, photo, pages, cover)
    result = _checked_eligibility(volunteer, as_of=as_of or timezone.localdate(), declared=declared)
    application = Application(
        volunteer=volunteer,
        unit=unit,
        record_book_number=record_book_number.strip(),
        previous_card_id=None,
        created_by=actor,
        submitted_at=timezone.now(),
    )
    _fill_figures(application, result, declared)
    if result.previous_card_number:
        application.previous_card = HonorCard.objects.get(number=result.previous_card_number)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError(
            _("%(name)s 已有審核中的榮譽卡申請。") % {"name": volunteer.name}, code="duplicate"
        ) from None
    _save_images(application, photo=photo, cover=cover, pages=pages or [])
    record_event(
        actor=actor,
        action="honorcard.applied",
        target=application,
        changes={"hours": str(result.hours), "years": result.years, "declared": bool(declared)},
        organisation=unit.organisation,
    )
    _notify(
        _emails(role=Role.CENTRE_STAFF),
        "榮譽卡申請待初審",
        f"{unit.name} 為 {volunteer.name} 提出志願服務榮譽卡申請，請初審。",
        application.get_absolute_url(),
    )
    return application


def submit_many(*, unit, volunteers, actor, as_of=None) -> tuple[list[Application], list[tuple]]:
    """Apply for many volunteers with the figures from the records and the photo on file.

    Each volunteer is applied for on its own: one refusal does not stop the others. Returns the
    applications made and ``(volunteer, [messages])`` for those refused.
    """
    created, refused = [], []
    for volunteer in volunteers:
        try:
            if not volunteer.photo:
                raise ValidationError(_("志工資料沒有照片：請逐筆申請並上傳大頭照。"), code="photo_required")
            with volunteer.photo.open("rb") as fh:
                photo = clean_image_upload(fh)
            created.append(
                submit_application(
                    volunteer=volunteer,
                    unit=unit,
                    actor=actor,
                    record_book_number=volunteer.record_book_number,
                    photo=photo,
                    as_of=as_of,
                )
            )
        except ValidationError as exc:
            refused.append((volunteer, exc.messages))
    return created, refused


def _lock(application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("volunteer", "unit__organisation")
        .get(pk=application.pk)
    )


@transaction.atomic
def resubmit_application(
    *,
    application,
    actor,
    record_book_number: str,
    photo=None,
    cover=None,
    pages=None,
    declared: Declared | None = None,
    as_of=None,
) -> Application:
    """The unit corrects a returned application and sends it back to the centre."""
    application = _lock(application)
    if application.status != ApplicationStatus.RETURNED:
        raise ValidationError(_("只有退回補正的申請可以修正後重新送出。"), code="invalid_state")
    declared = declared or Declared()
    if declared and not (pages or application.pages.exists()):
        raise ValidationError(_("申報紙本紀錄冊數字時，請上傳紀錄冊封面與內頁。"), code="pages_required")
    result = _checked_eligibility(
        application.volunteer, as_of=as_of or timezone.localdate(), declared=declared
    )
    application.record_book_number = (record_book_number or "").strip() or application.record_book_number
    _fill_figures(application, result, declared)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    previous_reason = application.return_reason
    application.return_reason = ""
    application.returned_at_stage = ""
    _save_images(application, photo=photo, cover=cover, pages=pages)
    record_event(
        actor=actor,
        action="honorcard.resubmitted",
        target=application,
        reason=previous_reason,
        organisation=application.unit.organisation,
    )
    _notify(
        _emails(role=Role.CENTRE_STAFF),
        "榮譽卡申請已補正",
        f"{application.unit.name} 已補正 {application.volunteer.name} 的榮譽卡申請，請初審。",
        application.get_absolute_url(),
    )
    return application


# --- reviewing --------------------------------------------------------------------------------


@transaction.atomic
def centre_approve(*, application, actor, confirm_declared: bool = False) -> Application:
    """First review (志推中心) passes the case to the bureau."""
    application = _lock(application)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("此申請不在待初審狀態（可能已由他人審核）。"), code="invalid_state")
    if application.declared and not (confirm_declared or application.declared_confirmed):
        raise ValidationError(
            _("此申請含紙本紀錄冊申報數字：請核對紀錄冊影像後勾選確認。"), code="confirm_declared"
        )
    application.status = ApplicationStatus.CENTRE_APPROVED
    application.declared_confirmed = application.declared_confirmed or (
        application.declared and confirm_declared
    )
    application.centre_reviewed_at = timezone.now()
    application.centre_reviewed_by = actor
    application.save()
    record_event(
        actor=actor,
        action="honorcard.centre_approved",
        target=application,
        organisation=application.unit.organisation,
    )
    _notify(
        _unit_officers(application.unit),
        "榮譽卡申請已通過初審",
        f"{application.volunteer.name} 的榮譽卡申請已通過志推中心初審，待社會局複審。",
        application.get_absolute_url(),
    )
    _notify(
        _emails(role=Role.CARD_REVIEWER),
        "榮譽卡申請待複審",
        f"{application.volunteer.name}（{application.unit.name}）的榮譽卡申請已通過初審，請複審。",
        application.get_absolute_url(),
    )
    return application


@transaction.atomic
def return_application(*, application, actor, reason: str) -> Application:
    """Either review returns the case to the unit with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("退回時請填寫原因。"), code="reason_required")
    application = _lock(application)
    stages = {
        ApplicationStatus.SUBMITTED: (ReviewStage.CENTRE, Role.CENTRE_STAFF),
        ApplicationStatus.CENTRE_APPROVED: (ReviewStage.BUREAU, Role.CARD_REVIEWER),
    }
    if application.status not in stages:
        raise ValidationError(_("此申請目前不能退回。"), code="invalid_state")
    stage, role = stages[application.status]
    if actor.role != role:
        raise ValidationError(_("目前不是您的審核階段。"), code="wrong_stage")
    application.status = ApplicationStatus.RETURNED
    application.returned_at_stage = stage
    application.return_reason = reason
    application.save()
    record_event(
        actor=actor,
        action="honorcard.returned",
        target=application,
        reason=reason,
        organisation=application.unit.organisation,
    )
    _notify(
        _unit_officers(application.unit),
        "榮譽卡申請退回補正",
        f"{application.volunteer.name} 的榮譽卡申請經{_chinese(stage.label)}退回，原因：{reason}",
        application.get_absolute_url(),
    )
    return application


def next_card_number(today: datetime.date) -> str:
    """ROC year of issue + a five-digit sequence (11500042); must run inside a transaction."""
    year = roc_year(today)
    return f"{year}{take_next_number(Counter, year):05d}"


def _new_card(
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


def _queue_pdf(card):
    from .tasks import render_card_pdf

    queue_after_commit(render_card_pdf, card.pk)


@transaction.atomic
def final_approve(*, application, actor, today: datetime.date | None = None) -> HonorCard:
    """Second review (社會局) approves: the card is numbered, dated and its hours marked used."""
    application = _lock(application)
    if application.status != ApplicationStatus.CENTRE_APPROVED:
        raise ValidationError(_("此申請不在待複審狀態（可能已由他人審核）。"), code="invalid_state")
    today = today or timezone.localdate()
    declared = Declared(
        service_started_on=application.declared_start,
        last_service_on=application.declared_last_service,
        hours=application.declared_hours,
    )
    result = _checked_eligibility(application.volunteer, as_of=today, declared=declared)
    card = _new_card(
        volunteer=application.volunteer,
        unit=application.unit,
        application=application,
        holder_name=application.volunteer.name,
        photo_file=application.photo,
        issued_on=today,
        expires_on=add_years(today, settings.HONOR_CARD_VALID_YEARS) - datetime.timedelta(days=1),
        counted_from=result.counted_from,
        counted_until=result.counted_until,
        hours=result.hours,
        years=result.years,
    )
    card.service_records.set(result.record_ids)
    application.status = ApplicationStatus.APPROVED
    application.bureau_reviewed_at = timezone.now()
    application.bureau_reviewed_by = actor
    application.save()
    record_event(
        actor=actor,
        action="honorcard.issued",
        target=card,
        changes={"number": card.number},
        organisation=application.unit.organisation,
    )
    _queue_pdf(card)
    if application.volunteer.email:
        send_notification(
            [application.volunteer.email],
            "您的志願服務榮譽卡已核發",
            EMAIL,
            {
                "message": f"{card.holder_name} 您好，您的志願服務榮譽卡已核發（編號 {card.number}，有效期限 "
                f"{to_roc(card.expires_on)}），請向服務單位領取。",
                "url": "",
            },
        )
    _notify(
        _unit_officers(application.unit),
        "榮譽卡已核發",
        f"{card.holder_name} 的志願服務榮譽卡已核發（編號 {card.number}），請至平台下載列印。",
        card.get_absolute_url(),
    )
    return card


# --- cards ------------------------------------------------------------------------------------


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
    if card.status != CardStatus.VALID:
        raise ValidationError(_("此卡已註銷或已換發，無法再註銷。"), code="invalid_state")
    card.status = CardStatus.REVOKED
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
    _notify(
        _unit_officers(card.unit),
        "榮譽卡已註銷",
        f"榮譽卡 {card.number}（{card.holder_name}）已註銷，原因：{reason}",
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
    if card.status != CardStatus.VALID:
        raise ValidationError(_("只有有效的卡可以換發。"), code="invalid_state")
    card.status = CardStatus.REPLACED
    card.save(update_fields=["status"])
    if photo is not None:
        photo_holder = HonorCard(number=card.number)
        photo_holder.photo.save(f"new-{card.number}.{photo.name.rsplit('.', 1)[-1]}", photo, save=False)
        photo_file = photo_holder.photo
    else:
        photo_file = card.photo
    new = _new_card(
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
    _queue_pdf(new)
    _notify(
        _unit_officers(card.unit),
        "榮譽卡已換發",
        f"榮譽卡 {card.number} 已更正換發為 {new.number}，舊卡失效，請下載新卡列印。",
        new.get_absolute_url(),
    )
    return new


def store_card_pdf(card) -> HonorCard:
    from .pdf import render_card

    data = render_card(card)
    card.pdf.save(f"{card.number}.pdf", ContentFile(data), save=False)
    HonorCard.objects.filter(pk=card.pk).update(pdf=card.pdf.name)
    return card


@transaction.atomic
def create_print_batch(*, cards, actor, unit=None) -> PrintBatch:
    cards = list(cards)
    if not cards:
        raise ValidationError(_("請至少勾選一張卡。"), code="empty")
    batch = PrintBatch.objects.create(unit=unit, created_by=actor, total=len(cards))
    batch.cards.set(cards)
    record_event(
        actor=actor,
        action="honorcard.batch_print",
        target=batch,
        changes={"cards": [c.number for c in cards]},
        organisation=unit.organisation if unit else None,
    )
    from .tasks import build_print_batch

    queue_after_commit(build_print_batch, batch.pk)
    return batch


def build_batch(batch_id: int) -> PrintBatch:
    from .pdf import render_cards

    batch = PrintBatch.objects.get(pk=batch_id)
    if batch.status in (BatchStatus.DONE, BatchStatus.FAILED):
        return batch  # a redelivered message after another run finished it (or it was marked stalled)
    # Safe to run twice: the PDF is rebuilt from the cards and saved under the batch's own name.
    PrintBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, done=0, heartbeat_at=timezone.now()
    )
    cards = batch.cards.select_related("volunteer").order_by("number")

    def progress(n):
        PrintBatch.objects.filter(pk=batch.pk).update(done=n, heartbeat_at=timezone.now())

    try:
        data = render_cards(cards, progress=progress)
    except Exception as exc:
        PrintBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, error=str(exc)[:255])
        raise
    batch.pdf.save(f"batch-{batch.pk}.pdf", ContentFile(data), save=False)
    PrintBatch.objects.filter(pk=batch.pk).update(
        pdf=batch.pdf.name, status=BatchStatus.DONE, done=batch.total, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


def retry_batch(*, batch: PrintBatch, actor) -> PrintBatch:
    """Build a failed batch again (its worker died, or rendering failed)."""
    from .tasks import build_print_batch

    with transaction.atomic():
        batch = PrintBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != BatchStatus.FAILED:
            raise ValidationError(_("只有失敗的批次可以重試。"))
        PrintBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.PENDING, done=0, error="", finished_at=None, heartbeat_at=timezone.now()
        )
        record_event(
            actor=actor, action="honorcard.batch_retried", target=batch, changes={"total": batch.total}
        )
        queue_after_commit(build_print_batch, batch.pk)
    batch.refresh_from_db()
    return batch


def send_expiry_reminders(today: datetime.date | None = None) -> int:
    """A month before a card expires, tell its unit (once per card)."""
    today = today or timezone.localdate()
    due = HonorCard.objects.filter(
        status=CardStatus.VALID,
        reminder_sent_at__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=31),
    ).select_related("unit__organisation")
    sent = 0
    for card in due:
        with transaction.atomic():
            if not HonorCard.objects.filter(pk=card.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=timezone.now()
            ):
                continue
            _notify(
                _unit_officers(card.unit),
                "榮譽卡即將到期",
                f"{card.holder_name} 的榮譽卡（編號 {card.number}）將於 {to_roc(card.expires_on)} 到期；"
                f"自到期當月起可提出換發申請。",
                card.get_absolute_url(),
            )
            sent += 1
    return sent
