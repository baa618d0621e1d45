"""Following a program's progress by e-mail: accounts tick a box, guests confirm their address
first (double opt-in), and every e-mail carries a link that stops them."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from audit.services import record_event
from core.language import supported_language
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
def request_guest_subscription(
    *, email: str, program: Program, language: str = settings.LANGUAGE_CODE
) -> EmailSubscription | None:
    """A guest ticked "e-mail me this program's progress": ask them to confirm the address. The
    e-mails speak the language the guest gave in (the latest, when they gave more than once)."""
    email = (email or "").strip().lower()
    if not email:
        return None
    language = supported_language(language)
    subscription, _created = EmailSubscription.objects.get_or_create(
        email=email, program=program, defaults={"language": language}
    )
    if subscription.language != language:
        subscription.language = language
        subscription.save(update_fields=["language"])
    if subscription.confirmed_at is None:
        link = settings.SITE_URL + reverse(
            "programs:confirm_subscription", args=[_token(CONFIRM_SALT, email, program.pk)]
        )
        send_notification(
            [(email, language)],
            format_lazy(gettext_lazy("請確認訂閱方案進度：{title}"), title=program.title),
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


def subscribers(program: Program) -> list[tuple[str, str]]:
    """Who follows the program by e-mail, ``(address, language)``, each address once (an account's
    language before a guest subscription's with the same address)."""
    accounts = program.subscriptions.filter(by_email=True).values_list("user__email", "user__language")
    guests = program.email_subscriptions.filter(confirmed_at__isnull=False).values_list("email", "language")
    found: dict[str, str] = {}
    for email, language in [*accounts, *guests]:
        if email:
            found.setdefault(email.lower(), language)
    return sorted(found.items())


def subscriber_emails(program: Program) -> list[str]:
    return [email for email, _language in subscribers(program)]


def notify_subscribers(program: Program, subject, template_name: str, context: dict) -> None:
    """One e-mail per subscriber, each with its own unsubscribe link, in the subscriber's language."""
    for email, language in subscribers(program):
        send_notification(
            [(email, language)],
            subject,
            template_name,
            {**context, "unsubscribe_url": unsubscribe_url(email, program.pk)},
        )
