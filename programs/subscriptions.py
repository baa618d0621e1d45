"""Following a program's progress by e-mail: accounts tick a box, guests confirm their address
first (double opt-in), and every e-mail carries a link that stops them."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import record_event
from core.notify import send_notification

from .models import EmailSubscription, Program, ProgramSubscription

CONFIRM_SALT = "programs.subscription-confirm"
UNSUBSCRIBE_SALT = "programs.unsubscribe"
CONFIRM_MAX_AGE = 7 * 86400


def _token(salt: str, email: str, program_id: int) -> str:
    return signing.dumps({"e": email.lower(), "p": program_id}, salt=salt, compress=True)


def _read(salt: str, token: str, max_age=None) -> tuple[str, int] | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    return str(data.get("e", "")), data["p"]


def unsubscribe_url(email: str, program_id: int) -> str:
    return settings.SITE_URL + reverse(
        "programs:unsubscribe", args=[_token(UNSUBSCRIBE_SALT, email, program_id)]
    )


@transaction.atomic
def request_guest_subscription(*, email: str, program: Program) -> EmailSubscription | None:
    """A guest ticked "e-mail me this program's progress": ask them to confirm the address."""
    email = (email or "").strip().lower()
    if not email:
        return None
    subscription, _created = EmailSubscription.objects.get_or_create(email=email, program=program)
    if subscription.confirmed_at is None:
        link = settings.SITE_URL + reverse(
            "programs:confirm_subscription", args=[_token(CONFIRM_SALT, email, program.pk)]
        )
        send_notification(
            [email],
            f"請確認訂閱方案進度：{program.title}",
            "programs/email/confirm_subscription.txt",
            {"program": program, "confirm_url": link, "unsubscribe_url": unsubscribe_url(email, program.pk)},
        )
    return subscription


@transaction.atomic
def confirm_subscription(token: str) -> EmailSubscription | None:
    found = _read(CONFIRM_SALT, token, max_age=CONFIRM_MAX_AGE)
    if found is None:
        return None
    email, program_id = found
    subscription = (
        EmailSubscription.objects.select_for_update().filter(email=email, program_id=program_id).first()
    )
    if subscription is None:
        return None
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
        record_event(actor=None, action="program.email_subscribed", target=subscription.program)
    return subscription


@transaction.atomic
def unsubscribe(token: str) -> Program | None:
    """Stop the e-mails the token was made for (an account's by-e-mail flag, or a guest's address)."""
    found = _read(UNSUBSCRIBE_SALT, token)
    if found is None:
        return None
    email, program_id = found
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return None
    EmailSubscription.objects.filter(email=email, program_id=program_id).delete()
    ProgramSubscription.objects.filter(program_id=program_id, user__email__iexact=email).update(
        by_email=False
    )
    record_event(actor=None, action="program.email_unsubscribed", target=program)
    return program


def subscriber_emails(program: Program) -> list[str]:
    accounts = program.subscriptions.filter(by_email=True).values_list("user__email", flat=True)
    guests = program.email_subscriptions.filter(confirmed_at__isnull=False).values_list("email", flat=True)
    return sorted({e.lower() for e in [*accounts, *guests] if e})


def notify_subscribers(program: Program, subject: str, template_name: str, context: dict) -> None:
    """One e-mail per subscriber, each with its own unsubscribe link."""
    for email in subscriber_emails(program):
        send_notification(
            [email],
            subject,
            template_name,
            {**context, "unsubscribe_url": unsubscribe_url(email, program.pk)},
        )
