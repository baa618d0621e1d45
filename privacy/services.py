"""What a person may ask under the Personal Data Protection Act, and what a unit or bureau does
about it: correction requests (a task for the organisation that keeps the data) and account
closure (erase what no law requires keeping; keep the financial records for their 10 years)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from audit.services import record_event
from core import ratelimit
from core.notify import send_notification
from donations.models import Pledge, PledgeStatus, RecurringGift
from programs.models import Offer, OfferStatus
from programs.services import withdraw_offer

from .models import DataRequest, RequestKind, RequestStatus
from .permissions import can_close_own_account, can_handle_request
from .retention import ANONYMISED, anonymise_pledge, anonymise_volunteer
from .selectors import correction_recipients, volunteer_of
from .workflows import REQUEST_FLOW

CLOSED_EMAIL_DOMAIN = "closed.invalid"
# Each request e-mails every staff member of the organisation: a person keeps a few open at once
# with one organisation (anyone can sign up, so an account is no way to flood a unit's inboxes).
MAX_OPEN_CORRECTIONS = 3
# Closing an account asks for the password: a session left open on a shared computer must not
# become a way to guess it (the sign-in page has allauth's limits; this form has its own).
CLOSE_PASSWORD_TRIES_PER_HOUR = 5


def password_try_allowed(user) -> bool:
    """Count one password try on the closing form (before the password is checked, one atomic
    increment: parallel guesses each take their own count); False past the hour's allowance."""
    return ratelimit.hit(f"privacy:close-password:{user.pk}", CLOSE_PASSWORD_TRIES_PER_HOUR, 60 * 60)


def _notify_organisation(request: DataRequest, subject: str) -> None:
    staff = request.organisation.members.filter(is_active=True).exclude(role__in=[Role.DONOR, Role.VOLUNTEER])
    send_notification(staff, subject, "privacy/email/new_request.txt", {"request": request})


@transaction.atomic
def request_correction(*, user, organisation, message: str) -> DataRequest:
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("請說明哪些資料需要更正、正確內容為何。"))
    if organisation not in correction_recipients(user):
        raise ValidationError(_("請從清單中選擇受理的單位。"))
    open_ones = DataRequest.objects.filter(
        requester=user, organisation=organisation, kind=RequestKind.CORRECTION, status=RequestStatus.OPEN
    )
    if open_ones.count() >= MAX_OPEN_CORRECTIONS:
        raise ValidationError(
            _("您在此單位已有 %(n)s 件待處理的更正申請；請待處理完成後再送出新的申請。")
            % {"n": MAX_OPEN_CORRECTIONS}
        )
    request = DataRequest.objects.create(
        kind=RequestKind.CORRECTION,
        requester=user,
        organisation=organisation,
        volunteer=volunteer_of(user),
        message=message[:4000],
    )
    # The request itself may hold personal data: the trail says that one was made, not what it says.
    record_event(actor=user, action="privacy.correction_requested", target=request, organisation=organisation)
    _notify_organisation(request, gettext_lazy("有一件個人資料更正申請待處理"))
    return request


@transaction.atomic
def handle_request(*, request: DataRequest, actor, reply: str) -> DataRequest:
    request = DataRequest.objects.select_for_update().get(pk=request.pk)
    if not can_handle_request(actor, request):
        raise PermissionDenied
    if not REQUEST_FLOW.can(request.status, "handle"):
        raise ValidationError(_("這件申請已處理過了。"))
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError(_("請說明處理結果（已更正的內容，或無法更正的理由）。"))
    previous = REQUEST_FLOW.advance(request, "handle")
    request.reply = reply[:4000]
    request.handled_at = timezone.now()
    request.handled_by = actor
    request.save(update_fields=["status", "reply", "handled_at", "handled_by"])
    record_event(
        actor=actor,
        action="privacy.request_handled",
        target=request,
        changes={"status": [previous, request.status]},
        organisation=request.organisation,
    )
    if request.requester.is_active:
        send_notification(
            [request.requester],
            gettext_lazy("您的個人資料請求已處理"),
            "privacy/email/request_handled.txt",
            {"request": request},
        )
    return request


@transaction.atomic
def close_account(*, user) -> None:
    """Close a donor's or volunteer's own account.

    Erased now: the login (e-mail, name, phone, password, 2FA), the personal fields of gifts never
    paid, offers' delivery details, and, if the person serves in no unit any more, their volunteer
    record (anonymised). Kept: paid gifts and their receipts (Accounting Act, 10 years; the job
    anonymises them then), and a volunteer record still in a unit's roster: that unit is given a
    task to confirm whether the person has left (then the 5-year rule applies).
    """

    if not can_close_own_account(user):
        raise PermissionDenied
    if RecurringGift.objects.filter(donor=user, is_active=True).exists():
        raise ValidationError(_("您仍有扣款中的定期定額捐款，請先在「我的捐款」停止扣款，再註銷帳號。"))

    if apps.is_installed("corporate"):
        # A company's coordinator hands the company on first (never the last: refused with its reason).
        from corporate.coordinators import leave_on_closure

        leave_on_closure(user)

    for pledge in Pledge.objects.select_for_update().filter(donor=user):
        if pledge.status in (PledgeStatus.PAID, PledgeStatus.REFUNDED):
            if pledge.email_updates:
                pledge.email_updates = False
                pledge.save(update_fields=["email_updates"])
        else:
            anonymise_pledge(pledge)
    for offer in Offer.objects.filter(donor=user, status=OfferStatus.PENDING):
        withdraw_offer(offer=offer, actor=user)
    Offer.objects.filter(donor=user).update(delivery_place="", delivery_window="", note="")
    if apps.is_installed("opportunities"):
        # Imported here: an optional app, imported only where it is installed.
        from opportunities.applications import forget_applicant

        forget_applicant(user)

    volunteer = volunteer_of(user)
    if volunteer is not None:
        active_units = [
            m.unit for m in volunteer.memberships.select_related("unit__organisation") if m.is_active
        ]
        if active_units:
            volunteer.user = None
            volunteer.save(update_fields=["user", "updated_at"])
            for unit in active_units:
                task = DataRequest.objects.create(
                    kind=RequestKind.ACCOUNT_CLOSED,
                    requester=user,
                    organisation=unit.organisation,
                    volunteer=volunteer,
                    message=_("志工已註銷平台帳號。如已不在隊，請登錄離隊日期；在隊期間的紀錄依規定保存。"),
                )
                _notify_organisation(task, gettext_lazy("一位志工已註銷平台帳號"))
        else:
            anonymise_volunteer(volunteer, actor=user)

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = f"closed-{user.pk}@{CLOSED_EMAIL_DOMAIN}"
    user.name = ANONYMISED
    user.phone = ""
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    record_event(actor=user, action="privacy.account_closed", target=user)
