"""Writes for applications (報名): apply, the officer's decision, withdrawal, and the reminder
before a shift. Same rules as ``services``: atomic, the opportunity's row locked where places are
counted, audited, an e-mail at each step. The transitions are ``models.APPLICATION_TRANSITIONS``."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from audit.services import record_event
from core.notify import interpolate_lazy, people
from core.roc import to_roc
from volunteers.events import services as event_services
from volunteers.models import ShiftSignup, SignupStatus

from . import permissions, rules, selectors, waitlist
from .acceptance import _erase_identity, accept_onto_roster, training_warnings  # noqa: F401 (re-exported)
from .models import (
    APPLICATION_FLOW,
    LIVE_STATUSES,
    OFFICER_ACTIONS,
    Application,
    ApplicationAction,
    ApplicationStatus,
    ClosedReason,
    Opportunity,
    OpportunityStatus,
    ShiftReminder,
)
from .services import REMINDER_HOURS, _changed, _close, _notify

# --- Applications -----------------------------------------------------------------------------

# Applications one person may make to one opportunity, withdrawn and declined ones included: each
# sends the unit's officers an e-mail, so applying and withdrawing in a loop is no way to flood them.
MAX_TRIES = 3


def _application_url(application) -> str:
    return reverse("opportunities:my_applications")


def _officer_emails(unit) -> list[tuple[str, str]]:
    from django.contrib.auth import get_user_model

    return people(
        get_user_model().objects.filter(
            is_active=True, role=Role.UNIT_OFFICER, organisation_id=unit.organisation_id
        )
    )


@transaction.atomic
def apply(
    *,
    opportunity: Opportunity,
    user,
    name: str = "",
    phone: str = "",
    answer: str = "",
    shifts=(),
    has_basic_training: bool = False,
    has_special_training: bool = False,
    identity_kind: str = "",
    identity_number: str = "",
    birth_date: datetime.date | None = None,
    sex: str = "",
) -> Application:
    """A signed-in person applies. Someone whose account has no volunteer record gives what the
    register needs (ID number, birth date, sex); it is checked now and used only on acceptance."""
    if not permissions.can_apply(user):
        raise PermissionDenied(_("機關或單位人員帳號不能報名，請使用個人帳號。"))
    facts = selectors.application_facts(opportunity, user)
    opportunity = facts.opportunity
    if not opportunity.is_open:
        raise ValidationError(_("這則招募目前不接受報名。"))
    if Application.objects.filter(opportunity=opportunity, applicant=user).count() >= MAX_TRIES:
        raise ValidationError(_("您已多次報名這則招募，無法再次報名；如有需要請直接聯絡運用單位。"))
    chosen = list(shifts)
    details = rules.clean_application(
        facts,
        name=(name or "").strip() or user.name,
        shifts=chosen,
        today=timezone.localdate(),
        identity_kind=identity_kind,
        identity_number=identity_number,
        birth_date=birth_date,
        sex=sex,
    )
    if not user.name:
        user.name = details.name
        user.save(update_fields=["name"])
    application = Application(
        opportunity=opportunity,
        applicant=user,
        phone=(phone or user.phone or "").strip()[:40],
        answer=(answer or "").strip()[:2000],
        has_basic_training=has_basic_training,
        has_special_training=has_special_training,
        identity_kind=details.identity_kind,
        identity_number=details.identity_number,
        birth_date=details.birth_date,
        sex=details.sex,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # the same person, twice at the same moment
        raise ValidationError(_("您已報名這則招募。")) from None
    application.shifts.set(chosen)
    record_event(
        actor=user,
        action="application.submitted",
        target=application,
        changes={"opportunity": opportunity.title},
        organisation=opportunity.unit.organisation,
    )
    _notify(
        _officer_emails(opportunity.unit),
        gettext_lazy("新的志工報名"),
        interpolate_lazy(
            gettext_lazy("「%(title)s」有一位新的報名者，請至志工招募管理頁審核。"),
            {"title": opportunity.title},
        ),
        reverse("opportunities:manage_detail", args=[opportunity.pk]),
    )
    _notify(
        [user],
        gettext_lazy("已收到您的志工報名"),
        interpolate_lazy(
            gettext_lazy("您已報名「%(title)s」，運用單位審核後會再通知您。"), {"title": opportunity.title}
        ),
        _application_url(application),
    )
    _changed(map_too=False)
    return application


@transaction.atomic
def decide(*, application: Application, actor, action: str, message: str = "") -> list[str]:
    """The officer accepts, waitlists or declines. Acceptance makes the applicant a member of the
    unit and puts them on the shifts they chose; returns warnings (insurance, training, full
    shifts) for the officer."""
    application = Application.objects.select_related("opportunity", "applicant").get(pk=application.pk)
    opportunity = (
        Opportunity.objects.select_for_update()
        .select_related("unit__organisation")
        .get(pk=application.opportunity_id)
    )
    application = Application.objects.select_for_update().select_related("applicant").get(pk=application.pk)
    application.opportunity = opportunity
    if not permissions.can_decide(actor, application):
        raise PermissionDenied(_("只有本單位的承辦人可以審核報名。"))
    if action not in OFFICER_ACTIONS:
        raise ValidationError(_("不明的審核動作。"))
    new_status = APPLICATION_FLOW.target(application.status, action)
    message = (message or "").strip()
    if len(message) > 2000:
        raise ValidationError({"message": _("訊息最多 2,000 個字。")})
    if action == ApplicationAction.DECLINE and not message:
        raise ValidationError({"message": _("婉拒時請寫一段給報名者的說明。")})
    warnings: list[str] = []
    old = application.status
    now = timezone.now()
    if action == ApplicationAction.ACCEPT:
        accepted = opportunity.applications.filter(status=ApplicationStatus.ACCEPTED).count()
        if accepted >= opportunity.capacity:
            raise ValidationError(
                _("名額已滿（%(n)s 人）；可改列候補，或先修改招募人數。") % {"n": opportunity.capacity}
            )
        warnings = accept_onto_roster(application, actor)
        if accepted + 1 >= opportunity.capacity and opportunity.status == OpportunityStatus.PUBLISHED:
            _close(opportunity, ClosedReason.FULL)
            _changed()
    application.status = new_status
    application.decision_message = message
    application.decided_at, application.decided_by = now, actor
    if action != ApplicationAction.WAITLIST:
        _erase_identity(application)
    application.save()
    record_event(
        actor=actor,
        action=f"application.{action}",
        target=application,
        changes={"status": [old, new_status], "opportunity": opportunity.title},
        organisation=opportunity.unit.organisation,
    )
    subject, text = {
        ApplicationAction.ACCEPT: (
            gettext_lazy("志工報名已錄取"),
            gettext_lazy(
                "恭喜！您已錄取「%(title)s」。班次與簽到方式請見「我的志工報名」；服務當天請以手機掃描現場的簽到 QR code。"
            ),
        ),
        ApplicationAction.WAITLIST: (
            gettext_lazy("志工報名列入候補"),
            gettext_lazy("您報名的「%(title)s」目前列入候補，有名額時會再通知您。"),
        ),
        ApplicationAction.DECLINE: (
            gettext_lazy("志工報名未錄取"),
            gettext_lazy("很抱歉，您報名的「%(title)s」這次未能錄取。"),
        ),
    }[action]
    body = interpolate_lazy(text, {"title": opportunity.title})
    _notify([application.applicant], subject, body, _application_url(application), note=message)
    _changed(map_too=False)
    return warnings


def withdrawable(application: Application) -> bool:
    """The workflow allows it, and an accepted place is not given back once the opportunity has
    ended: by then the person served (or not) and the year's figures count the acceptance."""
    if application.next_status(ApplicationAction.WITHDRAW) is None:
        return False
    return not (application.status == ApplicationStatus.ACCEPTED and application.opportunity.is_past)


