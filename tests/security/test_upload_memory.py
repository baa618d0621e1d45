"""Uploads have bounded memory: CSV and XLSX are read as streams, rows counted while reading, and
the read stops at the limit. One reader (core/tabular.py) serves the volunteer imports and the
donations' bank statements."""

import io
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.tabular import read_rows
from donations import reconciliation
from tests.security.test_attacks_volunteers import _xlsx_bomb
from volunteers.imports import files as imports

# A header and two million one-character lines: 4 MB on disk.
FLOOD = "身分證字號,姓名,服務日期,服務時數,服務類別,服務內容\n".encode() + b"a\n" * 2_000_000


def peak_while(func) -> int:
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match="一次最多匯入"):
            func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_flood_of_lines_is_refused_at_the_limit_without_reading_it_all(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 1000)
    peak = peak_while(
        lambda: imports.rows_as_dicts(imports.iter_table(io.BytesIO(FLOOD)), imports.SERVICE_RECORD_COLUMNS)
    )
    # Reading the whole file into rows took hundreds of MB; the stream stops after ~2,000 rows.
    assert peak < 5 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"


def test_the_import_task_streams_the_stored_file(monkeypatch, tmp_path):
    monkeypatch.setattr(imports, "MAX_ROWS", 1000)
    path = tmp_path / "flood.csv"
    path.write_bytes(FLOOD)
    with path.open("rb") as handle:
        peak = peak_while(
            lambda: imports.rows_as_dicts(imports.iter_table(handle), imports.SERVICE_RECORD_COLUMNS)
        )
    assert peak < 5 * 1024 * 1024


def test_the_reader_counts_rows_while_reading():
    rows = read_rows(io.BytesIO(b"a,b\n" * 100), max_bytes=10_000, max_rows=10)
    assert [next(rows) for _ in range(10)] == [["a", "b"]] * 10
    with pytest.raises(ValidationError, match="一次最多匯入"):
        next(rows)


def test_big5_csv_is_still_read():
    data = "姓名,時數\n王小明,3\n".encode("big5")
    assert list(read_rows(io.BytesIO(data), max_bytes=1000, max_rows=10)) == [
        ["姓名", "時數"],
        ["王小明", "3"],
    ]


def test_the_bank_statement_reader_has_the_row_limit(monkeypatch):
    monkeypatch.setattr(reconciliation, "MAX_ROWS", 100)
    upload = SimpleUploadedFile("s.csv", b"date,amount\n" + b"2026-01-01,100\n" * 5000)
    with pytest.raises(ValidationError, match="一次最多匯入"):
        reconciliation.parse_statement(upload)


def test_the_bank_statement_reader_refuses_a_zip_bomb():
    upload = SimpleUploadedFile("s.xlsx", _xlsx_bomb(260))
    with pytest.raises(ValidationError, match="解壓縮"):
        reconciliation.parse_statement(upload)
