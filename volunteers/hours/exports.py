"""Exports of a unit's volunteers and hours: XLSX for the unit, CSV for the national system.

The national volunteer information system (衛福部志願服務資訊整合系統) takes bulk uploads of a
unit's volunteers and of their service hours. Its layout, as we implement it (one header row,
UTF-8 with BOM, dates in the ROC calendar as ``yyyMMdd`` — 7 digits, e.g. 1151120 — hours with
up to two decimals; confirm against the ministry's current template before relying on it):

``NATIONAL_VOLUNTEER_COLUMNS`` (志工基本資料):
    身分證統一編號, 姓名, 性別, 出生日期, 聯絡電話, 電子郵件, 通訊地址, 服務類別, 加入日期,
    紀錄冊編號, 紀錄冊發給日期, 服務開始日期

``NATIONAL_HOURS_COLUMNS`` (服務時數), one row per service record:
    身分證統一編號, 姓名, 運用單位名稱, 備案字號, 服務類別, 服務日期, 服務時數, 服務內容

The ID number is written in full (the upload needs it); only the unit's own officers may export,
and each export is audited. The XLSX masks ID numbers.
"""

import datetime
import functools
import io
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum
from openpyxl import Workbook
from openpyxl.styles import Font

from core.language import in_record_language
from core.roc import to_roc
from core.tabular import append_row, csv_writer

from ..models import Membership, ServiceDomain, ServiceRecord, Sex

NATIONAL_VOLUNTEER_COLUMNS = [
    "身分證統一編號",
    "姓名",
    "性別",
    "出生日期",
    "聯絡電話",
    "電子郵件",
    "通訊地址",
    "服務類別",
    "加入日期",
    "紀錄冊編號",
    "紀錄冊發給日期",
    "服務開始日期",
]
NATIONAL_HOURS_COLUMNS = [
    "身分證統一編號",
    "姓名",
    "運用單位名稱",
    "備案字號",
    "服務類別",
    "服務日期",
    "服務時數",
    "服務內容",
]
DOMAIN_LABELS = dict(ServiceDomain.choices)
SEX_LABELS = dict(Sex.choices)
# The labels above are translatable; export files always carry the Chinese ones.


def _label(labels: dict, value: str) -> str:
    return str(labels.get(value, ""))


def _in_chinese(func):
    """Run an export with the Chinese labels, whatever the user's language."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with in_record_language():
            return func(*args, **kwargs)

    return wrapper


def roc_compact(day: datetime.date | None) -> str:
    """1151120 for 2026-11-20 (the national system's date form)."""
    return to_roc(day, "dot").replace(".", "") if day else ""


def hours_text(hours: Decimal) -> str:
    return f"{hours.normalize():f}"


def _memberships(unit):
    return (
        Membership.objects.filter(unit=unit)
        .select_related("volunteer")
        .order_by("volunteer__name", "volunteer__pk")
    )


def _records(unit, start: datetime.date, end: datetime.date):
    return (
        ServiceRecord.objects.filter(unit=unit, served_on__gte=start, served_on__lte=end)
        .select_related("volunteer")
        .order_by("served_on", "volunteer__name", "pk")
    )


@_in_chinese
def national_volunteer_rows(unit) -> list[list[str]]:
    rows = [NATIONAL_VOLUNTEER_COLUMNS]
    for m in _memberships(unit):
        v = m.volunteer
        rows.append(
            [
                v.identity_number,
                v.name,
                _label(SEX_LABELS, v.sex),
                roc_compact(v.birth_date),
                v.phone,
                v.email,
                v.address,
                _label(DOMAIN_LABELS, m.main_domain),
                roc_compact(m.joined_on),
                v.record_book_number,
                roc_compact(v.record_book_issued_on),
                roc_compact(v.service_started_on),
            ]
        )
    return rows


@_in_chinese
def national_hours_rows(unit, start: datetime.date, end: datetime.date) -> list[list[str]]:
    rows = [NATIONAL_HOURS_COLUMNS]
    for r in _records(unit, start, end):
        rows.append(
            [
                r.volunteer.identity_number,
                r.volunteer.name,
                unit.name,
                unit.registration_number,
                _label(DOMAIN_LABELS, r.domain),
                roc_compact(r.served_on),
                hours_text(r.hours),
                r.activity,
            ]
        )
    return rows


def to_csv(rows) -> bytes:
    buffer = io.StringIO()
    csv_writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


@_in_chinese
def unit_xlsx(unit, start: datetime.date, end: datetime.date) -> bytes:
    """志工名冊 (ID masked), 時數統計 (per volunteer in the period) and 服務紀錄 sheets."""
    workbook = Workbook()
    roster = workbook.active
    roster.title = "志工名冊"
    append_row(
        roster,
        ["姓名", "證件號碼", "性別", "出生日期", "服務領域", "加入日期", "離隊日期", "紀錄冊編號", "電話"],
    )
    memberships = list(_memberships(unit))
    for m in memberships:
        v = m.volunteer
        append_row(
            roster,
            [
                v.name,
                v.masked_identity,
                _label(SEX_LABELS, v.sex),
                to_roc(v.birth_date),
                _label(DOMAIN_LABELS, m.main_domain),
                to_roc(m.joined_on),
                to_roc(m.left_on),
                v.record_book_number,
                v.phone,
            ],
        )
    totals = defaultdict(lambda: (Decimal(0), 0))
    for row in (
        ServiceRecord.objects.filter(unit=unit, served_on__gte=start, served_on__lte=end)
        .values("volunteer_id")
        .annotate(hours=Sum("hours"), times=Count("pk"))
        .order_by()
    ):
        totals[row["volunteer_id"]] = (row["hours"], row["times"])
    summary = workbook.create_sheet("時數統計")
    append_row(summary, [f"期間：{to_roc(start)}－{to_roc(end)}"])
    append_row(summary, ["姓名", "證件號碼", "服務人次", "服務時數"])
    for m in memberships:
        hours, times = totals[m.volunteer_id]
        append_row(summary, [m.volunteer.name, m.volunteer.masked_identity, times, float(hours)])
    records = workbook.create_sheet("服務紀錄")
    append_row(records, ["服務日期", "姓名", "證件號碼", "服務時數", "服務領域", "服務內容", "來源", "狀態"])
    for r in _records(unit, start, end):
        append_row(
            records,
            [
                to_roc(r.served_on),
                r.volunteer.name,
                r.volunteer.masked_identity,
                float(r.hours),
                _label(DOMAIN_LABELS, r.domain),
                r.activity,
                r.get_source_display(),
                r.get_status_display(),
            ],
        )
    for sheet in workbook.worksheets:
        for cell in sheet[1 if sheet.title != "時數統計" else 2]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
