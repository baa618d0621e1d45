"""Reconciling a bank statement or the gateway's settlement file with the recorded gifts.

The file is read whole and every line validated before anything is saved: a bad file saves
nothing. Lines are matched by the gateway's trade number when there is one, otherwise by amount
and date against offline gifts (remittances, cheques) not yet matched; the rest is listed.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from core.roc import parse_roc
from core.tabular import read_rows

from .models import Pledge, PledgeStatus, StatementImport, StatementLine

COLUMNS = {
    "date": ("日期", "交易日期", "付款日期", "date"),
    "reference": ("交易編號", "特店交易編號", "MerchantTradeNo", "摘要", "reference"),
    "payer": ("付款人", "戶名", "payer"),
    "amount": ("金額", "交易金額", "存入金額", "amount"),
    "fee": ("手續費", "fee"),
}
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000  # a year of a busy account's lines, several times over
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024


def _read_rows(upload) -> list[list[str]]:
    """The statement's rows as text, through the one upload reader (core/tabular.py): streamed,
    with its zip-bomb guard and row limit."""
    rows = read_rows(upload, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_unzipped_bytes=MAX_UNZIPPED_BYTES)
    return [["" if v is None else str(v) for v in row] for row in rows]


def _parse_date(text: str) -> datetime.date:
    text = text.strip().split(" ")[0].replace("/", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return parse_roc(text)


def _column_index(header: list[str]) -> dict[str, int]:
    """Which column holds each field (the first of its known names found in the header row)."""
    index = {}
    for key, names in COLUMNS.items():
        found = next((name for name in names if name in header), None)
        if found is not None:
            index[key] = header.index(found)
    missing = [COLUMNS[k][0] for k in ("date", "amount") if k not in index]
    if missing:
        raise ValidationError(
            _("缺少欄位：%(columns)s（第一列須為標題列）。") % {"columns": "、".join(missing)}
        )
    return index


def _parse_line(number: int, row: list[str], index: dict[str, int]) -> dict:
    """One data row as a statement line; ValueError with the row's zh-Hant message when it is bad."""

    def cell(key):
        i = index.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    try:
        date = _parse_date(cell("date"))
    except ValueError:
        raise ValueError(
            _("第 %(row)s 列：日期「%(value)s」無法辨識。") % {"row": number, "value": cell("date")}
        ) from None
    try:
        amount = int(float(cell("amount").replace(",", "")))
        fee = int(float(cell("fee").replace(",", "") or 0))
    except ValueError:
        raise ValueError(_("第 %(row)s 列：金額或手續費不是數字。") % {"row": number}) from None
    if amount <= 0:
        raise ValueError(_("第 %(row)s 列：金額必須大於 0。") % {"row": number})
    return {
        "row": number,
        "date": date,
        "reference": cell("reference")[:100],
        "payer": cell("payer")[:100],
        "amount": amount,
        "fee": fee,
    }


def parse_statement(upload) -> list[dict]:
    rows = [r for r in _read_rows(upload) if any(cell.strip() for cell in r)]
    if len(rows) < 2:
        raise ValidationError(_("檔案沒有資料列。"))
    index = _column_index([h.strip() for h in rows[0]])
    lines, errors = [], []
    for number, row in enumerate(rows[1:], start=2):
        try:
            lines.append(_parse_line(number, row, index))
        except ValueError as bad_row:
            errors.append(str(bad_row))  # our own row message, built just above
    if errors:
        raise ValidationError(errors)
    return lines


@transaction.atomic
def import_statement(*, upload, actor) -> StatementImport:
    lines = parse_statement(upload)
    statement = StatementImport.objects.create(uploaded_by=actor, filename=getattr(upload, "name", "")[:200])
    used: set[int] = set(
        StatementLine.objects.filter(pledge__isnull=False).values_list("pledge_id", flat=True)
    )
    objects = []
    for line in lines:
        pledge, note = _match(line, used)
        if pledge:
            used.add(pledge.pk)
        objects.append(StatementLine(statement=statement, pledge=pledge, note=note, **line))
    StatementLine.objects.bulk_create(objects)
    statement.line_count = len(objects)
    statement.matched_count = sum(1 for o in objects if o.pledge_id)
    statement.total_amount = sum(o.amount for o in objects)
    statement.total_fees = sum(o.fee for o in objects)
    statement.save()
    record_event(
        actor=actor,
        action="statement.imported",
        target=statement,
        changes={
            "lines": statement.line_count,
            "matched": statement.matched_count,
            "fees": statement.total_fees,
        },
    )
    return statement


def _match(line: dict, used: set[int]):
    paid = Pledge.objects.filter(status=PledgeStatus.PAID).exclude(pk__in=used)
    if line["reference"]:
        pledge = paid.filter(merchant_trade_no=line["reference"]).first()
        if pledge:
            if pledge.amount != line["amount"]:
                return None, f"交易編號相符但金額不同（系統 {pledge.amount}）"
            return pledge, "依交易編號對帳"
    candidates = paid.filter(
        amount=line["amount"],
        paid_at__date__gte=line["date"] - datetime.timedelta(days=3),
        paid_at__date__lte=line["date"] + datetime.timedelta(days=3),
        channel__in=["remittance", "cheque", "atm"],
    )
    if line["payer"]:
        named = candidates.filter(donor_name=line["payer"])
        if named.exists():
            candidates = named
    pledge = candidates.order_by("paid_at").first()
    if pledge:
        return pledge, "依金額與日期對帳"
    return None, "查無相符的捐款"
