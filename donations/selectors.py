from django.db.models import Q

from accounts.permissions import has_role

from .models import Pledge, PledgeStatus, Receipt, ReceiptStatus
from .permissions import OVERSIGHT_ROLES


def pledges_for_donor(user):
    return (
        Pledge.objects.filter(donor=user)
        .select_related("program")
        .prefetch_related("receipts")
        .order_by("-created_at")
    )


def pledges_for_staff(user, *, status: str = "", query: str = ""):
    qs = Pledge.objects.select_related("program", "program__bureau").order_by("-created_at")
    if not has_role(user, *OVERSIGHT_ROLES):
        qs = qs.filter(program__bureau_id=user.organisation_id)
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(merchant_trade_no__icontains=query) | Q(donor_name__icontains=query))
    return qs


def current_receipt(pledge) -> Receipt | None:
    return next((r for r in pledge.receipts.all() if r.status == ReceiptStatus.VALID), None)


def program_donors(program):
    return (
        Pledge.objects.filter(program=program, status=PledgeStatus.PAID)
        .order_by("-paid_at")
        .only("donor_name", "donor_kind", "disclosure_mode", "display_name", "amount", "paid_at", "channel")
    )


def paid_pledges_between(start, end):
    """Gifts paid in [start, end), by payment time."""
    return Pledge.objects.filter(
        paid_at__gte=start, paid_at__lt=end, status__in=[PledgeStatus.PAID, PledgeStatus.REFUNDED]
    )


def refunds_between(start, end):
    return Pledge.objects.filter(status=PledgeStatus.REFUNDED, refunded_at__gte=start, refunded_at__lt=end)


def overdue_vouchers(now):
    return Pledge.objects.filter(status=PledgeStatus.AWAITING_PAYMENT, voucher_expires_at__lt=now)
