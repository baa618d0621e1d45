"""Money: pledges, the gateway's notifications, receipts, refunds. Every state change is audited
and runs in a transaction with the pledge row locked, so repeats and races record once."""

import logging
import secrets
import string

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import has_role
from accounts.roles import Role
from audit.services import record_event
from core.notify import send_notification
from core.pagecache import invalidate
from core.validators import validate_receipt_id
from programs.models import Program, ProgramStatus

from . import ecpay, guest_links
from .models import (
    Channel,
    DisclosureMode,
    DonorKind,
    NotificationVerdict,
    PaymentNotification,
    Pledge,
    PledgeStatus,
    RecurringCharge,
    RecurringGift,
)
from .receipts import (  # noqa: F401 (callers use them from here: the money's one service module)
    correct_receipt,
    issue_receipt,
    refund_pledge,
)

logger = logging.getLogger(__name__)

MIN_AMOUNT = 100
MAX_AMOUNT = 2_000_000
_TRADE_ALPHABET = string.ascii_uppercase + string.digits


def new_trade_no() -> str:
    """GD + yymmddHHMMSS + 6 random characters: 20 characters, ECPay's limit."""
    stamp = timezone.localtime().strftime("%y%m%d%H%M%S")
    return "GD" + stamp + "".join(secrets.choice(_TRADE_ALPHABET) for _ in range(6))


def _validate_receipt_id(kind: str, number: str) -> str:
    return validate_receipt_id(kind, number)


def _check_tax_details(kind: str, number: str, consent: bool, errors: dict) -> str:
    """The ID or tax number (validated, upper-cased) and the consent the tax export needs: the
    same rule for online gifts and for gifts staff record at the counter."""
    try:
        number = _validate_receipt_id(kind, number)
    except ValidationError as exc:
        errors["receipt_id_number"] = exc.messages[0]
    if consent and not number and "receipt_id_number" not in errors:
        errors["receipt_id_number"] = _("同意申報捐贈扣除額時，請填寫身分證字號或統一編號。")
    return number


@transaction.atomic
def create_pledge(
    *,
    donor,
    amount: int,
    channel: str,
    donor_name: str,
    receipt_name: str = "",
    program: Program | None = None,
    donor_kind: str = DonorKind.PERSON,
    disclosure_mode: str = DisclosureMode.FULL,
    display_name: str = "",
    receipt_id_number: str = "",
    receipt_address: str = "",
    tax_consent: bool = False,
    email_updates: bool = False,
    guest_email: str = "",
) -> Pledge:
    errors = {}
    if amount is None or not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        errors["amount"] = _("捐款金額需介於 NT$%(min)s 與 NT$%(max)s 之間。") % {
            "min": f"{MIN_AMOUNT:,}",
            "max": f"{MAX_AMOUNT:,}",
        }
    if channel not in ecpay.CHOOSE_PAYMENT:
        errors["channel"] = _("請選擇付款方式。")
    if program is not None and (program.status != ProgramStatus.PUBLISHED or not program.money_target):
        errors["program"] = _("此方案目前未接受捐款。")
    if not (donor_name or "").strip():
        errors["donor_name"] = _("請填寫捐款人姓名或名稱。")
    if disclosure_mode == DisclosureMode.DISPLAY_NAME and not display_name.strip():
        errors["display_name"] = _("選擇自訂名稱時，請填寫顯示名稱。")
    is_user = bool(donor and donor.is_authenticated)
    if not is_user and not guest_email:
        errors["guest_email"] = _("訪客捐款請留下電子郵件，以便寄送收據。")
    receipt_id_number = _check_tax_details(donor_kind, receipt_id_number, tax_consent, errors)
    if errors:
        raise ValidationError(errors)
    pledge = Pledge.objects.create(
        donor=donor if is_user else None,
        guest_email="" if is_user else guest_email,
        program=program,
        amount=amount,
        channel=channel,
        donor_kind=donor_kind,
        donor_name=donor_name.strip(),
        disclosure_mode=disclosure_mode,
        display_name=display_name.strip(),
        receipt_name=(receipt_name or donor_name).strip(),
        receipt_id_number=receipt_id_number,
        receipt_address=receipt_address,
        tax_consent=tax_consent,
        email_updates=email_updates,
        merchant_trade_no=new_trade_no(),
    )
    record_event(
        actor=donor,
        action="pledge.created",
        target=pledge,
        organisation=program.bureau if program else None,
        changes={"amount": amount, "channel": channel, "program": pledge.designation},
    )
    return pledge


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
    if pledge.status != PledgeStatus.PENDING:
        return NotificationVerdict.REPEAT
    voucher = {
        key: params[key]
        for key in ("BankCode", "vAccount", "PaymentNo", "Barcode1", "Barcode2", "Barcode3", "PaymentType")
        if params.get(key)
    }
    pledge.status = PledgeStatus.AWAITING_PAYMENT
    pledge.voucher = voucher
    pledge.voucher_expires_at = ecpay.parse_trade_date(params.get("ExpireDate", ""))
    pledge.gateway_trade_no = params.get("TradeNo", "")[:30]
    pledge.channel = ecpay.channel_from_payment_type(params.get("PaymentType", "")) or pledge.channel
    pledge.save(update_fields=["status", "voucher", "voucher_expires_at", "gateway_trade_no", "channel"])
    record_event(
        actor=None,
        action="pledge.voucher_issued",
        target=pledge,
        changes={"status": ["pending", "awaiting_payment"], "expires": str(pledge.voucher_expires_at)},
    )
    send_notification(
        [pledge.contact_email],
        "繳費資訊",
        "donations/email/voucher.txt",
        {"pledge": pledge, "voucher": voucher, "pledge_url": guest_links.pledge_link(pledge)},
    )
    return NotificationVerdict.RECORDED


