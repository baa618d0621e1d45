"""E-mail for honor-card steps (written in Chinese, queued after the commit) and expiry reminders."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from core.language import in_record_language
from core.notify import send_notification
from core.roc import to_roc

from ..models import CardStatus, HonorCard

EMAIL = "honorcards/email/status.txt"


def emails(**filters) -> list[str]:
    return list(
        get_user_model()
        .objects.filter(is_active=True, **filters)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def unit_officers(unit) -> list[str]:
    return emails(role=Role.UNIT_OFFICER, organisation_id=unit.organisation_id)


def in_chinese(label) -> str:
    """A translatable label as it reads in Chinese (e-mails are written in Chinese)."""
    with in_record_language():
        return str(label)


def notify(recipients, subject, message, url):
    send_notification(recipients, subject, EMAIL, {"message": message, "url": url})


def tell_holder(card) -> None:
    """The volunteer hears that their card is issued (when they gave an e-mail address)."""
    if card.volunteer.email:
        notify(
            [card.volunteer.email],
            "您的志願服務榮譽卡已核發",
            f"{card.holder_name} 您好，您的志願服務榮譽卡已核發（編號 {card.number}，有效期限 "
            f"{to_roc(card.expires_on)}），請向服務單位領取。",
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
                "榮譽卡即將到期",
                f"{card.holder_name} 的榮譽卡（編號 {card.number}）將於 {to_roc(card.expires_on)} 到期；"
                f"自到期當月起可提出換發申請。",
                card.get_absolute_url(),
            )
            sent += 1
    return sent
