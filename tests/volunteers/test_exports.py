"""Exports: the national system's columns one by one, and the unit's XLSX."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from tests.volunteers.factories import ServiceRecordFactory, UnitFactory, member_of, officer_of
from volunteers.hours import exports

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    u = UnitFactory(approved=True)
    u.registration_number = "北市社志字第1150001號"
    u.save()
    return u


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_national_volunteer_layout_column_by_column(client, unit):
    v = member_of(
        unit,
        name="王小明",
        sex="M",
        birth_date=datetime.date(1958, 3, 2),
        phone="0912345678",
        record_book_number="北市志字第000123號",
        record_book_issued_on=datetime.date(2015, 1, 10),
        service_started_on=datetime.date(2015, 2, 1),
    )
    client.force_login(officer_of(unit))
    rows = read_csv(client.get(reverse("volunteers:export_national", kwargs={"kind": "volunteers"})))
    assert rows[0] == [
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
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["身分證統一編號"] == v.identity_number
    assert row["姓名"] == "王小明"
    assert row["性別"] == "男"
    assert row["出生日期"] == "0470302"
    assert row["聯絡電話"] == "0912345678"
    assert row["電子郵件"] == "" and row["通訊地址"] == ""
    assert row["服務類別"] == "社會福利"
    assert row["加入日期"] == "1040201"
    assert row["紀錄冊編號"] == "北市志字第000123號"
    assert row["紀錄冊發給日期"] == "1040110"
    assert row["服務開始日期"] == "1040201"
    assert AuditEvent.objects.filter(action="volunteers.exported").exists()


def test_the_national_hours_layout_column_by_column(client, unit):
    v = member_of(unit, name="陳美華")
    day = datetime.date(datetime.date.today().year, 1, 15)
    ServiceRecordFactory(
        volunteer=v, unit=unit, served_on=day, hours=Decimal("2.75"), domain="health", activity="門診導引"
    )
    ServiceRecordFactory(
        volunteer=v, unit=UnitFactory(approved=True), served_on=day, hours=Decimal("1")
    )  # other unit
    client.force_login(officer_of(unit))
    rows = read_csv(
        client.get(reverse("volunteers:export_national", kwargs={"kind": "hours"}), {"year": day.year})
    )
    assert rows[0] == [
        "身分證統一編號",
        "姓名",
        "運用單位名稱",
        "備案字號",
        "服務類別",
        "服務日期",
        "服務時數",
        "服務內容",
    ]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row == {
        "身分證統一編號": v.identity_number,
        "姓名": "陳美華",
        "運用單位名稱": unit.name,
        "備案字號": "北市社志字第1150001號",
        "服務類別": "衛生保健",
        "服務日期": f"{day.year - 1911:03d}0115",
        "服務時數": "2.75",
        "服務內容": "門診導引",
    }


def test_the_xlsx_has_roster_totals_and_records_with_masked_ids(client, unit):
    v = member_of(unit, name="林志明")
    ServiceRecordFactory(volunteer=v, unit=unit, hours=Decimal("3"))
    ServiceRecordFactory(volunteer=v, unit=unit, hours=Decimal("1.5"))
    client.force_login(officer_of(unit))
    response = client.get(reverse("volunteers:export_xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["志工名冊", "時數統計", "服務紀錄"]
    roster = list(book["志工名冊"].iter_rows(values_only=True))
    assert roster[1][0] == "林志明" and "*" in roster[1][1] and v.identity_number not in str(roster)
    totals = list(book["時數統計"].iter_rows(values_only=True))
    assert totals[2][2:] == (2, 4.5)
    assert len(list(book["服務紀錄"].iter_rows())) == 3


def test_other_roles_and_units_cannot_export(client, unit):
    client.force_login(officer_of(UnitFactory(approved=True)))
    member_of(unit)
    rows = read_csv(client.get(reverse("volunteers:export_national", kwargs={"kind": "volunteers"})))
    assert len(rows) == 1  # only their own (empty) unit


def test_roc_compact():
    assert exports.roc_compact(datetime.date(2026, 11, 20)) == "1151120"
    assert exports.roc_compact(None) == ""
