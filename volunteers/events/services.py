"""Events and shifts: sign-up, QR sign-in/out at the venue, the officer's confirmation of hours.

The QR code shown at the venue encodes ``SITE_URL/volunteers/events/<id>/check-in/<code>/`` where
``code`` is an HMAC of the event id and the day (ISO date) keyed with the event's random
``qr_secret``: it changes every day, so yesterday's photo of the code does not work today, and a
code of one event does not work for another. The volunteer opens the URL on their phone (signed
in) and confirms; the first confirmation signs in, the second signs out.

Hours from sign-in/out are rounded to the **nearest** quarter hour (7½ minutes and more round up):
people sign in a little before and out a little after their real service, and the officer
confirms (and may change) the hours before they become a service record through
``hours.record_service`` (so the 24-hour rule and every other rule apply).
"""

import datetime
import hashlib
import hmac
import io
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_event

from ..hours import services as hours_services
from ..models import (
    Event,
    InsurancePolicy,
    Membership,
    ServiceDomain,
    ServiceRecordSource,
    Shift,
    ShiftSignup,
    SignupStatus,
)
from ..permissions import can_manage_unit, unit_may_record_hours

CODE_LENGTH = 20
EXPIRED_MESSAGE = gettext_lazy("這個 QR Code 已過期：簽到碼每天更換，請掃描現場今天的 QR Code。")
INVALID_MESSAGE = gettext_lazy("這個 QR Code 不屬於此活動或已失效，請掃描活動現場的 QR Code。")
NOT_INSURED_WARNING = gettext_lazy("提醒：系統中沒有您今天有效的志工意外事故保險紀錄，請洽運用單位承辦人。")


# --- QR codes ---------------------------------------------------------------------------------


def day_code(event: Event, day: datetime.date) -> str:
    message = f"{event.pk}:{day.isoformat()}".encode()
    return hmac.new(event.qr_secret.encode(), message, hashlib.sha256).hexdigest()[:CODE_LENGTH]


def check_in_url(event: Event, day: datetime.date) -> str:
    path = reverse("volunteers:event_check_in", kwargs={"pk": event.pk, "code": day_code(event, day)})
    return settings.SITE_URL + path


def verify_code(event: Event, code: str, today: datetime.date | None = None) -> None:
    """Refuse anything but today's code of this event (an event day), with a clear message."""
    today = today or timezone.localdate()
    if today < event.starts_on or today > event.ends_on:
        if _matches_some_day(event, code):
            raise ValidationError(EXPIRED_MESSAGE)
        raise ValidationError(_("今天不是此活動的日期。"))
    if hmac.compare_digest(day_code(event, today), code or ""):
        return
    if _matches_some_day(event, code):
        raise ValidationError(EXPIRED_MESSAGE)
    raise ValidationError(INVALID_MESSAGE)


def _matches_some_day(event, code) -> bool:
    day = event.starts_on
    while day <= event.ends_on:
        if hmac.compare_digest(day_code(event, day), code or ""):
            return True
        day += datetime.timedelta(days=1)
    return False


