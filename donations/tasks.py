import logging

from celery import shared_task
from django.utils import timezone

from . import gateway, selectors, services

logger = logging.getLogger(__name__)


@shared_task
def expire_overdue_vouchers() -> dict:
    """Beat job: for ATM/store vouchers past their expiry, ask the gateway, then record it paid or close it."""
    outcome = {"paid": 0, "expired": 0, "errors": 0}
    for pledge in selectors.overdue_vouchers(timezone.now()).only("pk", "merchant_trade_no"):
        try:
            info = gateway.query_trade(pledge.merchant_trade_no)
        except gateway.GatewayError:
            logger.exception("trade query failed for %s", pledge.merchant_trade_no)
            outcome["errors"] += 1
            continue
        amount = int(info["TradeAmt"]) if info.get("TradeAmt", "").isdigit() else None
        status = services.expire_pledge_if_unpaid(pledge.pk, info.get("TradeStatus", ""), paid_amount=amount)
        outcome["paid" if status == "paid" else "expired"] += status in ("paid", "expired")
    return outcome
