"""Builds a month's disclosure content from the records: plain dicts, a fixed number of queries,
fast enough for 100,000 income lines.

Rules decided here (documented on the pages too):
- income is counted in the Taiwan month the gift was paid; a gift refunded later stays an income
  line of that month, flagged as refunded, and the refund is a negative adjustment in the month
  of the refund (so published months are never rewritten, and fund balances roll forward) — the
  rule itself lives in ``donations.selectors``;
- each income line cites the gift's valid receipt (after a correction, the reissued one);
- a transfer from the unrestricted fund into a designated fund (made so that a refund never takes
  the designated fund below zero) is listed in the month it was made and moves both balances;
- goods are counted in the month they were received, at their appraised market value;
- spending is counted in the month it was spent, once approved by the social welfare bureau;
- each program's money is its designated fund; gifts without a program go to the unrestricted fund.
"""

import hashlib
import json
from collections import defaultdict

from django.conf import settings
from django.db.models import Sum

from core.language import in_record_language
from donations import selectors as gifts
from donations.models import Channel, GoodsDonation, PledgeStatus
from programs.models import Program

from .masking import disclosed_donor_name
from .models import FundTransfer, Spending, SpendingStatus

UNRESTRICTED = "unrestricted"
UNRESTRICTED_LABEL = "不指定用途（一般捐款）"
SENSITIVE_DETAIL = "（敏感類別，細節不公開）"
LICENCE = "政府資料開放授權條款－第1版（Open Government Data License, version 1.0）"


def _channel_labels() -> dict[str, str]:
    """The payment methods as the record states them: in Chinese, whatever the reader's language."""
    with in_record_language():
        return {value: str(label) for value, label in Channel.choices}


month_bounds = gifts.month_bounds  # the Taiwan month, as every report counts it


def public_spending_detail(item: str, voucher: str, sensitive: bool) -> tuple[str, str]:
    """A spending line's item and voucher number as published: a sensitive category's are withheld
    (program pages and donors' dashboards show spending by this same rule)."""
    return (SENSITIVE_DETAIL, "") if sensitive else (item, voucher)


def summarise(content: dict) -> dict:
    by_program = {}
    for line in content["income"]:
        if line["program_id"]:
            entry = by_program.setdefault(str(line["program_id"]), {"income": 0, "spending": 0})
            entry["income"] += line["amount"]
    for line in content["spending"]:
        entry = by_program.setdefault(str(line["program_id"]), {"income": 0, "spending": 0})
        entry["spending"] += line["amount"]
    return {
        "totals": content["totals"],
        "by_channel": content["by_channel"],
        "by_category": content["by_category"],
        "by_program": by_program,
    }


def canonical(content: dict) -> str:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest_of(content: dict) -> str:
    return hashlib.sha256(canonical(content).encode()).hexdigest()


def _fund(program_id) -> str:
    return f"program:{program_id}" if program_id else UNRESTRICTED


def _local_date(moment) -> str:
    return gifts.taiwan_date(moment).isoformat()


def _programs() -> dict:
    return {
        pk: {"title": title, "category": category, "sensitive": sensitive}
        for pk, title, category, sensitive in Program.objects.values_list(
            "pk", "title", "category__name", "category__is_sensitive"
        )
    }


def _sum_by_fund(qs, field="amount") -> dict:
    out = defaultdict(int)
    for program_id, total in (
        qs.values_list("program_id").annotate(total=Sum(field)).values_list("program_id", "total")
    ):
        out[_fund(program_id)] += total or 0
    return out


def _designation(programs: dict):
    def designation(program_id):
        return programs[program_id]["title"] if program_id else UNRESTRICTED_LABEL

    return designation


