"""Money from the donor's and the bureau's side: pledges (with a monthly gift), gifts recorded at the
counter, the tax export, stopping a monthly gift. The gateway's side (notifications, expiry, marking
paid) is ``payments``, receipts and refunds ``receipts``; their services are importable from here,
the money's one service module."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from core.language import current_language
from core.roc import ROC_OFFSET
from core.validators import validate_receipt_id
from programs.models import Program, ProgramStatus

from . import ecpay, gateway, selectors
from .models import Channel, DisclosureMode, DonorKind, Pledge, RecurringGift
from .payments import (  # noqa: F401 (re-exported: callers use the money's one service module)
    _mark_paid,
    expire_overdue_vouchers,
    expire_pledge_if_unpaid,
    handle_notification,
    handle_period_notification,
    new_trade_no,
)
from .permissions import can_record_offline_gift
from .receipts import (  # noqa: F401 (re-exported as above)
    correct_receipt,
    issue_receipt,
    refund_pledge,
)
from .workflows import MONTHLY_FLOW

MIN_AMOUNT = 100
MAX_AMOUNT = 2_000_000


def _check_tax_details(kind: str, number: str, consent: bool, errors: dict) -> str:
    """The ID or tax number (validated, upper-cased) and the consent the tax export needs: the
    same rule for online gifts and for gifts staff record at the counter."""
    try:
        number = validate_receipt_id(kind, number)
    except ValidationError as exc:
        errors["receipt_id_number"] = exc.messages[0]
    if consent and not number and "receipt_id_number" not in errors:
        errors["receipt_id_number"] = _("同意申報捐贈扣除額時，請填寫身分證字號或統一編號。")
    return number


# --- Pledges: load the facts, check them (pure), write ----------------------------------------


@dataclass(frozen=True)
class PledgeFacts:
    """What the checks need to know about the world: who gives and whether the program takes money."""

    is_user: bool
    program_takes_money: bool


def pledge_facts(*, donor, program: Program | None) -> PledgeFacts:
    takes = program is None or (program.status == ProgramStatus.PUBLISHED and bool(program.money_target))
    return PledgeFacts(is_user=bool(donor and donor.is_authenticated), program_takes_money=takes)


def pledge_errors(facts: PledgeFacts, form: dict) -> dict:
    """The field errors of a pledge (empty when it may be made); reads nothing, writes nothing."""
    errors = {}
    amount = form.get("amount")
    if amount is None or not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        errors["amount"] = _("捐款金額需介於 NT$%(min)s 與 NT$%(max)s 之間。") % {
            "min": f"{MIN_AMOUNT:,}",
            "max": f"{MAX_AMOUNT:,}",
        }
    if form.get("channel") not in ecpay.CHOOSE_PAYMENT:
        errors["channel"] = _("請選擇付款方式。")
    if not facts.program_takes_money:
        errors["program"] = _("此方案目前未接受捐款。")
    if not (form.get("donor_name") or "").strip():
        errors["donor_name"] = _("請填寫捐款人姓名或名稱。")
    if (
        form.get("disclosure_mode") == DisclosureMode.DISPLAY_NAME
        and not form.get("display_name", "").strip()
    ):
        errors["display_name"] = _("選擇自訂名稱時，請填寫顯示名稱。")
    if not facts.is_user and not form.get("guest_email"):
        errors["guest_email"] = _("訪客捐款請留下電子郵件，以便寄送收據。")
    return errors


def _write_pledge(*, donor, program: Program | None, is_user: bool, form: dict) -> Pledge:
    donor_name = form["donor_name"].strip()
    pledge = Pledge.objects.create(
        donor=donor if is_user else None,
        guest_email="" if is_user else form["guest_email"],
        language=current_language(),  # a guest's e-mails (receipt, thanks) are written in it
        program=program,
        amount=form["amount"],
        channel=form["channel"],
        donor_kind=form["donor_kind"],
        donor_name=donor_name,
        disclosure_mode=form["disclosure_mode"],
        display_name=form["display_name"].strip(),
        receipt_name=(form["receipt_name"] or donor_name).strip(),
        receipt_id_number=form["receipt_id_number"],
        receipt_address=form["receipt_address"],
        tax_consent=form["tax_consent"],
        email_updates=form["email_updates"],
        merchant_trade_no=new_trade_no(),
    )
    record_event(
        actor=donor,
        action="pledge.created",
        target=pledge,
        organisation_id=program.bureau_id if program else None,
        changes={"amount": pledge.amount, "channel": pledge.channel, "program": pledge.designation},
    )
    return pledge


# No savepoint of its own: it writes nothing before its checks pass, and inside `give` it fails or
# commits with the monthly gift it may start.
@transaction.atomic(savepoint=False)
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
    form = {
        "amount": amount,
        "channel": channel,
        "donor_name": donor_name or "",
        "receipt_name": receipt_name or "",
        "donor_kind": donor_kind,
        "disclosure_mode": disclosure_mode,
        "display_name": display_name or "",
        "receipt_address": receipt_address,
        "tax_consent": tax_consent,
        "email_updates": email_updates,
        "guest_email": guest_email,
    }
    facts = pledge_facts(donor=donor, program=program)
    errors = pledge_errors(facts, form)
    form["receipt_id_number"] = _check_tax_details(donor_kind, receipt_id_number, tax_consent, errors)
    if errors:
        raise ValidationError(errors)
    return _write_pledge(donor=donor, program=program, is_user=facts.is_user, form=form)


@transaction.atomic
def give(*, donor, program: Program | None = None, monthly: bool = False, **fields) -> Pledge:
    """The give page's one write: the pledge and, when asked, the monthly gift it starts; a monthly
    gift that cannot start (a guest, not a card) leaves no pledge behind either."""
    pledge = create_pledge(donor=donor, program=program, **fields)
    if monthly:
        start_monthly_gift(pledge=pledge)
    return pledge


@transaction.atomic
def record_offline_gift(
    *, actor, channel: str, amount: int, donor_name: str, paid_on, program=None, **fields
) -> Pledge:
    """Staff record a bank remittance or a cheque received outside the gateway."""
    if not can_record_offline_gift(actor):
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


def export_tax_year(*, actor, roc_year: int) -> list[list]:
    """The ROC year's rows for the tax authority's donation-data upload (only donors who consented).
    Exports of ID numbers are themselves audited: who took which year's data."""
    rows = [
        [
            roc_year,
            pledge.receipt_id_number,
            pledge.receipt_name,
            pledge.amount,
            selectors.taiwan_date(pledge.paid_at).isoformat(),  # 03:15 on the 30th is the 30th
            getattr(selectors.current_receipt(pledge), "number", ""),
        ]
        for pledge in selectors.tax_export_rows(roc_year + ROC_OFFSET)
    ]
    record_event(
        actor=actor,
        action="donations.tax_export",
        target=actor,
        changes={"roc_year": roc_year, "rows": len(rows), "total": sum(row[3] for row in rows)},
    )
    return rows


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


