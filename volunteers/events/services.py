"""Events and shifts: sign-up, QR sign-in/out at the venue, the officer's confirmation of hours.

Sign-in proves presence. The venue's screen shows a QR code for
``SITE_URL/volunteers/events/<id>/check-in/<code>/`` where ``code`` is an HMAC of the event id and
the current time window (``EVENT_CODE_PERIOD_SECONDS``, a minute by default) keyed with the event's
random ``qr_secret``; the page refreshes itself, and the previous window's code still works for
``EVENT_CODE_GRACE_SECONDS`` (a phone that scanned just before the change). A photo of the code
therefore stops working within a minute or two, and a code of one event never works for another.
Sign-in is accepted from ``EVENT_SIGN_IN_OPENS_MINUTES`` before a shift starts until it ends;
sign-out only after sign-in. The volunteer opens the URL on their phone (signed in) and confirms.

Hours from sign-in/out are rounded to the **nearest** quarter hour (7½ minutes and more round up):
people sign in a little before and out a little after their real service, and the officer
confirms (and may change) the hours before they become a service record through
``hours.record_service`` (so the 24-hour rule and every other rule apply). Hours that do not fit
the shift (signed at odd times, longer than the shift, unlike the signed time) are flagged, and the
officer confirms them only by saying so.
"""

import datetime
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_event
from core.roc import to_roc

from ..hours import rules as hour_rules
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
from ..workflows import SIGNUP_FLOW
from .codes import (  # noqa: F401 (the venue's code, used through this module)
    EXPIRED_MESSAGE,
    INVALID_MESSAGE,
    check_in_url,
    code_expires_at,
    qr_svg,
    venue_code,
    verify_code,
    window_code,
)

NOT_INSURED_WARNING = gettext_lazy("提醒：系統中沒有您今天有效的志工意外事故保險紀錄，請洽運用單位承辦人。")


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
        if not SIGNUP_FLOW.can(signup.status, "sign_up_again"):
            raise ValidationError(_("已經報名過這個班次。"))
        SIGNUP_FLOW.advance(signup, "sign_up_again")
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
    SIGNUP_FLOW.advance(signup, "cancel")
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


def is_insured(volunteer, day: datetime.date, unit=None) -> bool:
    """Covered on ``day`` by ``unit``'s policy: a unit's accident insurance covers service there, so
    a person insured only through another unit is not insured at this unit's event."""
    policies = InsurancePolicy.objects.filter(insured=volunteer, starts_on__lte=day, ends_on__gte=day)
    if unit is not None:
        policies = policies.filter(unit=unit)
    return policies.exists()


def not_insured_message(volunteer, day: datetime.date) -> str:
    return _("%(name)s 在 %(date)s 沒有有效的志工意外事故保險。") % {
        "name": volunteer.name,
        "date": to_roc(day),
    }


def assignment_warnings(signup: ShiftSignup) -> list[str]:
    """Said when a volunteer is put on a shift (not only at sign-in): no insurance on its day."""
    if is_insured(signup.volunteer, signup.shift.date, unit=signup.shift.event.unit):
        return []
    return [not_insured_message(signup.volunteer, signup.shift.date)]


def shift_bounds(shift: Shift) -> tuple[datetime.datetime, datetime.datetime]:
    """The shift's start and end as aware datetimes (the portal's time zone)."""
    start = timezone.make_aware(datetime.datetime.combine(shift.date, shift.starts_at))
    end = timezone.make_aware(datetime.datetime.combine(shift.date, shift.ends_at))
    return start, end


def sign_in_window(shift: Shift) -> tuple[datetime.datetime, datetime.datetime]:
    """From ``EVENT_SIGN_IN_OPENS_MINUTES`` before the shift to its end."""
    start, end = shift_bounds(shift)
    return start - datetime.timedelta(minutes=settings.EVENT_SIGN_IN_OPENS_MINUTES), end


def _hm(at: datetime.datetime) -> str:
    return f"{timezone.localtime(at):%H:%M}"


def _todays_signups(event, volunteer, today):
    return list(
        ShiftSignup.objects.select_related("shift")
        .filter(shift__event=event, shift__date=today, volunteer=volunteer, status=SignupStatus.SIGNED_UP)
        .order_by("shift__starts_at")
    )