def _income_lines(start, end, programs: dict, designation) -> list[dict]:
    channel_labels = _channel_labels()
    paid = gifts.gifts_counted_between(start, end)
    receipts = gifts.cited_receipts(paid.values("pk"))
    return [
        {
            "date": _local_date(paid_at),
            "donor": disclosed_donor_name(name, kind=kind, mode=mode, display_name=display),
            "channel": channel_labels.get(channel, channel),
            "amount": amount,
            "designation": designation(program_id),
            "program_id": program_id,
            "category": programs[program_id]["category"] if program_id else "",
            "receipt": receipts.get(pk, ""),
            "refunded": status == PledgeStatus.REFUNDED,
        }
        for pk, paid_at, name, kind, mode, display, channel, amount, program_id, status in paid.order_by(
            "paid_at", "pk"
        ).values_list(
            "pk",
            "paid_at",
            "donor_name",
            "donor_kind",
            "disclosure_mode",
            "display_name",
            "channel",
            "amount",
            "program_id",
            "status",
        )
    ]


def _refund_lines(start, end, designation) -> list[dict]:
    return [
        {
            "date": _local_date(refunded_at),
            "donor": disclosed_donor_name(name, kind=kind, mode=mode, display_name=display),
            "amount": -amount,
            "designation": designation(program_id),
            "program_id": program_id,
            "paid_on": _local_date(paid_at),
        }
        for refunded_at, paid_at, name, kind, mode, display, amount, program_id in gifts.refunds_counted_between(
            start, end
        )
        .order_by("refunded_at", "pk")
        .values_list(
            "refunded_at",
            "paid_at",
            "donor_name",
            "donor_kind",
            "disclosure_mode",
            "display_name",
            "amount",
            "program_id",
        )
    ]


def _goods_lines(start, end, designation) -> list[dict]:
    return [
        {
            "date": _local_date(received_at),
            "donor": disclosed_donor_name(name, kind=kind, mode=mode),
            "item": item,
            "quantity": quantity,
            "unit": unit,
            "value": value,
            "designation": designation(program_id),
            "program_id": program_id,
        }
        for received_at, name, kind, mode, item, quantity, unit, value, program_id in GoodsDonation.objects.filter(
            received_at__gte=start, received_at__lt=end
        )
        .order_by("received_at", "pk")
        .values_list(
            "received_at",
            "donor_name",
            "donor_kind",
            "disclosure_mode",
            "item",
            "quantity_received",
            "unit",
            "appraised_value",
            "program_id",
        )
    ]


def _spending_line(programs: dict, spent_on, item, amount, payee_type, voucher, program_id) -> dict:
    shown_item, shown_voucher = public_spending_detail(item, voucher, programs[program_id]["sensitive"])
    return {
        "date": spent_on.isoformat(),
        "program": programs[program_id]["title"],
        "program_id": program_id,
        "category": programs[program_id]["category"],
        "item": shown_item,
        "amount": amount,
        "payee_type": payee_type,
        "voucher": shown_voucher,
    }


def _spending_lines(start, end, programs: dict) -> list[dict]:
    return [
        _spending_line(programs, *row)
        for row in Spending.objects.filter(
            status=SpendingStatus.APPROVED, spent_on__gte=start.date(), spent_on__lt=end.date()
        )
        .order_by("spent_on", "pk")
        .values_list("spent_on", "item", "amount", "payee_type", "voucher_number", "program_id")
    ]


def _month_by_fund(lines: list[dict], sign: int = 1) -> dict:
    out = defaultdict(int)
    for line in lines:
        out[_fund(line["program_id"])] += sign * line["amount"]
    return out


def _fund_key_order(key: str):
    return (key != UNRESTRICTED, int(key.split(":")[1]) if ":" in key else 0)


