"""E-mail for honor-card steps (in each recipient's language, queued after the commit) and expiry
reminders."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from core.notify import people, send_notification
from core.roc import to_roc

from ..models import CardStatus, HonorCard

EMAIL = "honorcards/email/status.txt"


def emails(**filters) -> list[tuple[str, str]]:
    """The active users matching ``filters`` as recipients (address and language)."""
    return people(get_user_model().objects.filter(is_active=True, **filters))


def unit_officers(unit) -> list[tuple[str, str]]:
    return emails(role=Role.UNIT_OFFICER, organisation_id=unit.organisation_id)


def notify(recipients, subject, message, url):
    """``subject`` and ``message`` lazy (gettext_lazy / format_lazy): worded per recipient's language."""
    send_notification(recipients, subject, EMAIL, {"message": message, "url": url})


def tell_holder(card) -> None:
    """The volunteer hears that their card is issued (when they gave an e-mail address): in their
    account's language when the volunteer record has one, else in Chinese."""
    volunteer = card.volunteer
    if volunteer.email:
        language = volunteer.user.language if volunteer.user_id else ""
        notify(
            [(volunteer.email, language)],
            gettext_lazy("您的志願服務榮譽卡已核發"),
            format_lazy(
                gettext_lazy(
                    "{name} 您好，您的志願服務榮譽卡已核發（編號 {number}，有效期限 {expires}），請向服務單位領取。"
                ),
                name=card.holder_name,
                number=card.number,
                expires=to_roc(card.expires_on),
            ),
            "",
        )


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
            notify(
                unit_officers(card.unit),
                gettext_lazy("榮譽卡即將到期"),
                format_lazy(
                    gettext_lazy(
                        "{name} 的榮譽卡（編號 {number}）將於 {expires} 到期；自到期當月起可提出換發申請。"
                    ),
                    name=card.holder_name,
                    number=card.number,
                    expires=to_roc(card.expires_on),
                ),
                card.get_absolute_url(),
            )
            sent += 1
    return sent
