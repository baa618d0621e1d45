"""Asking the gateway about a trade (QueryTradeInfo/V5) over HTTP."""

import urllib.parse
import urllib.request

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from . import ecpay


class GatewayError(Exception):
    pass


def query_url() -> str:
    if settings.ECPAY_SANDBOX:
        return settings.SITE_URL + reverse("payments:sandbox_query")
    return ecpay.merchant().query_url


def query_trade(trade_no: str, *, url: str | None = None, timeout: float = 10) -> dict:
    """The gateway's answer as a dict, its signature checked."""
    body = urllib.parse.urlencode(ecpay.query_params(trade_no, timezone.now())).encode()
    target = url or query_url()
    if not target.startswith(("https://", "http://")):
        raise GatewayError("query URL must be http(s)")
    request = urllib.request.Request(target, data=body, method="POST")  # noqa: S310 - scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            text = response.read().decode()
    except OSError as exc:
        raise GatewayError(str(exc)) from exc
    fields = dict(urllib.parse.parse_qsl(text, keep_blank_values=True))
    if not ecpay.is_signed_correctly(fields):
        raise GatewayError("the gateway's answer is not signed correctly")
    return fields


def period_action_url() -> str:
    if settings.ECPAY_SANDBOX:
        return settings.SITE_URL + reverse("payments:sandbox_period_action")
    return settings.ECPAY_PERIOD_ACTION_URL


def cancel_period(trade_no: str, *, url: str | None = None, timeout: float = 10) -> None:
    """CreditCardPeriodAction with Action=Cancel: no further monthly charges at the gateway."""
    m = ecpay.merchant()
    params = ecpay.sign(
        {
            "MerchantID": m.merchant_id,
            "MerchantTradeNo": trade_no,
            "Action": "Cancel",
            "TimeStamp": str(int(timezone.now().timestamp())),
        }
    )
    target = url or period_action_url()
    if not target.startswith(("https://", "http://")):
        raise GatewayError("period action URL must be http(s)")
    request = urllib.request.Request(target, data=urllib.parse.urlencode(params).encode(), method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            fields = dict(urllib.parse.parse_qsl(response.read().decode(), keep_blank_values=True))
    except OSError as exc:
        raise GatewayError(str(exc)) from exc
    if fields.get("RtnCode") != "1":
        raise GatewayError(f"the gateway refused to cancel: {fields.get('RtnMsg', '')}")