def _fund_lines(start, end, designation, income, refunds, spending) -> list[dict]:
    """Designated funds: opening balance from everything before the month, then the month's movements."""
    approved = Spending.objects.filter(status=SpendingStatus.APPROVED)
    before_income = _sum_by_fund(gifts.gifts_counted_between(None, start))
    before_refunds = _sum_by_fund(gifts.refunds_counted_between(None, start))
    before_spending = _sum_by_fund(approved.filter(spent_on__lt=start.date()))
    before_transfers = _transfers_by_fund(FundTransfer.objects.filter(transferred_at__lt=start))
    month_income, month_refunds = _month_by_fund(income), _month_by_fund(refunds, -1)
    month_spending = _month_by_fund(spending)
    month_transfers = _transfers_by_fund(
        FundTransfer.objects.filter(transferred_at__gte=start, transferred_at__lt=end)
    )
    keys = (
        set(before_income)
        | set(before_spending)
        | set(before_transfers)
        | set(month_income)
        | set(month_spending)
        | set(month_transfers)
        | {UNRESTRICTED}
    )
    funds = []
    for key in sorted(keys, key=_fund_key_order):
        opening = before_income[key] - before_refunds[key] - before_spending[key] + before_transfers[key]
        closing = (
            opening + month_income[key] - month_refunds[key] - month_spending[key] + month_transfers[key]
        )
        fund = {
            "fund": key,
            "name": designation(int(key.split(":")[1]) if ":" in key else None),
            "opening": opening,
            "income": month_income[key],
            "refunds": month_refunds[key],
            "spending": month_spending[key],
            "closing": closing,
        }
        if month_transfers[key]:  # only when there are any, so months without keep their digest
            fund["transfers"] = month_transfers[key]
        funds.append(fund)
    return funds


def _breakdowns(income: list[dict]) -> tuple[dict, dict]:
    by_channel, by_category = defaultdict(int), defaultdict(int)
    for line in income:
        by_channel[line["channel"]] += line["amount"]
        by_category[line["category"] or "不指定用途"] += line["amount"]
    return dict(sorted(by_channel.items())), dict(sorted(by_category.items()))


def build_content(year: int, month: int) -> dict:
    start, end = month_bounds(year, month)
    programs = _programs()
    designation = _designation(programs)
    income = _income_lines(start, end, programs, designation)
    refunds = _refund_lines(start, end, designation)
    goods = _goods_lines(start, end, designation)
    spending = _spending_lines(start, end, programs)
    funds = _fund_lines(start, end, designation, income, refunds, spending)
    transfers = _transfer_lines(start, end, designation)
    by_channel, by_category = _breakdowns(income)
    total_income = sum(line["amount"] for line in income)
    total_refunds = -sum(line["amount"] for line in refunds)
    content = {
        "period": {
            "year": year,
            "month": month,
            "start": start.date().isoformat(),
            "end": end.date().isoformat(),
        },
        "income": income,
        "refunds": refunds,
        "goods": goods,
        "spending": spending,
        "funds": funds,
        "totals": {
            "income": total_income,
            "income_lines": len(income),
            "refunds": total_refunds,
            "net_income": total_income - total_refunds,
            "goods_value": sum(line["value"] for line in goods),
            "spending": sum(line["amount"] for line in spending),
        },
        "by_channel": by_channel,
        "by_category": by_category,
        "licence": LICENCE,
        "publisher": settings.ISSUING_AUTHORITY,
    }
    if transfers:
        content["transfers"] = transfers
    return content


def _transfers_by_fund(qs) -> dict:
    """Transfers from the unrestricted fund: + for the program's fund, − for the unrestricted."""
    out = defaultdict(int)
    for program_id, amount in qs.values_list("program_id", "amount"):
        out[_fund(program_id)] += amount
        out[UNRESTRICTED] -= amount
    return out


def _transfer_lines(start, end, designation) -> list[dict]:
    return [
        {
            "date": _local_date(at),
            "designation": designation(program_id),
            "program_id": program_id,
            "amount": amount,
            "reason": reason,
        }
        for at, program_id, amount, reason in FundTransfer.objects.filter(
            transferred_at__gte=start, transferred_at__lt=end
        )
        .order_by("transferred_at", "pk")
        .values_list("transferred_at", "program_id", "amount", "reason")
    ]
