"""Reads of gifts. The one place of the counting rule every report shares (disclosure, dashboard,
the designated-fund guard): a gift counts in the Taiwan month it was paid — a gift refunded later
stays income of that month — and a refund counts in the Taiwan month of the refund."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth

from core.roc import roc_year

from .models import GoodsDonation, Pledge, PledgeStatus, Receipt, ReceiptStatus, SandboxTrade, StatementImport
from .permissions import sees_every_bureaus_gifts

COUNTED_STATES = (PledgeStatus.PAID, PledgeStatus.REFUNDED)  # paid once, whatever happened since


def taiwan() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a Taiwan month, as aware datetimes."""
    start = datetime.datetime(year, month, 1, tzinfo=taiwan())
    end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=taiwan())
    return start, end


def taiwan_date(moment: datetime.datetime) -> datetime.date:
    """The Taiwan calendar day of a moment (a gift at 03:15 on the 30th Taipei time is the 30th)."""
    return moment.astimezone(taiwan()).date()


def gifts_counted_between(start, end=None):
    """Gifts counted as income in [start, end): paid then, refunded later or not."""
    qs = Pledge.objects.filter(status__in=COUNTED_STATES, paid_at__isnull=False)
    if start is not None:
        qs = qs.filter(paid_at__gte=start)
    if end is not None:
        qs = qs.filter(paid_at__lt=end)
    return qs


def refunds_counted_between(start, end=None):
    """Refunds counted in [start, end): by the moment of the refund."""
    qs = Pledge.objects.filter(status=PledgeStatus.REFUNDED, refunded_at__isnull=False)
    if start is not None:
        qs = qs.filter(refunded_at__gte=start)
    if end is not None:
        qs = qs.filter(refunded_at__lt=end)
    return qs


def _sum_by_taiwan_month(qs, field: str, amount: str = "amount") -> dict[tuple[int, int], int]:
    out: dict[tuple[int, int], int] = {}
    rows = qs.annotate(m=TruncMonth(field, tzinfo=taiwan())).values("m").annotate(total=Sum(amount))
    for row in rows.values_list("m", "total"):
        moment, total = row
        local = moment.astimezone(taiwan()) if moment.tzinfo else moment
        key = (local.year, local.month)
        out[key] = out.get(key, 0) + (total or 0)
    return out


def income_by_month() -> dict[tuple[int, int], int]:
    return _sum_by_taiwan_month(gifts_counted_between(None), "paid_at")


def refunds_by_month() -> dict[tuple[int, int], int]:
    return _sum_by_taiwan_month(refunds_counted_between(None), "refunded_at")


def pledges_for_donor(user):
    return (
        Pledge.objects.filter(donor=user)
        .select_related("program")
        .prefetch_related("receipts")
        .order_by("-created_at")
    )


def pledges_for_staff(user, *, status: str = "", query: str = ""):
    qs = Pledge.objects.select_related("program", "program__bureau").order_by("-created_at")
    if not sees_every_bureaus_gifts(user):
        qs = qs.filter(program__bureau_id=user.organisation_id)
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(merchant_trade_no__icontains=query) | Q(donor_name__icontains=query))
    return qs


def current_receipt(pledge) -> Receipt | None:
    return next((r for r in pledge.receipts.all() if r.status == ReceiptStatus.VALID), None)


def cited_receipts(pledge_ids) -> dict[int, str]:
    """The receipt number a report cites for each gift: the valid one; for a refunded gift (all
    receipts void) the last one issued, so the line still points at a real document."""
    out: dict[int, str] = {}
    valid: set[int] = set()
    rows = (
        Receipt.objects.filter(pledge_id__in=pledge_ids)
        .order_by("issued_at", "pk")
        .values_list("pledge_id", "number", "status")
    )
    for pledge_id, number, status in rows:
        if pledge_id in valid:
            continue
        out[pledge_id] = number
        if status == ReceiptStatus.VALID:
            valid.add(pledge_id)
    return out


def program_donors(program):
    return (
        Pledge.objects.filter(program=program, status=PledgeStatus.PAID)
        .order_by("-paid_at")
        .only("donor_name", "donor_kind", "disclosure_mode", "display_name", "amount", "paid_at", "channel")
    )


def overdue_vouchers(now):
    return Pledge.objects.filter(status=PledgeStatus.AWAITING_PAYMENT, voucher_expires_at__lt=now)


def donor_overview(user) -> dict:
    """The donor's dashboard: their gifts (each with its current receipt), what waits for payment,
    the total paid and the ROC years an annual receipt can be printed for."""
    pledges = list(pledges_for_donor(user))
    for pledge in pledges:
        pledge.current_receipt = current_receipt(pledge)
    paid = [p for p in pledges if p.status == PledgeStatus.PAID]
    return {
        "pledges": pledges,
        "waiting": [p for p in pledges if p.status == PledgeStatus.AWAITING_PAYMENT],
        "total_paid": sum(p.amount for p in paid),
        "years": sorted({roc_year(taiwan_date(p.paid_at)) for p in paid}, reverse=True),
        "monthly": user.recurring_gifts.select_related("first_pledge", "first_pledge__program"),
    }


def paid_in_year(user, year: int):
    """A donor's paid gifts of a Gregorian year, for the annual receipt."""
    return (
        Pledge.objects.filter(donor=user, status=PledgeStatus.PAID, paid_at__year=year)
        .select_related("program")
        .prefetch_related("receipts")
        .order_by("paid_at")
    )


def tax_export_rows(year: int):
    """The Taiwan calendar year's gifts for the tax authority, by the counting rule of every
    report: paid (not refunded), the donor consented and gave an ID or tax number."""
    start, _end = month_bounds(year, 1)
    end, _end = month_bounds(year + 1, 1)
    return (
        gifts_counted_between(start, end)
        .filter(status=PledgeStatus.PAID, tax_consent=True)
        .exclude(receipt_id_number="")
        .order_by("paid_at")
        .prefetch_related("receipts")
    )


def recent_statements():
    return StatementImport.objects.all()[:20]


def goods_for(user):
    """Goods in the platform's care: a caseworker sees their bureau's, the overseers everything."""
    goods = GoodsDonation.objects.select_related("program").order_by("-received_at")
    if not sees_every_bureaus_gifts(user):
        goods = goods.filter(program__bureau_id=user.organisation_id)
    return goods


def sandbox_trade(pledge):
    """The local sandbox's record of the pledge's trade (its page offers the sandbox's buttons)."""
    return SandboxTrade.objects.filter(merchant_trade_no=pledge.merchant_trade_no).first()
