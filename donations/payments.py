"""The gateway's side of the money: its notifications (paid, voucher issued, failed, a monthly
charge), vouchers past their expiry, and marking a pledge paid. Each state change moves through
``workflows.PLEDGE_FLOW``, is audited and runs with the pledge row locked, so repeats and races
record once."""

import logging
import secrets
import string

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy

from audit.services import record_event
from core.notify import send_notification
from core.pagecache import invalidate
from programs.models import Program, ProgramStatus
from programs.services import subscribe_to_updates
from programs.subscriptions import request_guest_subscription

from . import ecpay, gateway, guest_links, selectors
from .models import (
    Channel,
    NotificationVerdict,
    PaymentNotification,
    Pledge,
    PledgeStatus,
    RecurringCharge,
    RecurringGift,
)
from .receipts import issue_receipt
from .workflows import PLEDGE_FLOW

logger = logging.getLogger(__name__)

_TRADE_ALPHABET = string.ascii_uppercase + string.digits


def new_trade_no() -> str:
    """GD + yymmddHHMMSS + 6 random characters: 20 characters, ECPay's limit."""
    stamp = timezone.localtime().strftime("%y%m%d%H%M%S")
    return "GD" + stamp + "".join(secrets.choice(_TRADE_ALPHABET) for _ in range(6))


# --- Notifications from the gateway -----------------------------------------------------------

ANSWER_OK = "1|OK"


class NotificationRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _log(endpoint, params, verdict, reason="", remote_addr=None):
    safe = {k: v for k, v in params.items() if k not in ("card4no", "card6no")}
    PaymentNotification.objects.create(
        endpoint=endpoint,
        merchant_trade_no=str(params.get("MerchantTradeNo", ""))[:40],
        params=safe,
        verdict=verdict,
        reason=reason[:200],
        remote_addr=remote_addr,
    )


def handle_notification(params: dict, *, endpoint: str, remote_addr: str | None = None) -> str:
    """Verify and record one notification (ReturnURL = "notify", PaymentInfoURL = "payment_info").

    Returns ECPay's expected answer: "1|OK" once it is safely recorded (also for a repeat),
    "0|<reason>" when a check fails — nothing is then recorded on the pledge.
    """
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in params.items()}
    try:
        with transaction.atomic():
            verdict = _record(params, endpoint)
            _log(endpoint, params, verdict, remote_addr=remote_addr)
    except NotificationRefused as refused:
        logger.warning("payment notification refused (%s): %s", endpoint, refused.reason)
        _log(endpoint, params, NotificationVerdict.REJECTED, refused.reason, remote_addr)
        return f"0|{refused.reason}"
    return ANSWER_OK


def _record(params: dict, endpoint: str) -> str:
    m = ecpay.merchant()
    if not ecpay.is_signed_correctly(params, m):
        raise NotificationRefused("CheckMacValue Error")
    if params.get("MerchantID") != m.merchant_id:
        raise NotificationRefused("MerchantID mismatch")
    try:
        pledge = (
            Pledge.objects.select_for_update(of=("self",))
            .select_related("program")
            .get(merchant_trade_no=params.get("MerchantTradeNo", ""))
        )
    except Pledge.DoesNotExist:
        raise NotificationRefused("Unknown MerchantTradeNo") from None
    try:
        amount = int(params.get("TradeAmt", ""))
    except ValueError:
        raise NotificationRefused("TradeAmt missing") from None
    if amount != pledge.amount:
        raise NotificationRefused("TradeAmt mismatch")
    if str(params.get("SimulatePaid", "0")) == "1":
        # ECPay's back-office "simulate payment" button: acknowledged, never counted as money.
        return NotificationVerdict.IGNORED
    rtn_code = str(params.get("RtnCode", ""))
    if endpoint == "payment_info":
        return _record_voucher(pledge, params, rtn_code)
    return _record_result(pledge, params, rtn_code)


