"""The figures a restore drill compares: taken beside every backup, printed again after a restore."""

import os
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Sum


def _files(root: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(root)) if root.is_dir() else 0


def backup_totals() -> dict:
    from audit.models import AuditEvent
    from donations.models import Pledge, PledgeStatus, Receipt, ReceiptStatus
    from honorcards.models import HonorCard
    from volunteers.models import ServiceRecord, ServiceRecordStatus, Volunteer

    paid = Pledge.objects.filter(status=PledgeStatus.PAID).aggregate(n=Count("id"), amount=Sum("amount"))
    receipts = dict(Receipt.objects.values_list("status").annotate(n=Count("id")).order_by())
    hours = ServiceRecord.objects.aggregate(n=Count("id"), hours=Sum("hours"))
    certified = ServiceRecord.objects.filter(status=ServiceRecordStatus.CERTIFIED).aggregate(h=Sum("hours"))[
        "h"
    ]
    cards = dict(HonorCard.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "gifts_paid": paid["n"],
        "gifts_paid_amount": paid["amount"] or 0,
        "gifts_all": Pledge.objects.count(),
        "receipts_valid": receipts.get(ReceiptStatus.VALID, 0),
        "receipts_void": receipts.get(ReceiptStatus.VOID, 0),
        "receipt_last_number": Receipt.objects.order_by("-number").values_list("number", flat=True).first()
        or "",
        "volunteers": Volunteer.objects.count(),
        "service_records": hours["n"],
        "service_hours": str(hours["hours"] or 0),
        "service_hours_certified": str(certified or 0),
        "honor_cards": sum(cards.values()),
        "honor_cards_valid": cards.get("valid", 0),
        "audit_events": AuditEvent.objects.count(),
        "media_files": _files(Path(settings.MEDIA_ROOT)),
        "private_media_files": _files(Path(settings.PRIVATE_MEDIA_ROOT)),
    }
