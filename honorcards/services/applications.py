"""The application's path, one service per move of ``APPLICATION_FLOW``: a unit applies (or
resubmits a returned case), the volunteer centre reviews first, the bureau second and issues the
card; either review may return the case. Each runs in a transaction with the case locked, checks
the move against the table, is audited and sends that step's e-mails."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from audit.services import record_event
from core.language import in_record_language
from core.uploads import clean_image_upload
from volunteers.models import Volunteer

from ..eligibility import Declared, add_years
from ..models import (
    OPEN_STATUSES,
    Application,
    ApplicationKind,
    ApplicationPage,
    HonorCard,
    ReviewStage,
)
from ..permissions import REVIEWER_ROLE, serves_in
from ..selectors import check_eligibility
from ..workflows import APPLICATION_FLOW, REVIEW_STEP
from .cards import new_card, queue_pdf
from .notifications import emails, notify, tell_holder, unit_officers


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
    if volunteer.honor_card_applications.filter(status__in=OPEN_STATUSES).exists():
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
    notify(
        emails(role=Role.CENTRE_STAFF),
        gettext_lazy("榮譽卡申請待初審"),
        format_lazy(
            gettext_lazy("{unit} 為 {name} 提出志願服務榮譽卡申請，請初審。"),
            unit=unit.name,
            name=volunteer.name,
        ),
        application.get_absolute_url(),
    )
    return application


def photo_on_file(volunteer) -> ContentFile | None:
    """The volunteer's photo on file, cleaned as an upload would be (None when there is none)."""
    if not volunteer.photo:
        return None
    with volunteer.photo.open("rb") as fh:
        return clean_image_upload(fh)


def submit_many(*, unit, volunteers, actor, as_of=None) -> tuple[list[Application], list[tuple]]:
    """Apply for many volunteers with the figures from the records and the photo on file.

    Each volunteer is applied for on its own: one refusal does not stop the others. Returns the
    applications made and ``(volunteer, [messages])`` for those refused.
    """
    created, refused = [], []
    for volunteer in volunteers:
        try:
            photo = photo_on_file(volunteer)
            if photo is None:
                raise ValidationError(_("志工資料沒有照片：請逐筆申請並上傳大頭照。"), code="photo_required")
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
    if not APPLICATION_FLOW.can(application.status, "resubmit"):
        raise ValidationError(_("只有退回補正的申請可以修正後重新送出。"), code="invalid_state")
    declared = declared or Declared()
    if declared and not (pages or application.pages.exists()):
        raise ValidationError(_("申報紙本紀錄冊數字時，請上傳紀錄冊封面與內頁。"), code="pages_required")
    result = _checked_eligibility(
        application.volunteer, as_of=as_of or timezone.localdate(), declared=declared
    )
    application.record_book_number = (record_book_number or "").strip() or application.record_book_number
    _fill_figures(application, result, declared)
    APPLICATION_FLOW.advance(application, "resubmit")
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
    notify(
        emails(role=Role.CENTRE_STAFF),
        gettext_lazy("榮譽卡申請已補正"),
        format_lazy(
            gettext_lazy("{unit} 已補正 {name} 的榮譽卡申請，請初審。"),
            unit=application.unit.name,
            name=application.volunteer.name,
        ),
        application.get_absolute_url(),
    )
    return application


# --- reviewing --------------------------------------------------------------------------------