def _record_voucher(pledge: Pledge, params: dict, rtn_code: str) -> str:
    if rtn_code not in (ecpay.RTN_ATM_ISSUED, ecpay.RTN_CVS_ISSUED):
        raise NotificationRefused(f"Unexpected RtnCode {rtn_code}")
    if not PLEDGE_FLOW.can(pledge.status, "issue_voucher"):
        return NotificationVerdict.REPEAT
    voucher = {
        key: params[key]
        for key in ("BankCode", "vAccount", "PaymentNo", "Barcode1", "Barcode2", "Barcode3", "PaymentType")
        if params.get(key)
    }
    previous = PLEDGE_FLOW.advance(pledge, "issue_voucher")
    pledge.voucher = voucher
    pledge.voucher_expires_at = ecpay.parse_trade_date(params.get("ExpireDate", ""))
    pledge.gateway_trade_no = params.get("TradeNo", "")[:30]
    pledge.channel = ecpay.channel_from_payment_type(params.get("PaymentType", "")) or pledge.channel
    pledge.save(update_fields=["status", "voucher", "voucher_expires_at", "gateway_trade_no", "channel"])
    record_event(
        actor=None,
        action="pledge.voucher_issued",
        target=pledge,
        changes={"status": [previous, pledge.status], "expires": str(pledge.voucher_expires_at)},
    )
    send_notification(
        [pledge.contact],
        gettext_lazy("繳費資訊"),
        "donations/email/voucher.txt",
        {"pledge": pledge, "voucher": voucher, "pledge_url": guest_links.pledge_link(pledge)},
    )
    return NotificationVerdict.RECORDED


def _record_result(pledge: Pledge, params: dict, rtn_code: str) -> str:
    if not PLEDGE_FLOW.can(pledge.status, "pay"):  # paid already (and perhaps refunded since)
        return NotificationVerdict.REPEAT
    if rtn_code == ecpay.RTN_PAID:
        paid_at = ecpay.parse_trade_date(params.get("PaymentDate", "")) or timezone.now()
        channel = ecpay.channel_from_payment_type(params.get("PaymentType", "")) or pledge.channel
        _mark_paid(pledge, paid_at=paid_at, channel=channel, gateway_trade_no=params.get("TradeNo", ""))
        return NotificationVerdict.RECORDED
    if not PLEDGE_FLOW.can(pledge.status, "fail"):
        return NotificationVerdict.REPEAT
    previous = PLEDGE_FLOW.advance(pledge, "fail")
    pledge.failed_reason = f"{rtn_code} {params.get('RtnMsg', '')}"[:200]
    pledge.save(update_fields=["status", "failed_reason"])
    record_event(
        actor=None,
        action="pledge.failed",
        target=pledge,
        changes={"status": [previous, pledge.status]},
        reason=pledge.failed_reason,
    )
    return NotificationVerdict.RECORDED


def _mark_paid(pledge: Pledge, *, paid_at, channel: str, gateway_trade_no: str = "", actor=None) -> None:
    previous = PLEDGE_FLOW.advance(pledge, "pay")
    pledge.paid_at = paid_at
    pledge.channel = channel
    pledge.gateway_trade_no = gateway_trade_no[:30]
    pledge.save(update_fields=["status", "paid_at", "channel", "gateway_trade_no"])
    if pledge.program_id:
        Program.objects.filter(pk=pledge.program_id).update(money_raised=F("money_raised") + pledge.amount)
        invalidate("programs", coalesce=True)  # a surge re-renders the pages once per window
        if pledge.donor_id:
            subscribe_to_updates(user=pledge.donor, program=pledge.program, by_email=pledge.email_updates)
        elif pledge.email_updates:  # a guest: subscribed once they confirm the address
            request_guest_subscription(
                email=pledge.guest_email, program=pledge.program, language=pledge.language
            )
    receipt = issue_receipt(pledge)
    record_event(
        actor=actor,
        action="pledge.paid",
        target=pledge,
        organisation_id=pledge.program.bureau_id if pledge.program_id else None,
        changes={"status": [previous, pledge.status], "amount": pledge.amount, "receipt": receipt.number},
    )
    send_notification(
        [pledge.contact],
        gettext_lazy("感謝您的捐款"),
        "donations/email/paid.txt",
        {"pledge": pledge, "receipt": receipt, "pledge_url": guest_links.pledge_link(pledge)},
    )


# --- Vouchers past their expiry ---------------------------------------------------------------


def expire_pledge_if_unpaid(pledge_id: int, trade_status: str, *, paid_amount: int | None = None) -> str:
    """Close one awaiting-payment pledge from the gateway's trade info (``ecpay.TRADE_PAID`` = paid)."""
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update(of=("self",)).select_related("program").get(pk=pledge_id)
        if not PLEDGE_FLOW.can(pledge.status, "expire"):  # paid or closed meanwhile
            return pledge.status
        if trade_status == ecpay.TRADE_PAID and paid_amount == pledge.amount:
            _mark_paid(
                pledge,
                paid_at=timezone.now(),
                channel=pledge.channel,
                gateway_trade_no=pledge.gateway_trade_no,
            )
            return PledgeStatus.PAID
        previous = PLEDGE_FLOW.advance(pledge, "expire")
        pledge.save(update_fields=["status"])
        record_event(
            actor=None,
            action="pledge.expired",
            target=pledge,
            changes={
                "status": [previous, pledge.status],
                "voucher_expires_at": str(pledge.voucher_expires_at),
            },
        )
        return PledgeStatus.EXPIRED


