"""ECPay's all-in-one checkout (AioCheckOut V5), from ECPay's published specification.

CheckMacValue: drop CheckMacValue, sort the parameters by name case-insensitively, join them as
``k=v`` with ``&``, wrap as ``HashKey=…&…&HashIV=…``, URL-encode as PHP's ``urlencode``, lower-case,
restore the seven characters .NET leaves unencoded, hash (SHA-256 for payments, MD5 for
logistics), upper-case. Compared in constant time.
"""

import hashlib
import hmac
import urllib.parse
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

# .NET's UrlEncode leaves these alone; ECPay's reference implementations undo PHP's encoding of them.
_DOTNET_RESTORE = {"%2d": "-", "%5f": "_", "%2e": ".", "%21": "!", "%2a": "*", "%28": "(", "%29": ")"}

# Our payment methods → ECPay's ChoosePayment values.
CHOOSE_PAYMENT = {
    "credit": "Credit",
    "atm": "ATM",
    "cvs": "CVS",
    "barcode": "BARCODE",
    "webatm": "WebATM",
    "twqr": "TWQR",
}
# ECPay's PaymentType prefixes in notifications → our channels.
PAYMENT_TYPE_PREFIX = {
    "Credit": "credit",
    "ATM": "atm",
    "CVS": "cvs",
    "BARCODE": "barcode",
    "WebATM": "webatm",
    "TWQR": "twqr",
}
RTN_PAID = "1"
RTN_ATM_ISSUED = "2"
RTN_CVS_ISSUED = "10100073"
# QueryTradeInfo's TradeStatus: "1" paid; anything else (0 unpaid, 10200047 unknown, …) is not.
TRADE_PAID = "1"


@dataclass(frozen=True)
class Merchant:
    merchant_id: str
    hash_key: str
    hash_iv: str
    checkout_url: str
    query_url: str

    @property
    def is_test_merchant(self) -> bool:
        return self.merchant_id == TEST_MERCHANT_ID


TEST_MERCHANT_ID = "3002607"


def merchant() -> Merchant:
    return Merchant(
        merchant_id=settings.ECPAY_MERCHANT_ID,
        hash_key=settings.ECPAY_HASH_KEY,
        hash_iv=settings.ECPAY_HASH_IV,
        checkout_url=settings.ECPAY_CHECKOUT_URL,
        query_url=settings.ECPAY_QUERY_URL,
    )


def php_urlencode(text: str) -> str:
    """PHP's urlencode: spaces as '+', every byte outside [A-Za-z0-9_.-] percent-encoded."""
    return urllib.parse.quote_plus(text, safe="").replace("~", "%7E")


def check_mac_value(params: dict, hash_key: str, hash_iv: str, method: str = "sha256") -> str:
    pairs = sorted(
        ((k, str(v)) for k, v in params.items() if k != "CheckMacValue"),
        key=lambda kv: kv[0].lower(),
    )
    raw = f"HashKey={hash_key}&" + "&".join(f"{k}={v}" for k, v in pairs) + f"&HashIV={hash_iv}"
    encoded = php_urlencode(raw).lower()
    for escaped, char in _DOTNET_RESTORE.items():
        encoded = encoded.replace(escaped, char)
    digest = hashlib.md5(encoded.encode()) if method == "md5" else hashlib.sha256(encoded.encode())  # noqa: S324 - ECPay's logistics protocol
    return digest.hexdigest().upper()


def sign(params: dict, m: Merchant | None = None) -> dict:
    m = m or merchant()
    return {**params, "CheckMacValue": check_mac_value(params, m.hash_key, m.hash_iv)}


def is_signed_correctly(params: dict, m: Merchant | None = None) -> bool:
    m = m or merchant()
    given = str(params.get("CheckMacValue", ""))
    expected = check_mac_value(params, m.hash_key, m.hash_iv)
    return hmac.compare_digest(given.upper().encode(), expected.encode())


def trade_date(moment: datetime) -> str:
    """ECPay's date format, in Taiwan time (the server's TIME_ZONE)."""
    return timezone.localtime(moment).strftime("%Y/%m/%d %H:%M:%S")


def parse_trade_date(text: str) -> datetime | None:
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d"):
        try:
            naive = datetime.strptime(text.strip(), fmt)
        except (ValueError, AttributeError):
            continue
        if fmt == "%Y/%m/%d":
            naive = naive.replace(hour=23, minute=59, second=59)  # an ATM account is valid all that day
        return timezone.make_aware(naive)
    return None


def channel_from_payment_type(payment_type: str) -> str | None:
    prefix = (payment_type or "").split("_", 1)[0]
    return PAYMENT_TYPE_PREFIX.get(prefix)


def checkout_params(
    *,
    trade_no: str,
    amount: int,
    created_at: datetime,
    channel: str,
    item_name: str,
    return_url: str,
    payment_info_url: str,
    order_result_url: str,
    client_back_url: str,
    period_return_url: str = "",
    monthly_times: int = 0,
    m: Merchant | None = None,
) -> dict:
    """The signed fields of the auto-submitting form that sends the donor to ECPay."""
    m = m or merchant()
    params = {
        "MerchantID": m.merchant_id,
        "MerchantTradeNo": trade_no,
        "MerchantTradeDate": trade_date(created_at),
        "PaymentType": "aio",
        "TotalAmount": str(amount),
        "TradeDesc": "好日子愛心捐款",
        "ItemName": item_name[:200],
        "ReturnURL": return_url,
        "ChoosePayment": CHOOSE_PAYMENT[channel],
        "EncryptType": "1",
        "OrderResultURL": order_result_url,
        "ClientBackURL": client_back_url,
        "NeedExtraPaidInfo": "N",
    }
    if channel in ("atm", "cvs", "barcode"):
        params["PaymentInfoURL"] = payment_info_url
    if channel == "atm":
        params["ExpireDate"] = "3"  # days
    if channel == "cvs":
        params["StoreExpireDate"] = "4320"  # minutes: three days
    if channel == "barcode":
        params["StoreExpireDate"] = "3"  # days
    if monthly_times and channel == "credit":
        # Periodic authorisation: the same amount every month, monthly_times times.
        params |= {
            "PeriodAmount": str(amount),
            "PeriodType": "M",
            "Frequency": "1",
            "ExecTimes": str(monthly_times),
            "PeriodReturnURL": period_return_url,
        }
    return sign(params, m)


def query_params(trade_no: str, now: datetime, m: Merchant | None = None) -> dict:
    m = m or merchant()
    return sign(
        {"MerchantID": m.merchant_id, "MerchantTradeNo": trade_no, "TimeStamp": str(int(now.timestamp()))}, m
    )
