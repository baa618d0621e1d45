"""Reading the uploaded spreadsheets and writing their templates: the columns each kind of import
takes, XLSX/CSV judged by content, header rows mapped to columns, dates in the forms people write.

The file type is judged by content, not by its name: XLSX is a zip holding ``[Content_Types].xml``;
anything else must be text that decodes as UTF-8 (with or without BOM) or Big5 (CSV). Files are read
as streams by core/tabular.py, the reader ``donations/reconciliation.py`` uses too.
"""

import datetime
import functools
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from core.language import in_record_language
from core.roc import parse_roc
from core.tabular import append_row, csv_writer, read_rows
from core.validators import IdentityKind

from ..models import ImportKind, ServiceDomain, Sex

MAX_BYTES = 40 * 1024 * 1024
MAX_ROWS = 200_000
# An .xlsx is a zip: a small upload may expand to gigabytes (a decompression bomb). Refuse it from the
# archive's directory before reading (Python's zipfile never inflates a member past its stated size).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
# Validation reports its progress every so many rows; rows are written in batches of this size.
PROGRESS_EVERY = 50  # rows between progress reports (written at most every PROGRESS_SECONDS)
PROGRESS_SECONDS = 0.5
BATCH_SIZE = 5000


class Column:
    def __init__(self, key, header, *, required=False, aliases=(), example=""):
        self.key, self.header, self.required, self.aliases, self.example = (
            key,
            header,
            required,
            aliases,
            example,
        )


SERVICE_RECORD_COLUMNS = [
    Column(
        "identity_number",
        "證件號碼",
        required=True,
        aliases=("身分證字號", "身分證號", "身分證統一編號"),
        example="A123456789",
    ),
    Column("name", "姓名", aliases=("志工姓名",), example="王小明"),
    Column("served_on", "服務日期", required=True, aliases=("日期",), example="2026-11-20"),
    Column("hours", "服務時數", required=True, aliases=("時數",), example="3.5"),
    Column("domain", "服務領域", example="社會福利"),
    Column("activity", "服務內容", aliases=("服務項目",), example="病房關懷"),
]


VOLUNTEER_COLUMNS = [
    Column("name", "姓名", required=True, example="王小明"),
    Column("identity_kind", "證件類別", example="身分證"),
    Column(
        "identity_number", "證件號碼", required=True, aliases=("身分證字號", "身分證號"), example="A123456789"
    ),
    Column("birth_date", "出生日期", required=True, example="1960-05-17"),
    Column("sex", "性別", required=True, example="女"),
    Column("main_domain", "服務領域", example="社會福利"),
    Column("joined_on", "加入日期", example="2026-01-15"),
    Column("phone", "電話", example="02-2720-8889"),
    Column("email", "電子郵件", example=""),
    Column("address", "地址", example=""),
    Column("record_book_number", "紀錄冊編號", example=""),
    Column("record_book_issued_on", "紀錄冊發給日期", example=""),
    Column("service_started_on", "服務開始日期", example=""),
]


COLUMNS = {ImportKind.SERVICE_RECORDS: SERVICE_RECORD_COLUMNS, ImportKind.VOLUNTEERS: VOLUNTEER_COLUMNS}


def domain_labels() -> list[str]:
    """The service domains as the files name them: in Chinese, whatever the user's language."""
    with in_record_language():
        return [str(label) for label in ServiceDomain.labels]


@functools.cache
def domain_by_text() -> dict[str, str]:
    return {
        **dict(zip(domain_labels(), ServiceDomain.values, strict=True)),
        **{v: v for v in ServiceDomain.values},
        "環保": ServiceDomain.ENVIRONMENT,
        "文化教育": ServiceDomain.CULTURE,
        "衛生": ServiceDomain.HEALTH,
    }


SEX_BY_TEXT = {
    "男": Sex.MALE,
    "M": Sex.MALE,
    "女": Sex.FEMALE,
    "F": Sex.FEMALE,
    "其他": Sex.OTHER,
    "X": Sex.OTHER,
}


KIND_BY_TEXT = {
    "": IdentityKind.NATIONAL_ID,
    "身分證": IdentityKind.NATIONAL_ID,
    "國民身分證": IdentityKind.NATIONAL_ID,
    "居留證": IdentityKind.RESIDENT_CERTIFICATE,
    "護照": IdentityKind.PASSPORT,
    **{value: value for value, _label in IdentityKind.choices},
}


class RowError(Exception):
    def __init__(self, key, message):
        super().__init__(message)
        self.key, self.message = key, message


