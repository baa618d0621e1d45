"""The money's allowed moves, as tables (core.workflow): pledges, receipts, monthly gifts and goods
in custody. Services advance through them; permissions and pages ask them."""

from django.utils.translation import gettext_lazy as _

from core.workflow import Move, Workflow

from .models import GoodsStatus, PledgeStatus, ReceiptStatus, RecurringStatus

PLEDGE_FLOW = Workflow(
    PledgeStatus,
    {
        # PaymentInfoURL: an ATM account or store code was issued; the donor pays later.
        "issue_voucher": Move({PledgeStatus.PENDING}, PledgeStatus.AWAITING_PAYMENT, _("開立繳費資訊")),
        # A payment the gateway confirms counts even after a voucher expired or a card try failed.
        "pay": Move(
            {PledgeStatus.PENDING, PledgeStatus.AWAITING_PAYMENT, PledgeStatus.FAILED, PledgeStatus.EXPIRED},
            PledgeStatus.PAID,
            _("記錄付款"),
        ),
        "fail": Move(
            {PledgeStatus.PENDING, PledgeStatus.AWAITING_PAYMENT, PledgeStatus.EXPIRED},
            PledgeStatus.FAILED,
            _("記錄付款失敗"),
        ),
        "expire": Move({PledgeStatus.AWAITING_PAYMENT}, PledgeStatus.EXPIRED, _("逾期關閉")),
        "refund": Move({PledgeStatus.PAID}, PledgeStatus.REFUNDED, _("退款")),
    },
)

RECEIPT_FLOW = Workflow(
    ReceiptStatus,
    {"void": Move({ReceiptStatus.VALID}, ReceiptStatus.VOID, _("作廢"))},
)

MONTHLY_FLOW = Workflow(
    RecurringStatus,
    {"stop": Move({RecurringStatus.ACTIVE}, RecurringStatus.STOPPED, _("停止扣款"))},
)

_IN_STOCK = {GoodsStatus.RECEIVED, GoodsStatus.IN_CUSTODY, GoodsStatus.PARTLY_HANDED_OUT}

GOODS_FLOW = Workflow(
    GoodsStatus,
    {
        "store": Move({GoodsStatus.RECEIVED}, GoodsStatus.IN_CUSTODY, _("登錄保管")),
        "hand_out_part": Move(_IN_STOCK, GoodsStatus.PARTLY_HANDED_OUT, _("發放")),
        "hand_out_rest": Move(_IN_STOCK, GoodsStatus.HANDED_OUT, _("發放")),
    },
)
