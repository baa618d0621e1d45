"""Where designated money and goods went: a program's spending lines and goods hand-outs, and for a
donor, what each designated gift's program spent since the gift and where their goods were handed.

By the disclosure's rules (``builder``): spending counts once the social welfare bureau approved it,
in the month it was spent, with a sensitive category's item and voucher withheld; hand-outs name a
group, place or branch, never a person (``masking.general_recipient``). Each read is a fixed number
of queries, however many gifts or lines there are.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse

from donations.models import GoodsDonation, GoodsHandout, Pledge, PledgeStatus
from donations.selectors import taiwan_date

from .builder import SENSITIVE_DETAIL, public_spending_detail
from .masking import general_recipient
from .models import Spending, SpendingStatus

LINES_SHOWN = 50  # a program page lists the latest lines; the monthly disclosure has them all


@dataclass
class SpendingLine:
    program_id: int
    spent_on: datetime.date
    item: str
    amount: int
    voucher: str

    @property
    def month_url(self) -> str:
        return reverse("disclosure:month", args=[self.spent_on.year, f"{self.spent_on.month:02d}"])


@dataclass
class HandoutLine:
    program_id: int | None
    goods_id: int
    item: str
    quantity: int
    unit: str
    recipient: str
    handed_out_on: datetime.date


@dataclass
class GiftUse:
    """One designated gift and what its program did with money and goods since."""

    pledge: Pledge
    spending: list[SpendingLine] = field(default_factory=list)

    @property
    def spent_since(self) -> int:
        return sum(line.amount for line in self.spending)


def _approved(program_ids):
    return (
        Spending.objects.filter(status=SpendingStatus.APPROVED, program_id__in=program_ids)
        .select_related("program__category")
        .order_by("-spent_on", "-pk")
    )


def _spending_line(spending: Spending) -> SpendingLine:
    item, voucher = public_spending_detail(
        spending.item, spending.voucher_number, spending.program.category.is_sensitive
    )
    return SpendingLine(spending.program_id, spending.spent_on, item, spending.amount, voucher)


def _handouts(**filters):
    return (
        GoodsHandout.objects.filter(**filters)
        .select_related("goods", "goods__program__category")
        .order_by("-handed_out_on", "-pk")
    )


def _handout_line(handout: GoodsHandout) -> HandoutLine:
    goods = handout.goods
    sensitive = bool(goods.program_id and goods.program.category.is_sensitive)
    return HandoutLine(
        program_id=goods.program_id,
        goods_id=goods.pk,
        item=goods.item,
        quantity=handout.quantity,
        unit=goods.unit,
        recipient=SENSITIVE_DETAIL if sensitive else general_recipient(handout.recipient),
        handed_out_on=handout.handed_out_on,
    )


def program_use(program) -> dict:
    """What a program's designated money and goods became (for its public page)."""
    # One query for the lines and their total (a program's approved spending is tens of lines).
    all_lines = [_spending_line(s) for s in _approved([program.pk])]
    spending, spent_total = all_lines[:LINES_SHOWN], sum(line.amount for line in all_lines)
    handouts = [_handout_line(h) for h in _handouts(goods__program=program)[:LINES_SHOWN]]
    goods = defaultdict(lambda: {"received": 0, "handed_out": 0, "unit": ""})
    for item, unit, received, stock in GoodsDonation.objects.filter(program=program).values_list(
        "item", "unit", "quantity_received", "quantity_in_stock"
    ):
        entry = goods[(item, unit)]
        entry["unit"] = unit
        entry["received"] += received
        entry["handed_out"] += received - stock
    return {
        "spending": spending,
        "spent_total": spent_total,
        "handouts": handouts,
        "goods": [{"item": item, **values} for (item, _unit), values in sorted(goods.items())],
    }


def gifts_traced(pledges) -> list[GiftUse]:
    """For each paid designated gift: its program's approved spending on or after the gift's day."""
    pledges = [p for p in pledges if p.program_id and p.status == PledgeStatus.PAID and p.paid_at]
    by_program = defaultdict(list)
    for spending in _approved({p.program_id for p in pledges}):
        by_program[spending.program_id].append(_spending_line(spending))
    out = []
    for pledge in pledges:
        since = taiwan_date(pledge.paid_at)
        lines = [line for line in by_program[pledge.program_id] if line.spent_on >= since]
        out.append(GiftUse(pledge=pledge, spending=lines[:LINES_SHOWN]))
    return out


def goods_traced(goods_filter: dict) -> list[HandoutLine]:
    """Hand-outs of the goods a donor gave (by ``GoodsDonation`` filter, e.g. {"donor": user})."""
    return [_handout_line(h) for h in _handouts(**{f"goods__{k}": v for k, v in goods_filter.items()})]


def donor_use(user) -> dict:
    pledges = (
        Pledge.objects.filter(donor=user, status=PledgeStatus.PAID, program__isnull=False)
        .select_related("program")
        .order_by("-paid_at")
    )
    return {"gifts": gifts_traced(pledges), "handouts": goods_traced({"donor": user})}
