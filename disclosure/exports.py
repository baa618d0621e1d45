"""The month's files, all written from the frozen report content so they agree with the page."""

import io

from openpyxl import Workbook

from core.tabular import append_row, csv_writer

INCOME_HEADER = ["日期", "捐款人", "方式", "金額", "指定用途", "類別", "收據編號", "其後退款"]
GOODS_HEADER = ["日期", "捐贈者", "品項", "數量", "單位", "市價", "指定用途"]
SPENDING_HEADER = ["日期", "方案", "類別", "支出項目", "金額", "受款對象", "憑證號碼"]
REFUND_HEADER = ["退款日期", "捐款人", "金額", "指定用途", "原付款日期"]
FUND_HEADER = ["基金", "期初餘額", "本月收入", "本月退款", "本月支出", "不指定用途撥補", "期末餘額"]
PAYEE_LABELS = {"vendor": "廠商", "beneficiary": "受益人", "organisation": "機構團體", "other": "其他"}


def income_rows(content):
    for line in content["income"]:
        yield [
            line["date"],
            line["donor"],
            line["channel"],
            line["amount"],
            line["designation"],
            line["category"],
            line["receipt"],
            "是" if line["refunded"] else "",
        ]


def goods_rows(content):
    for line in content["goods"]:
        yield [
            line["date"],
            line["donor"],
            line["item"],
            line["quantity"],
            line["unit"],
            line["value"],
            line["designation"],
        ]


def spending_rows(content):
    for line in content["spending"]:
        yield [
            line["date"],
            line["program"],
            line["category"],
            line["item"],
            line["amount"],
            PAYEE_LABELS.get(line["payee_type"], line["payee_type"]),
            line["voucher"],
        ]


def refund_rows(content):
    for line in content["refunds"]:
        yield [line["date"], line["donor"], line["amount"], line["designation"], line["paid_on"]]


def fund_rows(content):
    for fund in content["funds"]:
        yield [
            fund["name"],
            fund["opening"],
            fund["income"],
            fund["refunds"],
            fund["spending"],
            fund.get("transfers", 0),
            fund["closing"],
        ]


TABLES = {
    "income": (INCOME_HEADER, income_rows),
    "goods": (GOODS_HEADER, goods_rows),
    "spending": (SPENDING_HEADER, spending_rows),
}


def to_csv(content, table: str) -> bytes:
    """UTF-8 with a BOM (Excel opens the Chinese correctly), one header row, integer amounts."""
    header, rows = TABLES[table]
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows(content))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(content, *, title: str, digest: str, version: int) -> bytes:
    workbook = Workbook(write_only=True)
    about = workbook.create_sheet("說明")
    append_row(about, [title])
    append_row(about, ["版本", version])
    append_row(about, ["SHA-256", digest])
    append_row(about, ["授權", content["licence"]])
    append_row(about, ["收入合計", content["totals"]["income"]])
    append_row(about, ["退款合計", content["totals"]["refunds"]])
    append_row(about, ["物資市值合計", content["totals"]["goods_value"]])
    append_row(about, ["支出合計", content["totals"]["spending"]])
    for name, header, rows in (
        ("收入", INCOME_HEADER, income_rows),
        ("退款", REFUND_HEADER, refund_rows),
        ("物資", GOODS_HEADER, goods_rows),
        ("支出", SPENDING_HEADER, spending_rows),
        ("基金餘額", FUND_HEADER, fund_rows),
    ):
        sheet = workbook.create_sheet(name)
        append_row(sheet, header)
        for row in rows(content):
            append_row(sheet, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