@transaction.atomic
def centre_approve(*, application, actor, confirm_declared: bool = False) -> Application:
    """First review (志推中心) passes the case to the bureau."""
    application = _lock(application)
    if not APPLICATION_FLOW.can(application.status, "centre_approve"):
        raise ValidationError(_("此申請不在待初審狀態（可能已由他人審核）。"), code="invalid_state")
    if application.declared and not (confirm_declared or application.declared_confirmed):
        raise ValidationError(
            _("此申請含紙本紀錄冊申報數字：請核對紀錄冊影像後勾選確認。"), code="confirm_declared"
        )
    APPLICATION_FLOW.advance(application, "centre_approve")
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
    notify(
        unit_officers(application.unit),
        gettext_lazy("榮譽卡申請已通過初審"),
        format_lazy(
            gettext_lazy("{name} 的榮譽卡申請已通過志推中心初審，待社會局複審。"),
            name=application.volunteer.name,
        ),
        application.get_absolute_url(),
    )
    notify(
        emails(role=Role.CARD_REVIEWER),
        gettext_lazy("榮譽卡申請待複審"),
        format_lazy(
            gettext_lazy("{name}（{unit}）的榮譽卡申請已通過初審，請複審。"),
            name=application.volunteer.name,
            unit=application.unit.name,
        ),
        application.get_absolute_url(),
    )
    return application


# The stage that returned a case, recorded with it (the step it was waiting for).
RETURN_STAGE = {"centre_approve": ReviewStage.CENTRE, "approve": ReviewStage.BUREAU}


@transaction.atomic
def return_application(*, application, actor, reason: str) -> Application:
    """Either review returns the case to the unit with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("退回時請填寫原因。"), code="reason_required")
    application = _lock(application)
    if not APPLICATION_FLOW.can(application.status, "return"):
        raise ValidationError(_("此申請目前不能退回。"), code="invalid_state")
    step = REVIEW_STEP[application.status]
    stage = RETURN_STAGE[step]
    role = REVIEWER_ROLE[step]
    if actor.role != role:
        raise ValidationError(_("目前不是您的審核階段。"), code="wrong_stage")
    APPLICATION_FLOW.advance(application, "return")
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
    notify(
        unit_officers(application.unit),
        gettext_lazy("榮譽卡申請退回補正"),
        format_lazy(
            gettext_lazy("{name} 的榮譽卡申請經{stage}退回，原因：{reason}"),
            name=application.volunteer.name,
            stage=stage.label,
            reason=reason,
        ),
        application.get_absolute_url(),
    )
    return application


@transaction.atomic
def final_approve(*, application, actor, today: datetime.date | None = None) -> HonorCard:
    """Second review (社會局) approves: the card is numbered, dated and its hours marked used."""
    application = _lock(application)
    if not APPLICATION_FLOW.can(application.status, "approve"):
        raise ValidationError(_("此申請不在待複審狀態（可能已由他人審核）。"), code="invalid_state")
    today = today or timezone.localdate()
    declared = Declared(
        service_started_on=application.declared_start,
        last_service_on=application.declared_last_service,
        hours=application.declared_hours,
    )
    result = _checked_eligibility(application.volunteer, as_of=today, declared=declared)
    card = new_card(
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
    APPLICATION_FLOW.advance(application, "approve")
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
    queue_pdf(card)
    tell_holder(card)
    notify(
        unit_officers(application.unit),
        gettext_lazy("榮譽卡已核發"),
        format_lazy(
            gettext_lazy("{name} 的志願服務榮譽卡已核發（編號 {number}），請至平台下載列印。"),
            name=card.holder_name,
            number=card.number,
        ),
        card.get_absolute_url(),
    )
    return card


@dataclass
class ReviewOutcome:
    """What a reviewer's decision did: the move made, and the card when one was issued."""

    action: str
    application: Application
    card: HonorCard | None = None


def review_application(
    *, application, actor, decision: str, reason: str = "", confirm_declared: bool = False
) -> ReviewOutcome:
    """The reviewer whose turn it is approves (the step the case waits for: the centre's first
    review or the bureau's approval) or returns the case."""
    if decision == "return":
        return ReviewOutcome(
            "return", return_application(application=application, actor=actor, reason=reason)
        )
    if REVIEW_STEP.get(application.status) == "centre_approve":
        approved = centre_approve(application=application, actor=actor, confirm_declared=confirm_declared)
        return ReviewOutcome("centre_approve", approved)
    # Otherwise the bureau's approval, which refuses a case not waiting for it.
    card = final_approve(application=application, actor=actor)
    return ReviewOutcome("approve", card.application, card)