@transaction.atomic
def withdraw(*, application: Application, actor) -> Application:
    """The applicant withdraws; an accepted one is taken off the shifts not yet signed in to, and
    the place goes to the earliest waiting applicant (``waitlist``), or a full opportunity takes
    applications again."""
    opportunity = (
        Opportunity.objects.select_for_update()
        .select_related("unit__organisation")
        .get(pk=application.opportunity_id)
    )
    application = Application.objects.select_for_update().select_related("applicant").get(pk=application.pk)
    if not permissions.can_withdraw(actor, application):
        raise PermissionDenied(_("只能撤回自己的報名。"))
    new_status = APPLICATION_FLOW.target(application.status, ApplicationAction.WITHDRAW)
    was_accepted = application.status == ApplicationStatus.ACCEPTED
    application.opportunity = opportunity
    if not withdrawable(application):
        raise ValidationError(_("招募期間已結束，已錄取的報名無法撤回；服務紀錄如有疑問請聯絡運用單位。"))
    old = application.status
    if was_accepted and application.volunteer_id:
        for signup in ShiftSignup.objects.filter(
            shift__event_id=opportunity.event_id,
            volunteer_id=application.volunteer_id,
            status=SignupStatus.SIGNED_UP,
            signed_in_at__isnull=True,
            shift__date__gte=timezone.localdate(),
        ):
            signup.status = SignupStatus.CANCELLED
            signup.save(update_fields=["status"])
    application.status = new_status
    application.withdrawn_at = timezone.now()
    _erase_identity(application)
    application.save()
    record_event(
        actor=actor,
        action="application.withdrawn",
        target=application,
        changes={"status": [old, new_status], "opportunity": opportunity.title},
        organisation=opportunity.unit.organisation,
    )
    if was_accepted:  # a place reopened: the waiting list moves up (or the board reopens)
        waitlist.fill_reopened_places(opportunity, actor=actor, reopened_by=waitlist.WITHDRAWAL)
    _notify(
        _officer_emails(opportunity.unit),
        gettext_lazy("志工撤回報名"),
        interpolate_lazy(
            gettext_lazy("%(name)s 撤回了「%(title)s」的報名。"),
            {"name": application.applicant.name, "title": opportunity.title},
        ),
        reverse("opportunities:manage_detail", args=[opportunity.pk]),
    )
    _changed(map_too=False)
    return application


