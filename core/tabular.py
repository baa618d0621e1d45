"""The one way the portal writes CSV and XLSX: no cell anyone typed can become a live formula.

A spreadsheet treats a cell that begins with `=`, `+`, `-` or `@` (and, in some programs, a tab or
a carriage return) as a formula: a donor's display name `=HYPERLINK(...)` would run on a reviewer's
machine. OWASP's advice, followed here:

- CSV: such text gets a leading single quote (`'=HYPERLINK(...)`), which spreadsheets show as text;
- XLSX: such text is stored as a string cell, never a formula (the text itself is unchanged);
- real numbers (int, float, Decimal) stay numbers; dates stay dates.

    writer = csv_writer(out)            # csv.writer's interface: writerow, writerows
    append_row(sheet, ["名字", 100])     # an openpyxl sheet (normal or write-only)
"""

import csv

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
