"""Importing volunteers and service records from XLSX or CSV (and the API's bulk posts).

A file is read whole and **every** row validated before anything is written; then it is imported
in one transaction with ``bulk_create`` — or refused with the list of errors (row as the user sees
it in the spreadsheet, column header, zh-Hant reason) and nothing written.

Speed (100,000 service records well under a minute on PostgreSQL): no per-row query. The unit's
members are loaded once by ``identity_hash``; the 24-hour rule is checked with one aggregate query
over the file's (volunteer, day) pairs, repeated inside the import transaction after the
volunteers' rows are locked (someone may have recorded hours meanwhile).

The file type is judged by content, not by its name: XLSX is a zip holding ``[Content_Types].xml``;
anything else must be text that decodes as UTF-8 (with or without BOM) or Big5 (CSV), as in
``donations/reconciliation.py``.
"""

import datetime
import functools
import io
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from core.crypto import lookup_hash, lookup_hashes
from core.language import in_record_language
from core.queueing import queue_after_commit
from core.roc import parse_roc
from core.tabular import append_row, csv_writer, read_rows
from core.validators import IdentityKind, normalise_id, validate_identity_number

from ..hours import services as hours_services
from ..models import (
    MAX_HOURS_PER_DAY,
    ImportBatch,
    ImportKind,
    ImportStatus,
    Membership,
    ServiceDomain,
    ServiceRecord,
    ServiceRecordSource,
    ServiceRecordStatus,
    Sex,
    Volunteer,
)

MAX_BYTES = 40 * 1024 * 1024
MAX_ROWS = 200_000
# An .xlsx is a zip: a small upload may expand to gigabytes (a decompression bomb). Refuse it from the
# archive's directory before reading (Python's zipfile never inflates a member past its stated size).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_STORED_ERRORS = 500
PROGRESS_EVERY = 2000
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


# --- Reading files ------------------------------------------------------------------------------


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


def _text(value) -> str:
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
        if any(_text(c) for c in row):
            header = [_text(c) for c in row]
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
        if not any(_text(c) for c in row):
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
    text = _text(value).split(" ")[0].split("T")[0]
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


def _date(item, key, *, required=True):
    value = item.get(key)
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        if required:
            raise RowError(key, _("必填。"))
        return None
    try:
        return parse_date(value)
    except (ValueError, IndexError):
        raise RowError(
            key, _("「%(value)s」不是日期（例如 2026-11-20 或 115.11.20）。") % {"value": _text(value)}
        ) from None


# --- Service records ------------------------------------------------------------------------------


def validate_service_rows(unit, rows: list[dict], *, progress=None) -> tuple[list[dict], list[dict]]:
    """Check every row; return (clean rows, errors). Errors: ``{"row", "key", "message"}``."""
    members = {}
    for m in (
        Membership.objects.filter(unit=unit)
        .select_related("volunteer")
        .only(
            "joined_on",
            "left_on",
            "main_domain",
            "volunteer__id",
            "volunteer__name",
            "volunteer__identity_hash",
        )
    ):
        members[m.volunteer.identity_hash] = m
    today = timezone.localdate()
    clean, errors = [], []
    for n, item in enumerate(rows, start=1):
        try:
            clean.append(_service_row(item, members, today))
        except RowError as exc:
            errors.append({"row": item["_row"], "key": exc.key, "message": exc.message})
        if progress and n % PROGRESS_EVERY == 0:
            progress(n)
    # The 24-hour rule: this file's hours plus what every unit already recorded, per person and day.
    file_totals = defaultdict(Decimal)
    for row in clean:
        file_totals[(row["volunteer_id"], row["served_on"])] += row["hours"]
    over = {pair for pair, total in file_totals.items() if total > MAX_HOURS_PER_DAY}
    recorded = hours_services.day_totals(file_totals.keys())
    over |= {pair for pair, total in file_totals.items() if total + recorded.get(pair, 0) > MAX_HOURS_PER_DAY}
    if over:
        running = defaultdict(Decimal)
        for row in clean:
            pair = (row["volunteer_id"], row["served_on"])
            if pair not in over:
                continue
            already = recorded.get(pair, Decimal(0)) + running[pair]
            running[pair] += row["hours"]
            if already + row["hours"] > MAX_HOURS_PER_DAY:
                errors.append(
                    {
                        "row": row["_row"],
                        "key": "hours",
                        "message": hours_services.over_the_day_message(
                            row["served_on"], already, row["hours"]
                        ),
                    }
                )
    errors.sort(key=lambda e: e["row"])
    return clean, errors