def stop_monthly_gift(*, recurring, actor) -> None:
    """The gateway stops the charges first, then we record it. No transaction stays open while the
    gateway is called: a row lock (on SQLite the one write lock) held across an HTTP call blocks
    everyone else for as long as the gateway takes, and the sandbox, answering on this same server,
    would wait for it. A second stop meanwhile only asks the gateway again (it cancels once)."""
    recurring = RecurringGift.objects.select_related("first_pledge").get(pk=recurring.pk)
    if recurring.donor_id != actor.pk:
        raise PermissionDenied(_("只能停止自己的定期定額捐款。"))
    if not MONTHLY_FLOW.can(recurring.status, "stop"):
        return
    try:
        gateway.cancel_period(recurring.first_pledge.merchant_trade_no)
    except gateway.GatewayError as exc:
        raise ValidationError(_("目前無法向金流停止扣款，請稍後再試；扣款尚未停止。")) from exc
    _record_stopped(recurring.pk, actor)


@transaction.atomic
def _record_stopped(recurring_pk: int, actor) -> None:
    recurring = RecurringGift.objects.select_for_update().get(pk=recurring_pk)
    if not MONTHLY_FLOW.can(recurring.status, "stop"):  # stopped meanwhile by a second click
        return
    MONTHLY_FLOW.advance(recurring, "stop")
    recurring.stopped_at = timezone.now()
    recurring.save(update_fields=["is_active", "stopped_at"])
    record_event(
        actor=actor, action="recurring.stopped", target=recurring, changes={"is_active": [True, False]}
    )
