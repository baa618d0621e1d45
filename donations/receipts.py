"""Receipts and what changes them: issuing (gap-free per ROC year), refunds (which never take a
designated fund below zero) and corrections (void and reissue). Every change is audited and runs
with the pledge row locked."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_event
from core.notify import send_notification
from core.pagecache import invalidate
from core.roc import roc_year
from core.sequences import take_next_number
from core.validators import mask_identity_number, validate_receipt_id
from disclosure.funds import available_from, unrestricted_balance
from disclosure.models import FundTransfer
from programs.models import Program

from . import guest_links
from .models import Pledge, PledgeStatus, Receipt, ReceiptCounter, ReceiptStatus
from .permissions import can_correct_receipt, can_refund
from .workflows import PLEDGE_FLOW, RECEIPT_FLOW

# --- Receipts ---------------------------------------------------------------------------------


def _next_receipt_number(when) -> str:
    year = roc_year(timezone.localtime(when).date())
    return f"{year:03d}-{take_next_number(ReceiptCounter, year):06d}"


# No savepoint of its own: a receipt is always issued as part of a caller's change (payment,
# correction) and fails or commits with it.
@transaction.atomic(savepoint=False)
def issue_receipt(pledge: Pledge, *, replaces: Receipt | None = None) -> Receipt:
    """A numbered receipt for a paid gift (numbers are gap-free per ROC year)."""
    return Receipt.objects.create(
        pledge=pledge,
        number=_next_receipt_number(pledge.paid_at or timezone.now()),
        replaces=replaces,
        receipt_name=pledge.receipt_name,
        receipt_id_masked=mask_identity_number(pledge.receipt_id_number) if pledge.receipt_id_number else "",
    )


def _void(receipt: Receipt, reason: str) -> None:
    RECEIPT_FLOW.advance(receipt, "void")
    receipt.voided_at = timezone.now()
    receipt.void_reason = reason[:200]
    receipt.save(update_fields=["status", "voided_at", "void_reason"])


def _cover_designated_refund(pledge: Pledge, *, actor, now, cover_from_unrestricted: bool) -> None:
    """A refund may not take the program's designated fund below zero (money already spent is
    gone): refuse, or — when staff choose it — move the shortfall from the unrestricted fund in a
    recorded transfer that the disclosure publishes."""
    Program.objects.select_for_update().filter(pk=pledge.program_id).first()  # as spending locks it
    shortfall = pledge.amount - available_from(pledge.program, now)
    if shortfall <= 0:
        return
    if not cover_from_unrestricted:
        raise ValidationError(
            _(
                "此方案的指定用途基金已支用，退款 NT$%(amount)s 將使基金低於零（尚缺 NT$%(shortfall)s）。"
                "如仍須退款，請勾選由不指定用途基金撥補差額。"
            )
            % {"amount": f"{pledge.amount:,}", "shortfall": f"{shortfall:,}"}
        )
    unrestricted = unrestricted_balance()
    if shortfall > unrestricted:
        raise ValidationError(
            _("不指定用途基金餘額 NT$%(balance)s 不足以撥補 NT$%(shortfall)s，無法退款。")
            % {"balance": f"{max(unrestricted, 0):,}", "shortfall": f"{shortfall:,}"}
        )
    transfer = FundTransfer.objects.create(
        program_id=pledge.program_id,
        amount=shortfall,
        transferred_at=now,
        reason=f"撥補退款 {pledge.merchant_trade_no}",
        pledge=pledge,
        recorded_by=actor,
    )
    record_event(
        actor=actor,
        action="fund.transferred",
        target=transfer,
        organisation=pledge.program.bureau,
        changes={"amount": shortfall, "from": "unrestricted", "to": pledge.program_id},
    )


@transaction.atomic
def refund_pledge(*, pledge: Pledge, actor, reason: str, cover_from_unrestricted: bool = False) -> Pledge:
    if not can_refund(actor):
        raise PermissionDenied(_("只有社會局審核人員可辦理退款。"))
    pledge = Pledge.objects.select_for_update(of=("self",)).select_related("program").get(pk=pledge.pk)
    PLEDGE_FLOW.target(pledge.status, "refund")  # refused here, before any check that reads the funds
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("請填寫退款理由。"))
    now = timezone.now()
    if pledge.program_id:
        _cover_designated_refund(
            pledge, actor=actor, now=now, cover_from_unrestricted=cover_from_unrestricted
        )
    previous = PLEDGE_FLOW.advance(pledge, "refund")
    pledge.refunded_at = now
    pledge.refund_reason = reason
    pledge.save(update_fields=["status", "refunded_at", "refund_reason"])
    if pledge.program_id:
        Program.objects.filter(pk=pledge.program_id).update(money_raised=F("money_raised") - pledge.amount)
        invalidate("programs")
    for receipt in pledge.receipts.filter(status=ReceiptStatus.VALID):
        _void(receipt, f"退款：{reason}")
    record_event(
        actor=actor,
        action="pledge.refunded",
        target=pledge,
        organisation=pledge.program.bureau if pledge.program_id else None,
        changes={"status": [previous, pledge.status], "amount": pledge.amount},
        reason=reason,
    )
    send_notification(
        [pledge.contact],
        gettext_lazy("捐款退款通知"),
        "donations/email/refunded.txt",
        {"pledge": pledge, "pledge_url": guest_links.pledge_link(pledge)},
    )
    return pledge


@transaction.atomic
def correct_receipt(
    *, pledge: Pledge, actor, receipt_name: str, receipt_id_number: str, reason: str
) -> Receipt:
    """A correction voids the current receipt and issues a new one that links to it."""
    if not can_correct_receipt(actor):
        raise PermissionDenied(_("只有社會局審核人員可更正收據。"))
    pledge = Pledge.objects.select_for_update(of=("self",)).get(pk=pledge.pk)
    old = pledge.receipts.select_for_update().filter(status=ReceiptStatus.VALID).first()
    if pledge.status != PledgeStatus.PAID or old is None:
        raise ValidationError(_("只有已付款且收據有效的捐款可以更正收據。"))
    if not (reason or "").strip():
        raise ValidationError(_("請填寫更正理由。"))
    pledge.receipt_name = receipt_name.strip() or pledge.receipt_name
    pledge.receipt_id_number = validate_receipt_id(pledge.donor_kind, receipt_id_number)
    pledge.save(update_fields=["receipt_name", "receipt_id_number"])
    _void(old, f"更正：{reason}")
    new = issue_receipt(pledge, replaces=old)
    record_event(
        actor=actor,
        action="receipt.corrected",
        target=pledge,
        changes={"receipt": [old.number, new.number], "receipt_name": [old.receipt_name, new.receipt_name]},
        reason=reason,
    )
    return new
