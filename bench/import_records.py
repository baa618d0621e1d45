"""Importing 100,000 service records (CSV and XLSX) into PostgreSQL through the real import task path
(read → validate every row → one transaction with bulk_create), for 2,000 volunteers of one unit.

Run by `make bench` (main), or alone inside a configured environment:
    DATABASE_URL=postgres://... python -m bench.import_records --rows 100000
"""

import argparse
import json
import os
import subprocess
import sys
import time

from bench.web import ROOT

TARGET_SECONDS = 30  # "well under a minute"
PEAK_MB_FLOOR = 200  # importing the largest allowed upload must not take more memory than this
UNIT_NAME = "匯入效能測試志工隊"
PEOPLE = 2000


def main(env, scale, row):
    rows = 100_000
    out = subprocess.run(
        [sys.executable, "-m", "bench.import_records", "--rows", str(rows)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    largest = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.import_records", "--largest"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    row(
        f"peak memory importing the largest allowed file ({largest['megabytes']} MB CSV, header + 1-char lines)",
        f"+{largest['peak_mb']:.0f} MB ({'refused at the row limit' if largest['refused'] else 'NOT refused'})",
        f"< {PEAK_MB_FLOOR} MB",
        "ok" if largest["peak_mb"] < PEAK_MB_FLOOR and largest["refused"] else "BELOW",
    )
    for fmt in ("csv", "xlsx"):
        seconds = result[f"{fmt}_seconds"]
        row(
            f"import {rows:,} service records ({fmt.upper()})",
            f"{seconds:.1f} s ({result[f'{fmt}_imported']:,} rows imported)",
            f"< {TARGET_SECONDS} s",
            "ok" if seconds < TARGET_SECONDS and result[f"{fmt}_imported"] == rows else "BELOW",
        )


def _world():
    import datetime

    from django.utils import timezone

    from accounts.models import Organisation, User
    from accounts.roles import OrganisationKind, Role
    from core.crypto import lookup_hash
    from core.seeding import fake_national_id
    from volunteers.models import Membership, PlanStatus, ServicePlan, Volunteer, VolunteerUnit

    org, _ = Organisation.objects.get_or_create(
        name=UNIT_NAME, defaults={"kind": OrganisationKind.VOLUNTEER_UNIT}
    )
    officer, _ = User.objects.get_or_create(
        email="bench-import@example.tw",
        defaults={"name": "匯入測試承辦人", "role": Role.UNIT_OFFICER, "organisation": org},
    )
    unit, _ = VolunteerUnit.objects.get_or_create(
        organisation=org, defaults={"main_domain": "social_welfare"}
    )
    year = timezone.localdate().year
    ServicePlan.objects.get_or_create(
        unit=unit,
        year=year,
        defaults={
            "status": PlanStatus.APPROVED,
            "title": "效能測試計畫",
            "service_items": "x",
            "domain": "social_welfare",
            "expected_volunteers": PEOPLE,
            "created_by": officer,
        },
    )
    numbers = [fake_national_id(9_100_000 + n) for n in range(PEOPLE)]
    known = set(
        Volunteer.objects.filter(identity_hash__in=[lookup_hash(n) for n in numbers]).values_list(
            "identity_hash", flat=True
        )
    )
    Volunteer.objects.bulk_create(
        [
            Volunteer(
                name=f"測試志工{n}",
                identity_kind="national_id",
                identity_number=number,
                identity_hash=lookup_hash(number),
                birth_date=datetime.date(1960, 1, 1),
                sex="F",
            )
            for n, number in enumerate(numbers)
            if lookup_hash(number) not in known
        ],
        batch_size=2000,
    )
    ids = Volunteer.objects.filter(identity_hash__in=[lookup_hash(n) for n in numbers]).values_list(
        "pk", flat=True
    )
    members = set(Membership.objects.filter(unit=unit).values_list("volunteer_id", flat=True))
    Membership.objects.bulk_create(
        [
            Membership(
                unit=unit, volunteer_id=pk, joined_on=datetime.date(2000, 1, 1), main_domain="social_welfare"
            )
            for pk in ids
            if pk not in members
        ]
    )
    return unit, officer, numbers


def _clear(unit):
    from volunteers.models import ImportBatch, ServiceRecord

    ServiceRecord.objects.filter(unit=unit).delete()
    for batch in ImportBatch.objects.filter(unit=unit):
        batch.file.delete(save=False)
        batch.delete()


def _table(numbers, rows):
    import datetime

    today = datetime.date.today()
    per_person = rows // len(numbers) + 1
    out = [["證件號碼", "姓名", "服務日期", "服務時數", "服務領域", "服務內容"]]
    n = 0
    for day_offset in range(1, per_person + 1):
        day = (today - datetime.timedelta(days=day_offset)).isoformat()
        for i, number in enumerate(numbers):
            if n == rows:
                return out
            out.append([number, f"測試志工{i}", day, f"{1 + (n % 28) / 4:g}", "社會福利", "關懷訪視"])
            n += 1
    return out


def _timed_import(unit, officer, name, data) -> tuple[float, int]:
    from django.core.files.base import ContentFile

    from volunteers.imports.services import run_import
    from volunteers.models import ImportBatch, ImportKind

    batch = ImportBatch(unit=unit, kind=ImportKind.SERVICE_RECORDS, original_name=name, created_by=officer)
    batch.file.save(name, ContentFile(data), save=False)
    batch.save()
    started = time.perf_counter()
    batch = run_import(batch.pk)
    seconds = time.perf_counter() - started
    if batch.errors:
        print(json.dumps(batch.errors[:5], ensure_ascii=False), file=sys.stderr)
    return seconds, batch.imported_rows


def run(rows: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import csv
    import io

    from openpyxl import Workbook

    unit, officer, numbers = _world()
    table = _table(numbers, rows)
    text = io.StringIO()
    csv.writer(text).writerows(table)
    csv_data = text.getvalue().encode("utf-8-sig")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for line in table:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = {"rows": rows}
    for fmt, data in (("csv", csv_data), ("xlsx", buffer.getvalue())):
        _clear(unit)
        seconds, imported = _timed_import(unit, officer, f"bench.{fmt}", data)
        result[f"{fmt}_seconds"] = seconds
        result[f"{fmt}_imported"] = imported
    _clear(unit)
    return result


def largest_upload() -> dict:
    """The import task on the largest file the upload accepts (MAX_BYTES): a header and millions of
    one-character lines. Reports how much the process's peak memory grew while reading it."""
    import tracemalloc

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.files.base import ContentFile

    from volunteers.imports.files import MAX_BYTES
    from volunteers.imports.services import run_import
    from volunteers.models import ImportBatch, ImportKind

    unit, officer, _numbers = _world()
    header = "證件號碼,姓名,服務日期,服務時數,服務領域,服務內容\n".encode()
    data = header + b"a\n" * ((MAX_BYTES - len(header)) // 2)
    batch = ImportBatch(
        unit=unit, kind=ImportKind.SERVICE_RECORDS, original_name="largest.csv", created_by=officer
    )
    batch.file.save("largest.csv", ContentFile(data), save=False)
    batch.save()
    del data
    tracemalloc.start()  # Python's own allocations while the task reads the file
    batch = run_import(batch.pk)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    refused = any("一次最多匯入" in (e.get("message") or "") for e in batch.errors)
    _clear(unit)
    return {"megabytes": MAX_BYTES // 1024 // 1024, "peak_mb": peak / 1024 / 1024, "refused": refused}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--largest", action="store_true", help="peak memory of the largest allowed upload")
    arguments = parser.parse_args()
    print(json.dumps(largest_upload() if arguments.largest else run(arguments.rows)))
