"""How long each kind of personal data is kept, and the anonymisation when that time has passed.

The table below is the one in the README (keep them the same). The scheduled job
``privacy.tasks.anonymise_expired_personal_data`` applies the timed rows; account closure
(``privacy.services.close_account``) applies the "until the account is closed" rows at once.
"""

import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from donations.models import GoodsDonation, Pledge, PledgeStatus, Receipt
from honorcards.models import Application, CardStatus, HonorCard
from volunteers.models import Volunteer

FINANCIAL_YEARS = 10  # 會計法 §83: accounting books and records, 10 years
UNPAID_PLEDGE_DAYS = 365  # a pledge never paid is no financial record; a year covers disputes
VOLUNTEER_YEARS = 5  # after the last membership ended (honor-card years count over gaps this long)

ANONYMISED = "（已匿名）"

# (what, how long, then what). Literal texts so they can be translated; the numbers are the
# constants above (tests/privacy/test_retention.py checks the README carries the same table).
RETENTION = [
    (_("登入帳號（電子郵件、姓名、電話、雙重驗證）"), _("至帳號註銷"), _("註銷時刪除、帳號匿名化")),
    (_("捐款、收據、物資捐贈之姓名、收據抬頭、證號、地址"), _("10 年（會計法）"), _("期滿匿名化")),
    (_("未付款之捐款資料"), _("365 日"), _("期滿匿名化；帳號註銷時即刪除")),
    (_("志工聯絡資料（電話、電子郵件、地址、照片）"), _("在隊期間"), _("帳號註銷且未在隊時刪除")),
    (_("志工身分與服務紀錄（姓名、證號、生日、時數、訓練、保險）"), _("最後離隊後 5 年"), _("期滿匿名化（時數留作統計）")),
    (_("稽核紀錄（證號僅存遮蔽值）"), _("10 年"), _("不可修改、不可刪除")),
]  # fmt: skip


def _years_ago(years: int, now=None) -> datetime.datetime:
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def anonymise_pledge(pledge) -> None:
    pledge.donor_name = ANONYMISED
    pledge.display_name = ""
    pledge.receipt_name = ANONYMISED
    pledge.receipt_id_number = ""
    pledge.receipt_address = ""
    pledge.guest_email = ""
    pledge.email_updates = False
    pledge.save(
        update_fields=[
            "donor_name", "display_name", "receipt_name", "receipt_id_number", "receipt_address",
            "guest_email", "email_updates",
        ]
    )  # fmt: skip


def anonymise_volunteer(volunteer, *, actor=None) -> None:
    """Keep the hours, trainings and memberships as numbers for statistics; nothing that names the
    person: no name, no ID number (the lookup hash becomes a tombstone), only the birth year."""

    if volunteer.photo:
        volunteer.photo.delete(save=False)
    volunteer.name = ANONYMISED
    volunteer.identity_number = ""
    volunteer.identity_hash = f"anonymised:{volunteer.pk}"
    volunteer.birth_date = datetime.date(volunteer.birth_date.year, 1, 1)
    volunteer.phone = volunteer.email = volunteer.address = ""
    volunteer.record_book_number = ""
    volunteer.user = None
    volunteer.save()
    for application in Application.objects.filter(volunteer=volunteer).prefetch_related("pages"):
        for image in (application.photo, application.record_book_cover):
            if image:
                image.delete(save=False)
        for page in application.pages.all():
            page.image.delete(save=False)
        application.pages.all().delete()
        application.record_book_number = ""
        application.save()
    for card in HonorCard.objects.filter(volunteer=volunteer):
        if card.photo:
            card.photo.delete(save=False)
        if card.pdf:
            card.pdf.delete(save=False)
        card.holder_name = ANONYMISED
        card.save()
    record_event(actor=actor, action="privacy.volunteer_anonymised", target=volunteer)


def volunteers_past_retention(now=None):
    """People with no membership left (all ended over VOLUNTEER_YEARS ago), no valid honor card,
    no service in that time, not yet anonymised."""

    now = now or timezone.now()
    cutoff = _years_ago(VOLUNTEER_YEARS, now).date()
    return (
        Volunteer.objects.exclude(identity_hash__startswith="anonymised:")
        .exclude(memberships__left_on__isnull=True)
        .exclude(honor_cards__status=CardStatus.VALID, honor_cards__expires_on__gte=now.date())
        .annotate(last_left=Max("memberships__left_on"), last_served=Max("service_records__served_on"))
        .filter(last_left__lt=cutoff)
        .filter(Q(last_served__isnull=True) | Q(last_served__lt=cutoff))
    )


def anonymise_expired(now=None) -> dict:
    """The scheduled job's work: each expired record anonymised in its own transaction, audited."""

    now = now or timezone.now()
    financial_cutoff = _years_ago(FINANCIAL_YEARS, now)
    counts = {"pledges": 0, "receipts": 0, "goods": 0, "volunteers": 0}

    paid = Q(paid_at__lt=financial_cutoff) | Q(paid_at__isnull=True, created_at__lt=financial_cutoff)
    unpaid = Q(
        status__in=[
            PledgeStatus.PENDING,
            PledgeStatus.AWAITING_PAYMENT,
            PledgeStatus.FAILED,
            PledgeStatus.EXPIRED,
        ],
        created_at__lt=now - datetime.timedelta(days=UNPAID_PLEDGE_DAYS),
    )
    for pledge in Pledge.objects.filter(paid | unpaid).exclude(receipt_name=ANONYMISED).iterator():
        with transaction.atomic():
            anonymise_pledge(pledge)
            record_event(actor=None, action="privacy.pledge_anonymised", target=pledge)
        counts["pledges"] += 1
    for receipt in (
        Receipt.objects.filter(issued_at__lt=financial_cutoff).exclude(receipt_name=ANONYMISED).iterator()
    ):
        with transaction.atomic():
            Receipt.objects.filter(pk=receipt.pk).update(receipt_name=ANONYMISED, receipt_id_masked="")
            record_event(actor=None, action="privacy.receipt_anonymised", target=receipt)
        counts["receipts"] += 1
    for goods in GoodsDonation.objects.filter(received_at__lt=financial_cutoff).exclude(
        donor_name=ANONYMISED
    ):
        with transaction.atomic():
            GoodsDonation.objects.filter(pk=goods.pk).update(donor_name=ANONYMISED)
            record_event(actor=None, action="privacy.goods_anonymised", target=goods)
        counts["goods"] += 1
    for volunteer in volunteers_past_retention(now).iterator():
        with transaction.atomic():
            anonymise_volunteer(volunteer)
        counts["volunteers"] += 1
    return counts