def _service_row(item, members, today) -> dict:
    digest = item.get("identity_hash")
    if digest:
        membership = members.get(digest)
    else:
        number = normalise_id(_text(item.get("identity_number")))
        if not number:
            raise RowError("identity_number", _("必填。"))
        # Every hash key: while the hash key is rotated, a member may still carry the older hash.
        membership = next((members[d] for d in lookup_hashes(number) if d in members), None)
    if membership is None:
        raise RowError("identity_number", _("查無此證件號碼的本單位志工（請先匯入或登錄志工名冊）。"))
    name = _text(item.get("name"))
    if name and name != membership.volunteer.name:
        raise RowError("name", _("姓名「%(name)s」與證件號碼登記的志工不符。") % {"name": name})
    served_on = _date(item, "served_on")
    if served_on > today:
        raise RowError("served_on", _("服務日期不可晚於今天。"))
    if not hours_services.serving_on(membership, served_on):
        raise RowError("served_on", _("此日期志工不在本單位的在隊期間。"))
    raw_hours = item.get("hours")
    if raw_hours in (None, ""):
        raise RowError("hours", _("必填。"))
    try:
        hours = hours_services.clean_hours(_text(raw_hours))
    except ValidationError as exc:
        raise RowError("hours", exc.messages[0]) from None
    domain_text = _text(item.get("domain"))
    if domain_text:
        domain = domain_by_text().get(domain_text)
        if domain is None:
            raise RowError(
                "domain",
                _("「%(value)s」不是服務領域（例如 社會福利、衛生保健、教育）。") % {"value": domain_text},
            )
    else:
        domain = membership.main_domain
    activity = _text(item.get("activity"))
    if len(activity) > 200:
        raise RowError("activity", _("服務內容最多 200 字。"))
    return {
        "_row": item["_row"],
        "volunteer_id": membership.volunteer_id,
        "served_on": served_on,
        "hours": hours,
        "domain": domain,
        "activity": activity,
    }


@transaction.atomic
def save_service_rows(
    *, unit, actor, clean: list[dict], source: str, batch: ImportBatch | None = None
) -> int:
    """Write validated rows, all or nothing; re-checks the 24-hour rule with the volunteers locked."""
    hours_services.check_unit(unit=unit, actor=actor)
    pairs = defaultdict(Decimal)
    for row in clean:
        pairs[(row["volunteer_id"], row["served_on"])] += row["hours"]
    hours_services.lock_volunteers({v for v, _ in pairs})
    recorded = hours_services.day_totals(pairs.keys())
    for pair, total in pairs.items():
        if total + recorded.get(pair, 0) > MAX_HOURS_PER_DAY:
            raise ValidationError(
                hours_services.over_the_day_message(pair[1], recorded.get(pair, Decimal(0)), total)
            )
    _insert_records(
        [
            (row["volunteer_id"], row["served_on"], row["hours"], row["domain"], row["activity"])
            for row in clean
        ],
        unit=unit,
        actor=actor,
        source=source,
        batch=batch,
    )
    record_event(
        actor=actor,
        action="service_records.imported",
        target=batch or unit,
        changes={"rows": len(clean), "hours": str(sum(pairs.values(), Decimal(0))), "source": source},
        organisation=unit.organisation,
    )
    return len(clean)


COPY_COLUMNS = (
    "volunteer_id",
    "unit_id",
    "served_on",
    "hours",
    "domain",
    "activity",
    "source",
    "status",
    "import_batch_id",
    "created_by_id",
    "created_at",
    "updated_at",
)


