"""Designated-fund balances through time: the guard that keeps every designated fund at or above
zero on every day money leaves it and at every later month end (the points the disclosure
publishes), not just in today's total.

A fund's balance as of a moment counts gifts by the counting rule of ``donations.selectors`` (paid
before it, refunds made before it), spending dated before that day (approved or awaiting approval:
money promised is not available twice) and transfers from the unrestricted fund.
"""

import datetime
from bisect import bisect_left
from itertools import accumulate

from django.db.models import Sum
from django.utils import timezone

from donations import selectors as gifts

from .models import FundTransfer, Spending, SpendingStatus

COMMITTED = (SpendingStatus.RECORDED, SpendingStatus.APPROVED)
_END_OF_TIME = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=gifts.taiwan())


def _movements(program_id: int, *, excluding=None) -> list[tuple[datetime.datetime, int]]:
    """Every change to the fund, as (moment, signed amount)."""
    out = list(
        gifts.gifts_counted_between(None).filter(program_id=program_id).values_list("paid_at", "amount")
    )
    out += [
        (refunded_at, -amount)
        for refunded_at, amount in gifts.refunds_counted_between(None)
        .filter(program_id=program_id)
        .values_list("refunded_at", "amount")
    ]
    spending = Spending.objects.filter(program_id=program_id, status__in=COMMITTED)
    if excluding is not None:
        spending = spending.exclude(pk=excluding.pk)
    out += [
        (_day_start(spent_on), -amount) for spent_on, amount in spending.values_list("spent_on", "amount")
    ]
    out += list(FundTransfer.objects.filter(program_id=program_id).values_list("transferred_at", "amount"))
    out.sort(key=lambda m: m[0])
    return out


def _checkpoints(since: datetime.datetime, now: datetime.datetime) -> list[datetime.datetime]:
    """``since``, then every month end after it up to the month in progress."""
    points = [since]
    year, month = since.astimezone(gifts.taiwan()).year, since.astimezone(gifts.taiwan()).month
    while True:
        _start, end = gifts.month_bounds(year, month)
        if end > since:
            points.append(end)
        if end > now:
            return points
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def available_from(program, since: datetime.datetime, *, excluding=None) -> int:
    """The most that can leave the fund at ``since`` without it falling below zero then or at
    any later month end: the smallest balance from that moment on (movements strictly before
    each point count, as a month's closing counts everything before the next month starts)."""
    movements = _movements(program.pk, excluding=excluding)
    moments = [moment for moment, _ in movements]
    running = [0, *accumulate(amount for _, amount in movements)]
    points = _checkpoints(since, max(timezone.now(), since))
    return min(running[bisect_left(moments, point)] for point in [*points, _END_OF_TIME])


def available_for_spending(program, spent_on: datetime.date, *, excluding=None) -> int:
    """What a spending dated ``spent_on`` may take: the fund as of the end of that day (gifts paid
    that day count) and at every later month end."""
    return available_from(program, _day_start(spent_on + datetime.timedelta(days=1)), excluding=excluding)


def unrestricted_balance() -> int:
    """The unrestricted fund today: gifts without a program, less their refunds, less transfers out."""
    received = gifts.gifts_counted_between(None).filter(program__isnull=True).aggregate(s=Sum("amount"))["s"]
    refunded = (
        gifts.refunds_counted_between(None).filter(program__isnull=True).aggregate(s=Sum("amount"))["s"]
    )
    moved = FundTransfer.objects.aggregate(s=Sum("amount"))["s"]
    return (received or 0) - (refunded or 0) - (moved or 0)