def _record_result(pledge: Pledge, params: dict, rtn_code: str) -> str:
    if pledge.status in (PledgeStatus.PAID, PledgeStatus.REFUNDED):
        return NotificationVerdict.REPEAT
    if rtn_code == ecpay.RTN_PAID:
        paid_at = ecpay.parse_trade_date(params.get("PaymentDate", "")) or timezone.now()
        channel = ecpay.channel_from_payment_type(params.get("PaymentType", "")) or pledge.channel
        _mark_paid(pledge, paid_at=paid_at, channel=channel, gateway_trade_no=params.get("TradeNo", ""))
        return NotificationVerdict.RECORDED
    if pledge.status == PledgeStatus.FAILED:
        return NotificationVerdict.REPEAT
    previous = pledge.status
    pledge.status = PledgeStatus.FAILED
    pledge.failed_reason = f"{rtn_code} {params.get('RtnMsg', '')}"[:200]
    pledge.save(update_fields=["status", "failed_reason"])
    record_event(
        actor=None,
        action="pledge.failed",
        target=pledge,
        changes={"status": [previous, "failed"]},
        reason=pledge.failed_reason,
    )
    return NotificationVerdict.RECORDED


def _mark_paid(pledge: Pledge, *, paid_at, channel: str, gateway_trade_no: str = "", actor=None) -> None:
    previous = pledge.status
    pledge.status = PledgeStatus.PAID
    pledge.paid_at = paid_at
    pledge.channel = channel
    pledge.gateway_trade_no = gateway_trade_no[:30]
    pledge.save(update_fields=["status", "paid_at", "channel", "gateway_trade_no"])
    if pledge.program_id:
        Program.objects.filter(pk=pledge.program_id).update(money_raised=F("money_raised") + pledge.amount)
        invalidate("programs")
        if pledge.donor_id:
            from programs.services import subscribe_to_updates

            subscribe_to_updates(user=pledge.donor, program=pledge.program, by_email=pledge.email_updates)
        elif pledge.email_updates:  # a guest: subscribed once they confirm the address
            from programs.subscriptions import request_guest_subscription

            request_guest_subscription(email=pledge.guest_email, program=pledge.program)
    receipt = issue_receipt(pledge)
    record_event(
        actor=actor,
        action="pledge.paid",
        target=pledge,
        organisation=pledge.program.bureau if pledge.program_id else None,
        changes={"status": [previous, "paid"], "amount": pledge.amount, "receipt": receipt.number},
    )
    send_notification(
        [pledge.contact_email],
        "感謝您的捐款",
        "donations/email/paid.txt",
        {"pledge": pledge, "receipt": receipt, "pledge_url": guest_links.pledge_link(pledge)},
    )


# --- Vouchers past their expiry ---------------------------------------------------------------


