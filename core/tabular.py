"""The one way the portal writes CSV and XLSX: no cell anyone typed can become a live formula.

A spreadsheet treats a cell that begins with `=`, `+`, `-` or `@` (and, in some programs, a tab or
a carriage return) as a formula: a donor's display name `=HYPERLINK(...)` would run on a reviewer's
machine. OWASP's advice, followed here:

- CSV: such text gets a leading single quote (`'=HYPERLINK(...)`), which spreadsheets show as text;
- XLSX: such text is stored as a string cell, never a formula (the text itself is unchanged);
- real numbers (int, float, Decimal) stay numbers; dates stay dates.

    writer = csv_writer(out)            # csv.writer's interface: writerow, writerows
    append_row(sheet, ["名字", 100])     # an openpyxl sheet (normal or write-only)
    for row in read_rows(upload, max_bytes=…, max_rows=…):   # uploads, streamed (see below)
"""

import codecs
import contextlib
import csv
import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell import Cell, WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value safe for a CSV cell: text that a spreadsheet would read as a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    def __init__(self, fileobj, **kwargs):
        self._writer = csv.writer(fileobj, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(fileobj, **kwargs) -> SafeCsvWriter:
    """`csv.writer(fileobj, **kwargs)` with every cell through `csv_cell`."""
    return SafeCsvWriter(fileobj, **kwargs)


def _xlsx_cell(sheet, value):
    if not isinstance(value, str):  # numbers, dates, None: as they are
        return value
    cell = WriteOnlyCell(sheet, value=value) if _write_only(sheet) else Cell(sheet, value=value)
    # openpyxl turns any text starting with "=" into a formula; text is text.
    cell.data_type = "s"
    return cell


def _write_only(sheet) -> bool:
    return sheet.__class__.__name__ == "WriteOnlyWorksheet"


def xlsx_row(sheet, row) -> list:
    """The row's cells for `sheet.append`: every text a string cell, numbers as numbers."""
    return [_xlsx_cell(sheet, value) for value in row]


def append_row(sheet, row) -> None:
    sheet.append(xlsx_row(sheet, row))


def set_cell(sheet, row: int, column: int, value):
    """`sheet.cell(row, column, value)` for a normal worksheet, text kept as text."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


# --- Reading ------------------------------------------------------------------------------------
# One reader for every CSV/XLSX people upload (volunteer imports, bank statements): read as a
# stream, rows counted while reading, refused at the limit, so memory is bounded by the limit
# and not by the file (a header and millions of one-character lines stop at the limit).

ZIP_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 64 * 1024


def read_rows(fileobj, *, max_bytes: int, max_rows: int, max_unzipped_bytes: int | None = None):
    """Rows (lists of cells; CSV cells are text, XLSX cells their values) from a seekable binary
    file holding XLSX or CSV (UTF-8 or Big5), judged by content. ``ValidationError`` with a message
    for the person who uploaded it when the file is too big, has more than ``max_rows`` rows
    (blank ones included), is not CSV/XLSX or cannot be decoded. A generator: the limit is
    enforced while the caller reads."""
    while getattr(fileobj, "file", None) is not None:  # Django's File wrappers: the file itself
        fileobj = fileobj.file
    size = _size(fileobj)
    if size > max_bytes:
        raise ValidationError(
            _("檔案超過 %(limit)s MB，請分批匯入。") % {"limit": max_bytes // 1024 // 1024}, code="too_large"
        )
    fileobj.seek(0)
    head = fileobj.read(SNIFF_BYTES)
    fileobj.seek(0)
    rows = (
        _xlsx_rows(fileobj, max_unzipped_bytes or max_bytes * 5)
        if head.startswith(ZIP_MAGIC)
        else _csv_rows(fileobj, head)
    )
    try:
        for count, row in enumerate(rows, start=1):
            if count > max_rows:
                raise ValidationError(
                    _("一次最多匯入 %(count)s 列，請分批匯入。") % {"count": f"{max_rows:,}"},
                    code="too_many_rows",
                )
            yield row
    finally:
        rows.close()  # now, while the caller's file is still open


def _size(fileobj) -> int:
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    return size


def _xlsx_rows(fileobj, max_unzipped_bytes: int):
    unreadable = _("無法讀取此 Excel 檔案，請確認是 .xlsx 格式。")
    try:
        with zipfile.ZipFile(fileobj) as archive:  # closing it leaves the caller's file open
            names, unpacked = archive.namelist(), sum(info.file_size for info in archive.infolist())
        if "[Content_Types].xml" not in names:
            raise ValidationError(_("檔案不是 Excel（.xlsx）活頁簿。"))
        # A zip bomb: small on disk, enormous unpacked.
        if unpacked > max_unzipped_bytes:
            raise ValidationError(
                _("檔案解壓縮後超過 %(limit)s MB，請分批匯入。")
                % {"limit": max_unzipped_bytes // 1024 // 1024}
            )
        fileobj.seek(0)
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ValidationError(unreadable) from None
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ValidationError(unreadable) from None
    finally:
        workbook.close()


def _csv_rows(fileobj, head: bytes):
    if b"\x00" in head[:4096] or head.startswith(b"%PDF"):
        raise ValidationError(_("檔案內容不是 CSV 或 Excel（.xlsx），請使用下載的範本。"))
    encoding = _encoding_of(head)
    undecodable = _("無法辨識檔案的文字編碼，請存成 UTF-8 或 Big5 的 CSV。")
    if encoding is None:
        raise ValidationError(undecodable)
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    try:
        yield from csv.reader(text)
    except UnicodeDecodeError:
        raise ValidationError(undecodable) from None
    except csv.Error:
        raise ValidationError(_("CSV 檔案格式有誤（例如引號未成對或欄位過長）。")) from None
    finally:
        with contextlib.suppress(ValueError):  # the caller's file already closed: nothing to keep open
            text.detach()  # leave the caller's file open


def _encoding_of(head: bytes) -> str | None:
    """UTF-8 (with or without BOM) when the first bytes decode as UTF-8, else Big5 when they decode
    as Big5; a cut-off character at the end of the sample does not count against either."""
    for encoding in ("utf-8-sig", "big5"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    return None
