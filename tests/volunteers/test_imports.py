"""Imports: validated whole, imported whole or refused with the rows named; file type by content."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core.seeding import fake_national_id
from tests.volunteers.factories import MembershipFactory, UnitFactory, member_of, officer_of
from volunteers.imports import files
from volunteers.imports import services as imports
from volunteers.models import (
    ImportBatch,
    ImportKind,
    ImportStatus,
    Membership,
    ServiceRecord,
    ServiceRecordSource,
    Volunteer,
)

pytestmark = pytest.mark.django_db

HEADER = ["證件號碼", "姓名", "服務日期", "服務時數", "服務領域", "服務內容"]


@pytest.fixture(autouse=True)
def _private_files(tmp_path, monkeypatch):
    """Uploaded files go to the test's folder (the field's storage is fixed when models load)."""
    from django.core.files.storage import FileSystemStorage

    monkeypatch.setattr(
        ImportBatch._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path / "p")
    )


@pytest.fixture
def unit():
    return UnitFactory(approved=True)


@pytest.fixture
def officer(unit):
    return officer_of(unit)


def csv_bytes(rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data)


def run(unit, officer, name, data, kind=ImportKind.SERVICE_RECORDS, capture=None):
    with capture(execute=True):
        batch = imports.start_import(unit=unit, actor=officer, kind=kind, upload=upload(name, data))
    batch.refresh_from_db()
    return batch


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def test_good_rows_are_imported(unit, officer, django_capture_on_commit_callbacks):
    a, b = member_of(unit), member_of(unit)
    day = yesterday()
    rows = [
        HEADER,
        [a.identity_number, a.name, day.isoformat(), "2.5", "社會福利", "關懷"],
        [b.identity_number, "", f"{day.year - 1911}.{day.month:02d}.{day.day:02d}", "1", "", ""],
    ]
    batch = run(unit, officer, "hours.xlsx", xlsx_bytes(rows), capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportStatus.DONE, batch.errors
    assert batch.imported_rows == 2 and batch.total_rows == 2 and batch.processed_rows == 2
    records = ServiceRecord.objects.filter(import_batch=batch).order_by("hours")
    assert [r.hours for r in records] == [Decimal("1.00"), Decimal("2.50")]
    assert all(r.source == ServiceRecordSource.IMPORT for r in records)
    assert records[0].domain == "social_welfare"  # the membership's domain when blank


def test_one_bad_row_means_nothing_is_imported_and_the_row_is_named(
    unit, officer, django_capture_on_commit_callbacks
):
    a = member_of(unit)
    day = yesterday().isoformat()
    rows = [
        HEADER,
        [a.identity_number, a.name, day, "2", "", ""],
        [a.identity_number, a.name, day, "1.1", "", ""],
        [a.identity_number, a.name, day, "1", "", ""],
    ]
    batch = run(unit, officer, "hours.csv", csv_bytes(rows), capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportStatus.FAILED
    assert not ServiceRecord.objects.exists()
    assert batch.errors == [{"row": 3, "column": "服務時數", "message": batch.errors[0]["message"]}]
    assert "0.25" in batch.errors[0]["message"]


def test_every_error_is_listed(unit, officer, django_capture_on_commit_callbacks):
    a = member_of(unit)
    rows = [
        HEADER,
        ["A123456789", "", yesterday().isoformat(), "1", "", ""],
        [a.identity_number, "別人", yesterday().isoformat(), "1", "", ""],
        [a.identity_number, "", "not a date", "1", "", ""],
        [a.identity_number, "", yesterday().isoformat(), "1", "火星探險", ""],
    ]
    batch = run(unit, officer, "hours.csv", csv_bytes(rows), capture=django_capture_on_commit_callbacks)
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (2, "證件號碼"),
        (3, "姓名"),
        (4, "服務日期"),
        (5, "服務領域"),
    ]


def test_the_24_hour_rule_applies_across_units_and_within_the_file(
    unit, officer, django_capture_on_commit_callbacks
):
    other = UnitFactory(approved=True)
    a = member_of(unit)
    MembershipFactory(unit=other, volunteer=a)
    day = yesterday()
    ServiceRecord.objects.create(
        volunteer=a, unit=other, served_on=day, hours=Decimal("23.75"), domain="health", source="form"
    )
    rows = [
        HEADER,
        [a.identity_number, "", day.isoformat(), "0.25", "", ""],
        [a.identity_number, "", day.isoformat(), "0.25", "", ""],
    ]
    batch = run(unit, officer, "hours.csv", csv_bytes(rows), capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportStatus.FAILED
    assert [e["row"] for e in batch.errors] == [3]
    assert "24 小時" in batch.errors[0]["message"]
    assert ServiceRecord.objects.filter(unit=unit).count() == 0


def test_big5_csv_is_read(unit, officer, django_capture_on_commit_callbacks):
    a = member_of(unit, name="陳美華")
    rows = [HEADER, [a.identity_number, "陳美華", yesterday().isoformat(), "3", "衛生保健", "門診導引"]]
    batch = run(
        unit, officer, "hours.csv", csv_bytes(rows, "big5"), capture=django_capture_on_commit_callbacks
    )
    assert batch.status == ImportStatus.DONE, batch.errors


def test_a_pdf_renamed_xlsx_is_refused(unit, officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        imports.start_import(
            unit=unit,
            actor=officer,
            kind=ImportKind.SERVICE_RECORDS,
            upload=upload("hours.xlsx", b"%PDF-1.7\n%..."),
        )
    assert not ImportBatch.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(unit, officer, django_capture_on_commit_callbacks):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    batch = run(unit, officer, "hours.xlsx", out.getvalue(), capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportStatus.FAILED
    assert "Excel" in batch.errors[0]["message"]


def test_binary_garbage_is_refused(unit, officer, django_capture_on_commit_callbacks):
    batch = run(unit, officer, "hours.csv", b"\x00\x01\x02" * 100, capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportStatus.FAILED and not ServiceRecord.objects.exists()


def test_missing_columns_are_named(unit, officer, django_capture_on_commit_callbacks):
    batch = run(
        unit,
        officer,
        "hours.csv",
        csv_bytes([["姓名"], ["王小明"]]),
        capture=django_capture_on_commit_callbacks,
    )
    assert "服務日期" in batch.errors[0]["message"]


def test_volunteers_are_imported_with_their_membership(unit, officer, django_capture_on_commit_callbacks):
    known = member_of(UnitFactory(approved=True))
    header = [c.header for c in files.VOLUNTEER_COLUMNS]
    new_id = fake_national_id(8_800_001)
    rows = [
        header,
        [
            "林志明",
            "身分證",
            new_id,
            "1958-03-02",
            "男",
            "社會福利",
            "2026-01-05",
            "0912345678",
            "",
            "",
            "",
            "",
            "",
        ],
        [known.name, "", known.identity_number, "1970-05-17", "女", "", "", "", "", "", "", "", ""],
    ]
    batch = run(
        unit,
        officer,
        "people.xlsx",
        xlsx_bytes(rows),
        kind=ImportKind.VOLUNTEERS,
        capture=django_capture_on_commit_callbacks,
    )
    assert batch.status == ImportStatus.DONE, batch.errors
    person = Volunteer.objects.get(name="林志明")
    assert person.identity_number == new_id and person.sex == "M"
    assert Membership.objects.filter(unit=unit).count() == 2
    assert Volunteer.objects.count() == 2


def test_a_bad_volunteer_row_imports_nobody(unit, officer, django_capture_on_commit_callbacks):
    header = [c.header for c in files.VOLUNTEER_COLUMNS]
    rows = [
        header,
        ["林志明", "", fake_national_id(8_800_002), "1958-03-02", "男", "", "", "", "", "", "", "", ""],
        ["王大同", "", "A123456788", "1958-03-02", "男", "", "", "", "", "", "", "", ""],
    ]
    batch = run(
        unit,
        officer,
        "people.csv",
        csv_bytes(rows),
        kind=ImportKind.VOLUNTEERS,
        capture=django_capture_on_commit_callbacks,
    )
    assert batch.status == ImportStatus.FAILED
    assert batch.errors[0]["row"] == 3 and batch.errors[0]["column"] == "證件號碼"
    assert not Volunteer.objects.exists()


def test_templates_download_and_read_back(client, unit, officer):
    client.force_login(officer)
    for kind in ImportKind.values:
        response = client.get(reverse("volunteers:import_template", kwargs={"kind": kind, "fmt": "xlsx"}))
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [c.value for c in sheet[1]] == [c.header for c in files.COLUMNS[kind]]
        response = client.get(reverse("volunteers:import_template", kwargs={"kind": kind, "fmt": "csv"}))
        assert (
            response.content.decode("utf-8-sig").splitlines()[0].split(",")[0]
            == files.COLUMNS[kind][0].header
        )


def test_the_upload_page_shows_progress_and_errors(client, unit, officer, django_capture_on_commit_callbacks):
    a = member_of(unit)
    client.force_login(officer)
    data = csv_bytes([HEADER, [a.identity_number, "", "2999-01-01", "1", "", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("volunteers:import_list"),
            {"kind": ImportKind.SERVICE_RECORDS, "file": upload("h.csv", data)},
        )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("volunteers:import_detail", kwargs={"pk": batch.pk})).content.decode()
    assert "整份檔案都沒有匯入" in page and "服務日期" in page and "晚於今天" in page
    fragment = client.get(reverse("volunteers:import_progress", kwargs={"pk": batch.pk})).content.decode()
    assert "未匯入" in fragment


def test_running_batches_poll_with_a_progress_bar(client, unit, officer):
    batch = ImportBatch.objects.create(
        unit=unit,
        kind=ImportKind.SERVICE_RECORDS,
        original_name="x.csv",
        created_by=officer,
        status=ImportStatus.VALIDATING,
        total_rows=1000,
        processed_rows=250,
    )
    client.force_login(officer)
    html = client.get(reverse("volunteers:import_progress", kwargs={"pk": batch.pk})).content.decode()
    assert 'hx-trigger="every 1s"' in html and '<progress id="import-bar" max="100" value="25">' in html


def test_an_officer_of_another_unit_cannot_see_the_batch(client, unit, officer):
    batch = ImportBatch.objects.create(
        unit=unit, kind=ImportKind.SERVICE_RECORDS, original_name="x.csv", created_by=officer
    )
    client.force_login(officer_of(UnitFactory(approved=True)))
    assert client.get(reverse("volunteers:import_detail", kwargs={"pk": batch.pk})).status_code == 404


def test_the_import_list_makes_few_queries(client, unit, officer, django_assert_max_num_queries):
    for n in range(15):
        ImportBatch.objects.create(
            unit=unit, kind=ImportKind.SERVICE_RECORDS, original_name=f"{n}.csv", created_by=officer
        )
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("volunteers:import_list")).status_code == 200


def test_a_former_member_in_the_file_rejoins(unit, officer, django_capture_on_commit_callbacks):
    person = member_of(unit)
    Membership.objects.filter(volunteer=person).update(left_on=datetime.date(2020, 1, 1))
    header = [c.header for c in files.VOLUNTEER_COLUMNS]
    row = [
        person.name,
        "",
        person.identity_number,
        "1970-05-17",
        "女",
        "",
        "2026-01-05",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    batch = run(
        unit,
        officer,
        "people.csv",
        csv_bytes([header, row]),
        kind=ImportKind.VOLUNTEERS,
        capture=django_capture_on_commit_callbacks,
    )
    assert batch.status == ImportStatus.DONE, batch.errors
    membership = Membership.objects.get(volunteer=person, unit=unit)
    assert membership.left_on is None and membership.joined_on == datetime.date(2026, 1, 5)
