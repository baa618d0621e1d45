"""A local stand-in for ECPay's cashier, for development and the demo (DEBUG with the test merchant).

It checks our signed form as ECPay does, lets the donor pay, fail or get an ATM/store voucher, and
sends the same signed notifications ECPay sends, through the same recording code.
"""

import secrets
import urllib.parse
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import ecpay, services
from .models import Pledge, SandboxTrade, SandboxTradeStatus

PAYMENT_TYPES = {
    "Credit": "Credit_CreditCard",
    "ATM": "ATM_TAISHIN",
    "CVS": "CVS_CVS",
    "BARCODE": "BARCODE_BARCODE",
    "WebATM": "WebATM_TAISHIN",
    "TWQR": "TWQR_OPAY",
}
VOUCHER_PAYMENTS = {"ATM", "CVS", "BARCODE"}


def open_trade(params: dict) -> SandboxTrade:
    m = ecpay.merchant()
    if not ecpay.is_signed_correctly(params, m) or params.get("MerchantID") != m.merchant_id:
        raise ValidationError("CheckMacValue 驗證失敗：表單遭竄改或金鑰錯誤。")
    trade, _ = SandboxTrade.objects.get_or_create(
        merchant_trade_no=params["MerchantTradeNo"],
        defaults={
            "amount": int(params["TotalAmount"]),
            "choose_payment": params["ChoosePayment"],
            "trade_no": timezone.localtime().strftime("%y%m%d%H%M") + f"{secrets.randbelow(10**8):08d}",
            "period_amount": int(params.get("PeriodAmount") or 0),
        },
    )
    return trade


def _base(trade: SandboxTrade) -> dict:
    m = ecpay.merchant()
    return {
        "MerchantID": m.merchant_id,
        "MerchantTradeNo": trade.merchant_trade_no,
        "StoreID": "",
        "TradeNo": trade.trade_no,
        "TradeAmt": str(trade.amount),
        "PaymentType": PAYMENT_TYPES.get(trade.choose_payment, "Credit_CreditCard"),
        "TradeDate": ecpay.trade_date(trade.created_at),
        "CustomField1": "",
        "CustomField2": "",
        "CustomField3": "",
        "CustomField4": "",
    }


def voucher_params(trade: SandboxTrade) -> dict:
    now = timezone.now()
    params = _base(trade)
    if trade.choose_payment == "ATM":
        params |= {
            "RtnCode": ecpay.RTN_ATM_ISSUED,
            "RtnMsg": "Get VirtualAccount Succeeded",
            "BankCode": "812",
            "vAccount": f"{secrets.randbelow(10**14):014d}",
            "ExpireDate": timezone.localtime(now + timedelta(days=3)).strftime("%Y/%m/%d"),
        }
    else:
        params |= {
            "RtnCode": ecpay.RTN_CVS_ISSUED,
            "RtnMsg": "Get CVS Code Succeeded.",
            "PaymentNo": f"GW{secrets.randbelow(10**12):012d}" if trade.choose_payment == "CVS" else "",
            "ExpireDate": ecpay.trade_date(now + timedelta(days=3)),
        }
        if trade.choose_payment == "BARCODE":
            params |= {
                "Barcode1": "141130616",
                "Barcode2": f"{secrets.randbelow(10**16):016d}",
                "Barcode3": "1130000000500",
            }
    return ecpay.sign(params)


def result_params(trade: SandboxTrade, *, paid: bool) -> dict:
    params = _base(trade) | {
        "RtnCode": ecpay.RTN_PAID if paid else "10100058",
        "RtnMsg": "交易成功" if paid else "付款失敗",
        "PaymentDate": ecpay.trade_date(timezone.now()),
        "PaymentTypeChargeFee": str(max(1, round(trade.amount * 0.0275))),
        "SimulatePaid": "0",
    }
    return ecpay.sign(params)


def period_params(trade: SandboxTrade) -> dict:
    return ecpay.sign(
        {
            "MerchantID": ecpay.merchant().merchant_id,
            "MerchantTradeNo": trade.merchant_trade_no,
            "RtnCode": ecpay.RTN_PAID,
            "RtnMsg": "交易成功",
            "PeriodType": "M",
            "Frequency": "1",
            "ExecTimes": "12",
            "Amount": str(trade.period_amount),
            "Gwsr": f"{secrets.randbelow(10**9):09d}",
            "ProcessDate": ecpay.trade_date(timezone.now()),
            "AuthCode": "777777",
            "FirstAuthAmount": str(trade.amount),
            "TotalSuccessTimes": str(trade.periods_charged),
            "SimulatePaid": "0",
        }
    )


