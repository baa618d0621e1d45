"""The offline gazetteer: a Taiwan address → the centre of its district, for the welfare map."""

import hashlib
import re
from decimal import Decimal

import pytest

from dashboard.gazetteer import DATA, locate, places


def test_the_gazetteer_lists_every_township_and_district_of_taiwan_inside_the_map_box():
    rows = places()
    assert len(rows) == 368
    assert len({(p.county, p.district) for p in rows}) == 368
    for p in rows:
        assert Decimal("21") <= p.latitude <= Decimal("26.5") and Decimal("118") <= p.longitude <= Decimal(
            "123"
        )


def test_the_data_file_says_where_its_rows_come_from_and_that_they_are_districts():
    notes = [line for line in DATA.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    note = "\n".join(notes)
    assert "內政部" in note and "TGOS" in note and "中華郵政" in note  # divisions, centres, postal codes
    assert "District level only" in note and "村里" in note
    # The notes are skipped: every other line is a district row.
    assert len(DATA.read_text(encoding="utf-8").splitlines()) == len(notes) + len(places())


def _recorded(label: str) -> str:
    """A value the data file's notes record, e.g. ``Rows: 368 (…)`` or the rows' SHA-256."""
    notes = "\n".join(line for line in DATA.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    if label == "sha256":
        return re.search(r"SHA-256 of the data rows[^:]*:\s*(?:#\s*)?([0-9a-f]{64})", notes).group(1)
    return re.search(rf"# {label}: (\S+)", notes).group(1)


def test_the_loaded_rows_match_the_row_count_and_checksum_the_file_records():
    # A silent replacement (another edition, a re-export with other rounding, an edited row) changes
    # the checksum: the file's notes and this test must then be updated with it, on purpose.
    loaded = "".join(
        f"{p.county}\t{p.district}\t{p.postcode}\t{p.latitude}\t{p.longitude}\n" for p in places()
    )
    assert _recorded("Rows") == str(len(places())) == "368"
    assert hashlib.sha256(loaded.encode()).hexdigest() == _recorded("sha256")
    assert _recorded("sha256") == "d3038b93619ddafab3d311662279a2dcd69e81168f623a256764c3c73113c868"


def test_the_file_says_its_edition_was_not_recorded_rather_than_inventing_one():
    note = "\n".join(line for line in DATA.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    assert "Edition: not recorded" in note and "cannot be verified" in note


@pytest.mark.parametrize(
    "address, expected",
    [
        ("臺北市大安區羅斯福路四段1號", "臺北市大安區"),
        ("台北市大安區羅斯福路四段1號", "臺北市大安區"),  # 台 and 臺 are one character to people
        ("臺中市大安區中山南路", "臺中市大安區"),  # the county decides between namesakes
        ("大安區和平東路二段", "臺北市大安區"),  # no county: the portal's own city
        ("439大安區中山南路", "臺中市大安區"),  # no county: the postal code decides
        ("新北市板橋區中山路一段161號", "新北市板橋區"),
        ("臺南市中西區民生路", "臺南市中西區"),  # not 嘉義市西區 or 臺中市西區
        ("花蓮縣花蓮市府前路", "花蓮縣花蓮市"),
        ("屏東縣三地門鄉", "屏東縣三地門鄉"),
    ],
)
def test_an_address_is_placed_at_its_district_centre(address, expected):
    assert locate(address).label == expected


@pytest.mark.parametrize("address", ["", "某某路 1 號", "Tokyo"])
def test_an_address_naming_no_district_gives_no_place(address):
    assert locate(address) is None