def qr_svg(url: str) -> str:
    """The QR code as an SVG element (no inline style: it passes the CSP)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.find("<svg") :]


# --- Events and shifts --------------------------------------------------------------------------


def _require_manager(actor, unit):
    if not can_manage_unit(actor, unit):
        raise PermissionDenied(_("只有本單位的承辦人可管理活動。"))


@transaction.atomic
def create_event(
    *,
    unit,
    actor,
    title: str,
    venue: str,
    domain: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
    is_city_event: bool = False,
) -> Event:
    _require_manager(actor, unit)
    if not unit_may_record_hours(unit):
        raise ValidationError(_("本單位的志願服務計畫尚未核備，無法建立活動。"))
    if ends_on < starts_on:
        raise ValidationError(_("結束日期不可早於開始日期。"))
    if domain not in ServiceDomain.values:
        raise ValidationError(_("請選擇服務領域。"))
    event = Event.objects.create(
        unit=unit,
        title=title,
        venue=venue,
        domain=domain,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        is_city_event=is_city_event,
        qr_secret=secrets.token_hex(32),
        created_by=actor,
    )
    record_event(actor=actor, action="event.created", target=event, organisation=unit.organisation)
    return event


@transaction.atomic
def add_shift(
    *,
    event: Event,
    actor,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    capacity: int,
    task: str = "",
) -> Shift:
    _require_manager(actor, event.unit)
    if not event.starts_on <= date <= event.ends_on:
        raise ValidationError(_("班次日期須在活動期間內。"))
    if ends_at <= starts_at:
        raise ValidationError(_("班次結束時間須晚於開始時間。"))
    if capacity < 1:
        raise ValidationError(_("名額至少 1 人。"))
    shift = Shift.objects.create(
        event=event, date=date, starts_at=starts_at, ends_at=ends_at, capacity=capacity, task=task
    )
    record_event(
        actor=actor,
        action="event.shift_added",
        target=event,
        changes={"shift": str(shift), "capacity": capacity},
        organisation=event.unit.organisation,
    )
    return shift


def may_sign_up(volunteer, event: Event) -> bool:
    """Members of the unit; anybody with a volunteer record for a city event (大型活動)."""
    if volunteer is None:
        return False
    if event.is_city_event:
        return True
    return Membership.objects.filter(
        unit_id=event.unit_id, volunteer=volunteer, left_on__isnull=True
    ).exists()


@transaction.atomic
def sign_up(*, shift: Shift, volunteer, actor) -> ShiftSignup:
    """The volunteer (or the unit's officer for them) takes a place on a shift."""
    shift = Shift.objects.select_for_update().select_related("event__unit__organisation").get(pk=shift.pk)
    event = shift.event
    by_officer = can_manage_unit(actor, event.unit)
    own = volunteer is not None and volunteer.user_id is not None and volunteer.user_id == actor.pk
    if not (by_officer or own):
        raise PermissionDenied(_("只能為自己報名。"))
    if not may_sign_up(volunteer, event):
        raise ValidationError(_("此活動只開放本單位的志工報名。"))
    if shift.date < timezone.localdate():
        raise ValidationError(_("這個班次已經結束。"))
    taken = shift.signups.filter(status=SignupStatus.SIGNED_UP).exclude(volunteer=volunteer).count()
    if taken >= shift.capacity:
        raise ValidationError(_("這個班次已額滿。"))
    signup, created = ShiftSignup.objects.get_or_create(shift=shift, volunteer=volunteer)
    if not created:
        if signup.status == SignupStatus.SIGNED_UP:
            raise ValidationError(_("已經報名過這個班次。"))
        signup.status = SignupStatus.SIGNED_UP
        signup.save(update_fields=["status"])
    if event.is_city_event:
        # A city event registers its volunteers with the organising unit (大型活動志工備案).
        Membership.objects.get_or_create(
            unit=event.unit,
            volunteer=volunteer,
            defaults={
                "joined_on": shift.date,
                "main_domain": event.domain,
                "note": f"大型活動：{event.title}"[:200],
            },
        )
    record_event(
        actor=actor,
        action="event.signed_up",
        target=event,
        changes={"shift": str(shift), "volunteer": volunteer.name},
        organisation=event.unit.organisation,
    )
    return signup


@transaction.atomic
def cancel_signup(*, signup: ShiftSignup, actor) -> ShiftSignup:
    signup = (
        ShiftSignup.objects.select_for_update()
        .select_related("shift__event__unit", "volunteer")
        .get(pk=signup.pk)
    )
    event = signup.shift.event
    own = signup.volunteer.user_id == actor.pk
    if not (own or can_manage_unit(actor, event.unit)):
        raise PermissionDenied
    if signup.signed_in_at:
        raise ValidationError(_("已簽到的報名無法取消。"))
    signup.status = SignupStatus.CANCELLED
    signup.save(update_fields=["status"])
    record_event(
        actor=actor,
        action="event.signup_cancelled",
        target=event,
        changes={"shift": str(signup.shift), "volunteer": signup.volunteer.name},
        organisation=event.unit.organisation,
    )
    return signup


# --- Sign-in and sign-out ------------------------------------------------------------------------


def is_insured(volunteer, day: datetime.date) -> bool:
    return InsurancePolicy.objects.filter(insured=volunteer, starts_on__lte=day, ends_on__gte=day).exists()


def todays_signup(event: Event, volunteer, today: datetime.date | None = None) -> ShiftSignup | None:
    """The volunteer's sign-up to act on today: the open one (signed in, not out) first, then the
    earliest not signed in yet."""
    today = today or timezone.localdate()
    signups = list(
        ShiftSignup.objects.select_related("shift")
        .filter(shift__event=event, shift__date=today, volunteer=volunteer, status=SignupStatus.SIGNED_UP)
        .order_by("shift__starts_at")
    )
    for signup in signups:
        if signup.signed_in_at and not signup.signed_out_at:
            return signup
    for signup in signups:
        if not signup.signed_in_at:
            return signup
    return None


def next_action(signup: ShiftSignup | None) -> str | None:
    if signup is None:
        return None
    if not signup.signed_in_at:
        return "sign_in"
    if not signup.signed_out_at:
        return "sign_out"
    return None


@transaction.atomic
def scan_check_in(*, event: Event, code: str, user, now: datetime.datetime | None = None):
    """A volunteer confirms on their phone after scanning the venue's code.

    Returns ``(signup, action, warnings)``; action is ``"sign_in"`` or ``"sign_out"``."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    verify_code(event, code, today)
    volunteer = getattr(user, "volunteer_profile", None)
    if volunteer is None:
        raise ValidationError(_("您的帳號沒有連結志工資料，請洽運用單位承辦人。"))
    signup = todays_signup(event, volunteer, today)
    if signup is None:
        raise ValidationError(_("您今天沒有這個活動的班次報名，或已完成簽退。"))
    signup = ShiftSignup.objects.select_for_update().select_related("shift", "volunteer").get(pk=signup.pk)
    action = next_action(signup)
    warnings = []
    if action == "sign_in":
        signup.signed_in_at = now
        signup.save(update_fields=["signed_in_at"])
        if not is_insured(volunteer, today):
            warnings.append(NOT_INSURED_WARNING)
    elif action == "sign_out":
        signup.signed_out_at = now
        signup.save(update_fields=["signed_out_at"])
    else:
        raise ValidationError(_("您今天已完成簽到與簽退。"))
    record_event(
        actor=user,
        action=f"event.{action}",
        target=event,
        changes={"shift": str(signup.shift), "volunteer": volunteer.name, "at": now.isoformat()},
        organisation=event.unit.organisation,
    )
    return signup, action, warnings


@transaction.atomic
def officer_sign(
    *, signup: ShiftSignup, actor, action: str, at: datetime.datetime | None = None
) -> list[str]:
    """The officer signs a volunteer in or out by hand; returns warnings (not insured)."""
    signup = (
        ShiftSignup.objects.select_for_update()
        .select_related("shift__event__unit__organisation", "volunteer")
        .get(pk=signup.pk)
    )
    event = signup.shift.event
    _require_manager(actor, event.unit)
    at = at or timezone.now()
    warnings = []
    if signup.status != SignupStatus.SIGNED_UP:
        raise ValidationError(_("此報名已取消。"))
    if signup.service_record_id:
        raise ValidationError(_("時數已確認，無法再簽到或簽退。"))
    if action == "sign_in":
        if signup.signed_in_at:
            raise ValidationError(_("此志工已經簽到。"))
        signup.signed_in_at = at
        signup.signed_in_by_officer = True
        if not is_insured(signup.volunteer, signup.shift.date):
            warnings.append(
                _("%(name)s 在 %(date)s 沒有有效的志工意外事故保險。")
                % {"name": signup.volunteer.name, "date": f"{signup.shift.date:%Y-%m-%d}"}
            )
    elif action == "sign_out":
        if not signup.signed_in_at:
            raise ValidationError(_("此志工尚未簽到。"))
        if signup.signed_out_at:
            raise ValidationError(_("此志工已經簽退。"))
        if at <= signup.signed_in_at:
            raise ValidationError(_("簽退時間須晚於簽到時間。"))
        signup.signed_out_at = at
    else:
        raise ValueError(action)
    signup.save()
    record_event(
        actor=actor,
        action=f"event.officer_{action}",
        target=event,
        changes={"shift": str(signup.shift), "volunteer": signup.volunteer.name, "at": at.isoformat()},
        organisation=event.unit.organisation,
    )
    return warnings


def signed_hours(signup: ShiftSignup) -> Decimal | None:
    """Time between sign-in and sign-out, rounded to the nearest quarter hour (at most 24)."""
    if not (signup.signed_in_at and signup.signed_out_at):
        return None
    seconds = (signup.signed_out_at - signup.signed_in_at).total_seconds()
    quarters = (Decimal(seconds) / Decimal(900)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return min(quarters * Decimal("0.25"), Decimal(24)).quantize(Decimal("0.01"))


@transaction.atomic
def confirm_hours(*, signup: ShiftSignup, actor, hours=None):
    """The officer confirms the signed hours (or corrects them) → a service record (source EVENT)."""
    signup = (
        ShiftSignup.objects.select_for_update()
        .select_related("shift__event__unit__organisation", "volunteer")
        .get(pk=signup.pk)
    )
    event = signup.shift.event
    _require_manager(actor, event.unit)
    if signup.service_record_id:
        raise ValidationError(_("這筆報名的時數已確認。"))
    if not signup.signed_out_at:
        raise ValidationError(_("志工尚未簽退，無法確認時數。"))
    if hours in (None, ""):
        hours = signed_hours(signup)
        if not hours:
            raise ValidationError(_("簽到與簽退間隔不足 15 分鐘，請自行填寫時數。"))
    activity = f"{event.title} {signup.shift.task}".strip()
    record = hours_services.record_service(
        unit=event.unit,
        actor=actor,
        volunteer=signup.volunteer,
        served_on=signup.shift.date,
        hours=hours,
        domain=event.domain,
        activity=activity,
        source=ServiceRecordSource.EVENT,
    )
    signup.service_record = record
    signup.save(update_fields=["service_record"])
    return record