def iter_table(fileobj):
    """Rows of cells from an XLSX or CSV file, streamed (core/tabular.py: the one reader of uploads,
    which the bank statements use too). Raw rows are capped at twice the limit (blank and title rows
    are dropped later); ``rows_as_dicts`` stops at MAX_ROWS data rows."""
    return read_rows(
        fileobj, max_bytes=MAX_BYTES, max_rows=MAX_ROWS * 2 + 10, max_unzipped_bytes=MAX_UNZIPPED_BYTES
    )


def read_table(data) -> list[list]:
    """The rows of an upload (bytes or a file) as a list; ``ValidationError`` as ``iter_table``."""
    return list(iter_table(io.BytesIO(data) if isinstance(data, bytes) else data))


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def rows_as_dicts(table, columns: list[Column]) -> list[dict]:
    """Map the header row to the columns; each dict carries ``_row`` (the spreadsheet's row number).
    ``table`` may be a stream of rows: reading stops as soon as there are more than MAX_ROWS."""
    rows_in = iter(table)
    start = 0
    for start, row in enumerate(rows_in):  # noqa: B007 (the header's position is used below)
        if any(cell_text(c) for c in row):
            header = [cell_text(c) for c in row]
            break
    else:
        raise ValidationError(_("檔案沒有資料。"))
    index = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            if name in header:
                index[column.key] = header.index(name)
                break
    missing = [c.header for c in columns if c.required and c.key not in index]
    if missing:
        raise ValidationError(
            _("缺少欄位：%(columns)s（第一列須為標題列，請使用下載的範本）。")
            % {"columns": "、".join(missing)}
        )
    rows = []
    for number, row in enumerate(rows_in, start=start + 2):
        if not any(cell_text(c) for c in row):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(_("一次最多匯入 %(count)s 列，請分批匯入。") % {"count": f"{MAX_ROWS:,}"})
        item = {"_row": number}
        for key, i in index.items():
            item[key] = row[i] if i < len(row) else None
        rows.append(item)
    if not rows:
        raise ValidationError(_("檔案沒有資料列。"))
    return rows


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value).split(" ")[0].split("T")[0]
    if not text:
        raise ValueError("empty")
    iso = text.replace("/", "-").replace(".", "-")
    if len(iso.split("-")[0]) == 4:
        parts = iso.split("-")
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    if text.isdigit() and len(text) == 8:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if text.isdigit() and len(text) == 7:  # ROC yyyMMdd, as the national system writes dates
        return datetime.date(int(text[:3]) + 1911, int(text[3:5]), int(text[5:]))
    return parse_roc(text)


def date_cell(item, key, *, required=True):
    value = item.get(key)
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        if required:
            raise RowError(key, _("必填。"))
        return None
    try:
        return parse_date(value)
    except (ValueError, IndexError):
        raise RowError(
            key, _("「%(value)s」不是日期（例如 2026-11-20 或 115.11.20）。") % {"value": cell_text(value)}
        ) from None


def header_of(kind: str, key: str) -> str:
    return next((c.header for c in COLUMNS[kind] if c.key == key), key)


def template_rows(kind: str) -> list[list[str]]:
    columns = COLUMNS[kind]
    return [[c.header for c in columns], [c.example for c in columns]]


def template_csv(kind: str) -> bytes:
    buffer = io.StringIO()
    csv_writer(buffer).writerows(template_rows(kind))
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "匯入資料"
    for row in template_rows(kind):
        append_row(sheet, row)
    for i in range(1, len(COLUMNS[kind]) + 1):
        sheet.cell(row=1, column=i).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = 16
        sheet.cell(row=2, column=i).number_format = "@"
    domains = DataValidation(type="list", formula1='"' + ",".join(domain_labels()) + '"')
    sheet.add_data_validation(domains)
    domain_index = next(i for i, c in enumerate(COLUMNS[kind], start=1) if c.key in ("domain", "main_domain"))
    domains.add(
        f"{sheet.cell(row=2, column=domain_index).column_letter}2:{sheet.cell(row=2, column=domain_index).column_letter}200000"
    )
    notes = workbook.create_sheet("說明")
    append_row(notes, ["欄位", "必填", "說明"])
    for column in COLUMNS[kind]:
        append_row(notes, [column.header, "是" if column.required else "否", column.example])
    append_row(notes, [])
    append_row(
        notes,
        [
            "服務時數以 0.25 小時為單位；日期可寫 2026-11-20 或民國 115.11.20；每人每日（跨單位）合計不超過 24 小時。"
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