def _insert_records(rows, *, unit, actor, source, batch) -> None:
    """Insert (volunteer id, day, hours, domain, activity) rows: PostgreSQL's COPY (100,000 rows in
    about a second, inside the caller's transaction), ``bulk_create`` elsewhere."""
    if connection.vendor == "postgresql":
        now = timezone.now()
        batch_id = batch.pk if batch else None
        table = ServiceRecord._meta.db_table
        sql = f"COPY {table} ({', '.join(COPY_COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for volunteer_id, day, hours, domain, activity in rows:
                copy.write_row(
                    (
                        volunteer_id,
                        unit.pk,
                        day,
                        hours,
                        domain,
                        activity,
                        source,
                        ServiceRecordStatus.RECORDED,
                        batch_id,
                        actor.pk,
                        now,
                        now,
                    )
                )
        return
    ServiceRecord.objects.bulk_create(
        (
            ServiceRecord(
                volunteer_id=volunteer_id,
                unit=unit,
                served_on=day,
                hours=hours,
                domain=domain,
                activity=activity,
                source=source,
                import_batch=batch,
                created_by=actor,
            )
            for volunteer_id, day, hours, domain, activity in rows
        ),
        batch_size=BATCH_SIZE,
    )


# --- Volunteers -----------------------------------------------------------------------------------


def validate_volunteer_rows(unit, rows: list[dict], *, progress=None) -> tuple[list[dict], list[dict]]:
    seen = {}
    clean, errors = [], []
    for n, item in enumerate(rows, start=1):
        try:
            row = _volunteer_row(unit, item)
            if row["identity_hash"] in seen:
                raise RowError(
                    "identity_number",
                    _("與第 %(row)s 列的證件號碼重複。") % {"row": seen[row["identity_hash"]]},
                )
            seen[row["identity_hash"]] = item["_row"]
            clean.append(row)
        except RowError as exc:
            errors.append({"row": item["_row"], "key": exc.key, "message": exc.message})
        if progress and n % PROGRESS_EVERY == 0:
            progress(n)
    return clean, errors


def _volunteer_row(unit, item) -> dict:
    name = _text(item.get("name"))
    if not name:
        raise RowError("name", _("必填。"))
    if len(name) > 100:
        raise RowError("name", _("姓名最多 100 字。"))
    kind = KIND_BY_TEXT.get(_text(item.get("identity_kind")))
    if kind is None:
        raise RowError("identity_kind", _("證件類別須為 身分證、居留證 或 護照。"))
    try:
        number = validate_identity_number(kind, _text(item.get("identity_number")))
    except ValidationError as exc:
        raise RowError("identity_number", exc.messages[0]) from None
    birth_date = _date(item, "birth_date")
    if birth_date > timezone.localdate() or birth_date.year < 1900:
        raise RowError("birth_date", _("出生日期不合理。"))
    sex_text = _text(item.get("sex"))
    sex = SEX_BY_TEXT.get(sex_text) or SEX_BY_TEXT.get(sex_text.upper())
    if sex is None:
        raise RowError("sex", _("性別須為 男、女 或 其他。"))
    domain_text = _text(item.get("main_domain"))
    domain = domain_by_text().get(domain_text) if domain_text else unit.main_domain
    if domain is None:
        raise RowError("main_domain", _("「%(value)s」不是服務領域。") % {"value": domain_text})
    email = _text(item.get("email"))
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            raise RowError("email", _("電子郵件格式不正確。")) from None
    return {
        "_row": item["_row"],
        "name": name,
        "identity_kind": kind,
        "identity_number": number,
        "identity_hash": lookup_hash(number),
        "birth_date": birth_date,
        "sex": sex,
        "main_domain": domain,
        "joined_on": _date(item, "joined_on", required=False) or timezone.localdate(),
        "phone": _text(item.get("phone"))[:40],
        "email": email,
        "address": _text(item.get("address"))[:255],
        "record_book_number": _text(item.get("record_book_number"))[:60],
        "record_book_issued_on": _date(item, "record_book_issued_on", required=False),
        "service_started_on": _date(item, "service_started_on", required=False),
    }


PERSON_FIELDS = (
    "name",
    "identity_kind",
    "birth_date",
    "sex",
    "phone",
    "email",
    "address",
    "record_book_number",
    "record_book_issued_on",
    "service_started_on",
)