def signup_for_scan(event: Event, volunteer, now: datetime.datetime | None = None):
    """``(sign-up, None)`` to act on now: the open one (signed in, not out) to sign out, else the
    one whose sign-in window is open; or ``(None, message)`` saying why there is none."""
    now = now or timezone.now()
    signups = _todays_signups(event, volunteer, timezone.localdate(now))
    for signup in signups:
        if signup.signed_in_at and not signup.signed_out_at:
            return signup, None
    waiting = [s for s in signups if not s.signed_in_at]
    for signup in waiting:
        opens, closes = sign_in_window(signup.shift)
        if opens <= now <= closes:
            return signup, None
    upcoming = [s for s in waiting if sign_in_window(s.shift)[0] > now]
    if upcoming:
        opens, _closes = sign_in_window(upcoming[0].shift)
        return None, _("班次 %(start)s–%(end)s 的簽到自 %(opens)s 起開放，請屆時再掃描。") % {
            "start": f"{upcoming[0].shift.starts_at:%H:%M}",
            "end": f"{upcoming[0].shift.ends_at:%H:%M}",
            "opens": _hm(opens),
        }
    if waiting:
        return None, _("您今天的班次已結束，無法再簽到；如確有服務，請洽運用單位承辦人補登。")
    return None, _("您今天沒有這個活動的班次報名，或已完成簽退。")


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
    verify_code(event, code, now)
    volunteer = getattr(user, "volunteer_profile", None)
    if volunteer is None:
        raise ValidationError(_("您的帳號沒有連結志工資料，請洽運用單位承辦人。"))
    signup, refusal = signup_for_scan(event, volunteer, now)
    if signup is None:
        raise ValidationError(refusal)
    signup = ShiftSignup.objects.select_for_update().select_related("shift", "volunteer").get(pk=signup.pk)
    action = next_action(signup)
    warnings = []
    if action == "sign_in":
        opens, closes = sign_in_window(signup.shift)
        if not opens <= now <= closes:  # re-checked under the lock
            raise ValidationError(_("現在不在這個班次的簽到時間內。"))
        signup.signed_in_at = now
        signup.save(update_fields=["signed_in_at"])
        if not is_insured(volunteer, today, unit=event.unit):
            warnings.append(NOT_INSURED_WARNING)
    elif action == "sign_out":
        if now <= signup.signed_in_at:
            raise ValidationError(_("簽退時間須晚於簽到時間。"))
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
        if not is_insured(signup.volunteer, signup.shift.date, unit=event.unit):
            warnings.append(not_insured_message(signup.volunteer, signup.shift.date))
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


def _when(at: datetime.datetime, shift: Shift) -> str:
    local = timezone.localtime(at)
    return f"{local:%H:%M}" if local.date() == shift.date else f"{to_roc(local.date())} {local:%H:%M}"


def _fmt(hours: Decimal) -> str:
    return f"{hours.normalize():f}"


def hours_flags(signup: ShiftSignup, hours: Decimal | None = None) -> list[str]:
    """What does not fit the shift: sign-in outside its window, sign-out outside the shift (with
    the same leeway), more hours than the shift lasts, hours unlike the signed time."""
    shift = signup.shift
    start, end = shift_bounds(shift)
    opens, closes = sign_in_window(shift)
    leeway = datetime.timedelta(minutes=settings.EVENT_SIGN_IN_OPENS_MINUTES)
    times = {"start": f"{shift.starts_at:%H:%M}", "end": f"{shift.ends_at:%H:%M}"}
    flags = []
    if signup.signed_in_at and not opens <= signup.signed_in_at <= closes:
        flags.append(
            _("簽到時間 %(at)s 不在班次 %(start)s–%(end)s 的簽到時間內。")
            % {"at": _when(signup.signed_in_at, shift), **times}
        )
    if signup.signed_out_at and not start <= signup.signed_out_at <= end + leeway:
        flags.append(
            _("簽退時間 %(at)s 不在班次 %(start)s–%(end)s 內。")
            % {"at": _when(signup.signed_out_at, shift), **times}
        )
    length = Decimal((end - start).total_seconds()) / Decimal(3600)
    signed = signed_hours(signup)
    if hours is None:
        hours = signed
    # A quarter hour of leeway: hours are rounded to the nearest quarter from a little early/late.
    if hours is not None and hours > length + Decimal("0.25"):
        flags.append(
            _("確認 %(hours)s 小時，超過班次 %(start)s–%(end)s 的 %(length)s 小時。")
            % {"hours": _fmt(hours), "length": _fmt(length.quantize(Decimal("0.01"))), **times}
        )
    if hours is not None and signed is not None and abs(hours - signed) > Decimal("0.5"):
        flags.append(
            _("確認 %(hours)s 小時，與簽到簽退的 %(signed)s 小時不符。")
            % {"hours": _fmt(hours), "signed": _fmt(signed)}
        )
    return flags


@transaction.atomic
def confirm_hours(*, signup: ShiftSignup, actor, hours=None, accept_flags: bool = False):
    """The officer confirms the signed hours (or corrects them) → a service record (source EVENT).
    Hours that do not fit the shift are confirmed only with ``accept_flags`` (the officer has seen
    why) and the flags stay in the audit trail."""
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
    flags = hours_flags(signup, hour_rules.clean_hours(hours))
    if flags and not accept_flags:
        raise ValidationError(
            [
                _("%(name)s 的時數與班次不符，請核對後勾選「仍要確認」：") % {"name": signup.volunteer.name},
                *flags,
            ],
            code="flags",
        )
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
    if flags:
        record_event(
            actor=actor,
            action="event.hours_confirmed_despite_flags",
            target=event,
            changes={"volunteer": signup.volunteer.name, "hours": str(record.hours), "flags": flags},
            organisation=event.unit.organisation,
        )
    return record