def trade_outcome(info: dict) -> tuple[str, int | None]:
    """The gateway's trade query answer as (TradeStatus, TradeAmt): "1" is paid; the amount is
    None when the answer carries none (a paid status then does not count)."""
    amount = info.get("TradeAmt", "")
    return info.get("TradeStatus", ""), int(amount) if amount.isdigit() else None


def expire_overdue_vouchers(now=None) -> dict:
    """For ATM/store vouchers past their expiry: ask the gateway, then record each paid or close it.
    A gateway that cannot be asked leaves that pledge as it is (counted as an error)."""
    outcome = {"paid": 0, "expired": 0, "errors": 0}
    for pledge in selectors.overdue_vouchers(now or timezone.now()).only("pk", "merchant_trade_no"):
        try:
            info = gateway.query_trade(pledge.merchant_trade_no)
        except gateway.GatewayError:
            logger.exception("trade query failed for %s", pledge.merchant_trade_no)
            outcome["errors"] += 1
            continue
        trade_status, amount = trade_outcome(info)
        status = expire_pledge_if_unpaid(pledge.pk, trade_status, paid_amount=amount)
        if status in (PledgeStatus.PAID, PledgeStatus.EXPIRED):
            outcome[str(status)] += 1
    return outcome


# --- Monthly charges --------------------------------------------------------------------------


def handle_period_notification(params: dict, *, remote_addr: str | None = None) -> str:
    """PeriodReturnURL: a later month's charge of a monthly gift, recorded once per period."""
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in params.items()}
    try:
        with transaction.atomic():
            verdict = _record_period(params)
            _log("period", params, verdict, remote_addr=remote_addr)
    except NotificationRefused as refused:
        logger.warning("period notification refused: %s", refused.reason)
        _log("period", params, NotificationVerdict.REJECTED, refused.reason, remote_addr)
        return f"0|{refused.reason}"
    return ANSWER_OK


def _record_period(params: dict) -> str:
    m = ecpay.merchant()
    if not ecpay.is_signed_correctly(params, m):
        raise NotificationRefused("CheckMacValue Error")
    if params.get("MerchantID") != m.merchant_id:
        raise NotificationRefused("MerchantID mismatch")
    recurring = (
        RecurringGift.objects.select_for_update(of=("self",))
        .select_related("first_pledge", "first_pledge__program", "donor")
        .filter(first_pledge__merchant_trade_no=params.get("MerchantTradeNo", ""))
        .first()
    )
    if recurring is None:
        raise NotificationRefused("Unknown MerchantTradeNo")
    if str(params.get("Amount", "")) != str(recurring.amount):
        raise NotificationRefused("Amount mismatch")
    if str(params.get("SimulatePaid", "0")) == "1":
        return NotificationVerdict.IGNORED
    if str(params.get("RtnCode")) != ecpay.RTN_PAID:
        return NotificationVerdict.RECORDED  # a declined month: logged, nothing to count
    try:
        period = int(params.get("TotalSuccessTimes", ""))
    except ValueError:
        raise NotificationRefused("TotalSuccessTimes missing") from None
    if period <= 1 or RecurringCharge.objects.filter(recurring=recurring, period=period).exists():
        return NotificationVerdict.REPEAT  # period 1 is the first pledge, recorded by ReturnURL
    first = recurring.first_pledge
    pledge = Pledge.objects.create(
        donor=recurring.donor,
        language=first.language,
        program=first.program if first.program and first.program.status == ProgramStatus.PUBLISHED else None,
        amount=recurring.amount,
        channel=Channel.CREDIT,
        donor_kind=first.donor_kind,
        donor_name=first.donor_name,
        disclosure_mode=first.disclosure_mode,
        display_name=first.display_name,
        receipt_name=first.receipt_name,
        receipt_id_number=first.receipt_id_number,
        receipt_address=first.receipt_address,
        tax_consent=first.tax_consent,
        email_updates=first.email_updates,
        merchant_trade_no=new_trade_no(),
    )
    RecurringCharge.objects.create(recurring=recurring, period=period, pledge=pledge)
    paid_at = ecpay.parse_trade_date(params.get("ProcessDate", "")) or timezone.now()
    _mark_paid(pledge, paid_at=paid_at, channel=Channel.CREDIT, gateway_trade_no=str(params.get("Gwsr", "")))
    return NotificationVerdict.RECORDED