@transaction.atomic
def save_volunteer_rows(*, unit, actor, clean: list[dict], batch: ImportBatch | None = None) -> int:
    """New people are created; people already known (by ID number) keep their record (blank fields are
    filled in); everyone gets a membership of the unit if they have none."""
    from ..permissions import can_manage_unit

    if not can_manage_unit(actor, unit):
        raise PermissionDenied(_("只有本單位的承辦人可匯入志工。"))
    # Known people by every hash key (while the hash key is rotated some still carry the older one),
    # found again under the newest hash, which each row carries.
    newest = {d: row["identity_hash"] for row in clean for d in lookup_hashes(row["identity_number"])}
    existing = {
        newest[v.identity_hash]: v
        for v in Volunteer.objects.select_for_update().filter(identity_hash__in=list(newest))
    }
    new = [
        Volunteer(
            identity_number=row["identity_number"],
            identity_hash=row["identity_hash"],
            **{f: row[f] for f in PERSON_FIELDS},
        )
        for row in clean
        if row["identity_hash"] not in existing
    ]
    Volunteer.objects.bulk_create(new, batch_size=BATCH_SIZE)
    filled = []
    for row in clean:
        person = existing.get(row["identity_hash"])
        if person is None:
            continue
        changed = False
        for f in (
            "phone",
            "email",
            "address",
            "record_book_number",
            "record_book_issued_on",
            "service_started_on",
        ):
            if not getattr(person, f) and row[f]:
                setattr(person, f, row[f])
                changed = True
        if changed:
            filled.append(person)
    if filled:
        Volunteer.objects.bulk_update(
            filled,
            [
                "phone",
                "email",
                "address",
                "record_book_number",
                "record_book_issued_on",
                "service_started_on",
            ],
            batch_size=BATCH_SIZE,
        )
    ids = {
        newest[digest]: pk
        for digest, pk in Volunteer.objects.filter(identity_hash__in=list(newest)).values_list(
            "identity_hash", "pk"
        )
    }
    members = {m.volunteer_id: m for m in Membership.objects.filter(unit=unit, volunteer_id__in=ids.values())}
    rejoined = []
    for row in clean:
        membership = members.get(ids[row["identity_hash"]])
        if membership is not None and membership.left_on is not None:  # back in the unit (復隊)
            membership.left_on = None
            membership.joined_on = row["joined_on"]
            membership.main_domain = row["main_domain"]
            rejoined.append(membership)
    if rejoined:
        Membership.objects.bulk_update(
            rejoined, ["left_on", "joined_on", "main_domain"], batch_size=BATCH_SIZE
        )
    Membership.objects.bulk_create(
        (
            Membership(
                unit=unit,
                volunteer_id=ids[row["identity_hash"]],
                joined_on=row["joined_on"],
                main_domain=row["main_domain"],
            )
            for row in clean
            if ids[row["identity_hash"]] not in members
        ),
        batch_size=BATCH_SIZE,
    )
    record_event(
        actor=actor,
        action="volunteers.imported",
        target=batch or unit,
        changes={
            "rows": len(clean),
            "new_people": len(new),
            "new_members": len(clean) - len(members),
            "rejoined": len(rejoined),
        },
        organisation=unit.organisation,
    )
    return len(clean)


# --- Batches (the Celery task's body) ---------------------------------------------------------------


def header_of(kind: str, key: str) -> str:
    return next((c.header for c in COLUMNS[kind] if c.key == key), key)


def start_import(*, unit, actor, kind: str, upload) -> ImportBatch:
    """Store the upload and queue the import (the task runs after the commit)."""
    from .. import tasks
    from ..permissions import can_manage_unit

    if not can_manage_unit(actor, unit):
        raise PermissionDenied
    if kind == ImportKind.SERVICE_RECORDS:
        hours_services.check_unit(unit=unit, actor=actor)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF") or (upload.size or 0) > MAX_BYTES:
        raise ValidationError(_("檔案內容不是 CSV 或 Excel（.xlsx），或超過 40 MB。"))
    with transaction.atomic():
        batch = ImportBatch(
            unit=unit, kind=kind, original_name=(upload.name or "upload")[:255], created_by=actor
        )
        batch.file.save(f"{kind}.bin", upload, save=False)
        batch.save()
        record_event(
            actor=actor,
            action="import.uploaded",
            target=batch,
            changes={"kind": kind, "file": batch.original_name},
            organisation=unit.organisation,
        )
        queue_after_commit(tasks.run_import, batch.pk)
    return batch


def _set(batch_id, **fields):
    # Every update is a sign of life (core/jobs.py notices a batch that stops giving them).
    ImportBatch.objects.filter(pk=batch_id).update(heartbeat_at=timezone.now(), **fields)