def send_shift_reminders(now: datetime.datetime | None = None) -> int:
    """E-mail accepted volunteers about a shift starting within ``REMINDER_HOURS``: once per
    sign-up (the ``ShiftReminder`` row), however often the task runs."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=REMINDER_HOURS)
    today = timezone.localdate(now)
    sent = 0
    applications = Application.objects.filter(
        status=ApplicationStatus.ACCEPTED, volunteer__isnull=False
    ).select_related("opportunity", "applicant")
    candidates = ShiftSignup.objects.filter(
        status=SignupStatus.SIGNED_UP,
        signed_in_at__isnull=True,
        reminder__isnull=True,
        shift__date__gte=today,
        shift__date__lte=timezone.localdate(horizon),
        shift__event__opportunity__isnull=False,
    ).select_related("shift__event__opportunity", "volunteer")
    for signup in candidates:
        start, _end = event_services.shift_bounds(signup.shift)
        if not now <= start <= horizon:
            continue
        application = applications.filter(
            opportunity__event_id=signup.shift.event_id, volunteer_id=signup.volunteer_id
        ).first()
        if application is None:
            continue
        with transaction.atomic():
            _reminder, created = ShiftReminder.objects.get_or_create(
                signup=signup, defaults={"application": application}
            )
            if not created:
                continue
            shift = signup.shift
            _notify(
                [application.applicant],
                gettext_lazy("志工班次提醒"),
                interpolate_lazy(
                    gettext_lazy(
                        "提醒您：「%(title)s」的班次在 %(date)s %(start)s–%(end)s，地點：%(venue)s。到場後請以手機掃描簽到 QR code。"
                    ),
                    {
                        "title": application.opportunity.title,
                        "date": to_roc(shift.date),
                        "start": f"{shift.starts_at:%H:%M}",
                        "end": f"{shift.ends_at:%H:%M}",
                        "venue": application.opportunity.venue,
                    },
                ),
                _application_url(application),
            )
            sent += 1
    return sent


def forget_applicant(user) -> int:
    """A closed account (privacy.services.close_account): live applications are withdrawn (the
    unit is told, future shifts are cancelled) and what the person typed is erased from all of
    them. Returns how many were withdrawn."""
    withdrawn = 0
    live = Application.objects.filter(applicant=user, status__in=LIVE_STATUSES).select_related("opportunity")
    for application in live:
        if withdrawable(application):  # an ended opportunity's acceptance stays on record
            withdraw(application=application, actor=user)
            withdrawn += 1
    Application.objects.filter(applicant=user).update(
        phone="", answer="", identity_kind="", identity_number="", birth_date=None, sex=""
    )
    return withdrawn