def act(trade_no: str, action: str) -> str:
    """pay | fail | voucher | next_month: change the sandbox trade and notify the portal as ECPay would."""
    with transaction.atomic():
        trade = SandboxTrade.objects.select_for_update().filter(merchant_trade_no=trade_no).first()
        if trade is None:
            raise ValidationError("模擬金流查無此交易。")
        if action == "next_month" and trade.period_amount and trade.status == SandboxTradeStatus.CANCELLED:
            return "定期扣款已停止，不再扣款"
        if action == "next_month" and trade.period_amount and trade.status == SandboxTradeStatus.PAID:
            trade.periods_charged += 1
            trade.save(update_fields=["periods_charged"])
            answer = services.handle_period_notification(period_params(trade), remote_addr="127.0.0.1")
            return f"已模擬第 {trade.periods_charged} 期扣款（通知回應 {answer}）"
        if trade.status == SandboxTradeStatus.EXPIRED:
            raise ValidationError("此交易的繳費期限已過，無法再繳費。")
        if action == "voucher" and trade.choose_payment in VOUCHER_PAYMENTS:
            trade.status = SandboxTradeStatus.VOUCHER
            endpoint, params = "payment_info", voucher_params(trade)
        elif action == "pay":
            trade.status = SandboxTradeStatus.PAID
            trade.periods_charged = 1 if trade.period_amount else 0
            endpoint, params = "notify", result_params(trade, paid=True)
        elif action == "fail":
            trade.status = SandboxTradeStatus.FAILED
            endpoint, params = "notify", result_params(trade, paid=False)
        else:
            raise ValidationError("未知的模擬動作。")
        trade.save(update_fields=["status", "periods_charged"])
    answer = services.handle_notification(params, endpoint=endpoint, remote_addr="127.0.0.1")
    return {"pay": "已付款", "fail": "付款失敗", "voucher": "已取得繳費資訊"}[
        action
    ] + f"（通知回應 {answer}）"


def issued_vouchers():
    """The back office's list: vouchers issued and not yet paid first, then the latest closed ones,
    each with the codes the donor was given (the portal's copy of what the gateway sent)."""
    open_trades = list(SandboxTrade.objects.filter(status=SandboxTradeStatus.VOUCHER).order_by("-created_at"))
    closed = list(
        SandboxTrade.objects.filter(
            status__in=(SandboxTradeStatus.PAID, SandboxTradeStatus.EXPIRED),
            choose_payment__in=VOUCHER_PAYMENTS,
            period_amount=0,
        ).order_by("-created_at")[:20]
    )
    vouchers = dict(
        Pledge.objects.filter(
            merchant_trade_no__in=[t.merchant_trade_no for t in open_trades + closed]
        ).values_list("merchant_trade_no", "voucher")
    )
    return [(trade, vouchers.get(trade.merchant_trade_no) or {}) for trade in open_trades], [
        (trade, vouchers.get(trade.merchant_trade_no) or {}) for trade in closed
    ]


def let_expire(trade_no: str) -> str:
    """The voucher's deadline passes unpaid. The gateway sends nothing then; the portal's beat job
    asks it about overdue vouchers and closes them. Here time does not pass, so the sandbox closes
    the trade and the portal records what that job would record from its answer ("not paid")."""
    with transaction.atomic():
        trade = SandboxTrade.objects.select_for_update().filter(merchant_trade_no=trade_no).first()
        if trade is None or trade.status != SandboxTradeStatus.VOUCHER:
            raise ValidationError("只有已取得繳費資訊、尚未繳費的交易可以逾期。")
        trade.status = SandboxTradeStatus.EXPIRED
        trade.save(update_fields=["status"])
    pledge = Pledge.objects.filter(merchant_trade_no=trade_no).only("pk").first()
    if pledge is None:
        return "繳費期限已過"
    status = services.expire_pledge_if_unpaid(pledge.pk, "0")
    return f"繳費期限已過（捐款狀態：{status}）"


def query(params: dict) -> str:
    """QueryTradeInfo: the trade's state as ECPay answers it (a signed query string)."""
    m = ecpay.merchant()
    if not ecpay.is_signed_correctly(params, m):
        return "CheckMacValue Error"
    trade = SandboxTrade.objects.filter(merchant_trade_no=params.get("MerchantTradeNo", "")).first()
    if trade is None:
        return ecpay_answer(
            {
                "MerchantID": m.merchant_id,
                "MerchantTradeNo": params.get("MerchantTradeNo", ""),
                "TradeStatus": "10200047",
            }
        )
    answer = {
        "MerchantID": m.merchant_id,
        "MerchantTradeNo": trade.merchant_trade_no,
        "TradeNo": trade.trade_no,
        "TradeAmt": str(trade.amount),
        "TradeStatus": ecpay.TRADE_PAID if trade.status == SandboxTradeStatus.PAID else "0",
        "PaymentType": PAYMENT_TYPES.get(trade.choose_payment, ""),
    }
    return ecpay_answer(answer)


def ecpay_answer(fields: dict) -> str:
    return urllib.parse.urlencode(ecpay.sign(fields))


def period_action(params: dict) -> str:
    """CreditCardPeriodAction: the sandbox stops a monthly gift's charges."""
    if not ecpay.is_signed_correctly(params) or params.get("Action") != "Cancel":
        return urllib.parse.urlencode({"RtnCode": "0", "RtnMsg": "CheckMacValue or Action error"})
    updated = SandboxTrade.objects.filter(
        merchant_trade_no=params.get("MerchantTradeNo", ""), period_amount__gt=0
    ).update(status=SandboxTradeStatus.CANCELLED)
    return urllib.parse.urlencode(
        {"RtnCode": "1" if updated else "0", "RtnMsg": "Success" if updated else "Not found"}
    )