def expire_pledge_if_unpaid(pledge_id: int, trade_status: str, *, paid_amount: int | None = None) -> str:
    """Close one awaiting-payment pledge from the gateway's trade info ("1" = paid)."""
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update(of=("self",)).select_related("program").get(pk=pledge_id)
        if pledge.status != PledgeStatus.AWAITING_PAYMENT:
            return pledge.status
        if trade_status == "1" and paid_amount == pledge.amount:
            _mark_paid(
                pledge,
                paid_at=timezone.now(),
                channel=pledge.channel,
                gateway_trade_no=pledge.gateway_trade_no,
            )
            return PledgeStatus.PAID
        pledge.status = PledgeStatus.EXPIRED
        pledge.save(update_fields=["status"])
        record_event(
            actor=None,
            action="pledge.expired",
            target=pledge,
            changes={
                "status": ["awaiting_payment", "expired"],
                "voucher_expires_at": str(pledge.voucher_expires_at),
            },
        )
        return PledgeStatus.EXPIRED


@transaction.atomic
def record_offline_gift(
    *, actor, channel: str, amount: int, donor_name: str, paid_on, program=None, **fields
) -> Pledge:
    """Staff record a bank remittance or a cheque received outside the gateway."""
    if not has_role(actor, Role.SW_REVIEWER, Role.SITE_ADMIN):
        raise PermissionDenied(_("只有社會局人員可登錄臨櫃或匯款捐款。"))
    if channel not in (Channel.REMITTANCE, Channel.CHEQUE):
        raise ValidationError(_("臨櫃登錄只適用於匯款或支票。"))
    if amount is None or amount <= 0:
        raise ValidationError(_("金額必須大於 0。"))
    errors = {}
    fields["receipt_id_number"] = _check_tax_details(
        fields.get("donor_kind", DonorKind.PERSON),
        fields.get("receipt_id_number", ""),
        fields.get("tax_consent", False),
        errors,
    )
    if errors:
        raise ValidationError(errors)
    pledge = Pledge.objects.create(
        amount=amount,
        channel=channel,
        donor_name=donor_name,
        receipt_name=fields.pop("receipt_name", "") or donor_name,
        program=program,
        merchant_trade_no=new_trade_no(),
        recorded_by=actor,
        guest_email=fields.pop("guest_email", ""),
        **fields,
    )
    paid_at = timezone.make_aware(
        timezone.datetime.combine(paid_on, timezone.datetime.min.time().replace(hour=12))
    )
    _mark_paid(pledge, paid_at=paid_at, channel=channel, actor=actor)
    return pledge


def record_tax_export(*, actor, roc_year: int, count: int, total: int) -> None:
    """Exports of ID numbers are themselves audited (who took which year's data)."""
    record_event(
        actor=actor,
        action="donations.tax_export",
        target=actor,
        changes={"roc_year": roc_year, "rows": count, "total": total},
    )


# --- Monthly gifts ----------------------------------------------------------------------------

MONTHLY_TIMES = 12


@transaction.atomic
def start_monthly_gift(*, pledge: Pledge) -> RecurringGift:
    if pledge.channel != Channel.CREDIT or not pledge.donor_id:
        raise ValidationError(_("定期定額捐款需登入並使用信用卡。"))
    return RecurringGift.objects.get_or_create(
        first_pledge=pledge,
        defaults={"donor": pledge.donor, "amount": pledge.amount, "exec_times": MONTHLY_TIMES},
    )[0]


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


def stop_monthly_gift(*, recurring, actor) -> None:
    """The gateway stops the charges first, then we record it. No transaction stays open while the
    gateway is called: a row lock (on SQLite the one write lock) held across an HTTP call blocks
    everyone else for as long as the gateway takes, and the sandbox, answering on this same server,
    would wait for it. A second stop meanwhile only asks the gateway again (it cancels once)."""
    recurring = RecurringGift.objects.select_related("first_pledge").get(pk=recurring.pk)
    if recurring.donor_id != actor.pk:
        raise PermissionDenied(_("只能停止自己的定期定額捐款。"))
    if not recurring.is_active:
        return
    from . import gateway

    try:
        gateway.cancel_period(recurring.first_pledge.merchant_trade_no)
    except gateway.GatewayError as exc:
        raise ValidationError(_("目前無法向金流停止扣款，請稍後再試；扣款尚未停止。")) from exc
    _record_stopped(recurring.pk, actor)


@transaction.atomic
def _record_stopped(recurring_pk: int, actor) -> None:
    recurring = RecurringGift.objects.select_for_update().get(pk=recurring_pk)
    if not recurring.is_active:
        return
    recurring.is_active = False
    recurring.stopped_at = timezone.now()
    recurring.save(update_fields=["is_active", "stopped_at"])
    record_event(
        actor=actor, action="recurring.stopped", target=recurring, changes={"is_active": [True, False]}
    )