def _stored(kind, errors) -> list[dict]:
    stored = [
        {"row": e["row"], "column": header_of(kind, e["key"]), "message": e["message"]}
        for e in errors[:MAX_STORED_ERRORS]
    ]
    if len(errors) > MAX_STORED_ERRORS:
        stored.append(
            {"row": None, "column": "", "message": f"另有 {len(errors) - MAX_STORED_ERRORS:,} 項錯誤未列出。"}
        )
    return stored


def run_import(batch_id: int) -> ImportBatch:
    """Validate the whole file (progress saved as it goes), then import it whole or refuse it."""
    batch = ImportBatch.objects.select_related("unit__organisation", "created_by").get(pk=batch_id)
    if batch.status not in (ImportStatus.PENDING, ImportStatus.VALIDATING, ImportStatus.IMPORTING):
        return batch  # finished, or marked stalled (its page offers a retry)
    _set(batch.pk, status=ImportStatus.VALIDATING, processed_rows=0)

    def fail(errors):
        _set(batch.pk, status=ImportStatus.FAILED, errors=errors, finished_at=timezone.now())

    try:
        with batch.file.open("rb") as handle:
            rows = rows_as_dicts(iter_table(handle), COLUMNS[batch.kind])
    except ValidationError as exc:
        fail([{"row": None, "column": "", "message": m} for m in exc.messages])
        return ImportBatch.objects.get(pk=batch.pk)
    _set(batch.pk, total_rows=len(rows))
    validate = validate_service_rows if batch.kind == ImportKind.SERVICE_RECORDS else validate_volunteer_rows
    clean, errors = validate(batch.unit, rows, progress=lambda n: _set(batch.pk, processed_rows=n))
    if errors:
        fail(_stored(batch.kind, errors))
        return ImportBatch.objects.get(pk=batch.pk)
    _set(batch.pk, status=ImportStatus.IMPORTING, processed_rows=len(rows))
    try:
        with transaction.atomic():
            # Safe to run twice (a message redelivered after its worker died, a retry): the batch row
            # is locked, and a batch another run has already imported is left alone.
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status in (ImportStatus.DONE, ImportStatus.FAILED):
                return locked
            if batch.kind == ImportKind.SERVICE_RECORDS:
                count = save_service_rows(
                    unit=batch.unit,
                    actor=batch.created_by,
                    clean=clean,
                    source=ServiceRecordSource.IMPORT,
                    batch=batch,
                )
            else:
                count = save_volunteer_rows(unit=batch.unit, actor=batch.created_by, clean=clean, batch=batch)
            _set(
                batch.pk, status=ImportStatus.DONE, imported_rows=count, finished_at=timezone.now(), errors=[]
            )
    except (ValidationError, PermissionDenied) as exc:
        fail([{"row": None, "column": "", "message": m} for m in getattr(exc, "messages", [str(exc)])])
    return ImportBatch.objects.get(pk=batch.pk)


def retry_import(*, batch: ImportBatch, actor) -> ImportBatch:
    """Queue a batch again whose worker died (core/jobs.py marked it failed): from the start, with
    the file already stored. Nothing of the interrupted run was saved (the import is one transaction)."""
    from .. import tasks
    from ..permissions import can_manage_unit

    if not can_manage_unit(actor, batch.unit):
        raise PermissionDenied
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not is_retryable(batch):
            raise ValidationError(_("只有處理中斷的匯入可以重試。"))
        _set(
            batch.pk, status=ImportStatus.PENDING, processed_rows=0, total_rows=0, errors=[], finished_at=None
        )
        record_event(
            actor=actor,
            action="import.retried",
            target=batch,
            changes={"file": batch.original_name},
            organisation=batch.unit.organisation,
        )
        queue_after_commit(tasks.run_import, batch.pk)
    batch.refresh_from_db()
    return batch


def is_retryable(batch: ImportBatch) -> bool:
    return batch.status == ImportStatus.FAILED and any(e.get("stalled") for e in batch.errors or [])


# --- Templates ----------------------------------------------------------------------------------


def template_rows(kind: str) -> list[list[str]]:
    columns = COLUMNS[kind]
    return [[c.header for c in columns], [c.example for c in columns]]


def template_csv(kind: str) -> bytes:
    buffer = io.StringIO()
    csv_writer(buffer).writerows(template_rows(kind))
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

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
