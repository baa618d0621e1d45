"""Importing volunteers and service records from XLSX or CSV (and the API's bulk posts).

A file is read whole and **every** row validated before anything is written; then it is imported
in one transaction with ``bulk_create`` — or refused with the list of errors (row as the user sees
it in the spreadsheet, column header, zh-Hant reason) and nothing written.

Speed (100,000 service records well under a minute on PostgreSQL): no per-row query. The unit's
members are loaded once by ``identity_hash``; the 24-hour rule is checked with one aggregate query
over the file's (volunteer, day) pairs, repeated inside the import transaction after the
volunteers' rows are locked (someone may have recorded hours meanwhile).

Reading files and the templates: files.py; volunteer rows: volunteer_rows.py; here the service
records and the batches the Celery task runs.
"""

import contextlib
import time
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from core.crypto import lookup_hashes
from core.queueing import queue_after_commit
from core.validators import normalise_id

from .. import tasks
from ..hours import rules as hour_rules
from ..hours import services as hours_services
from ..models import (
    MAX_HOURS_PER_DAY,
    ImportBatch,
    ImportKind,
    ImportStatus,
    Membership,
    ServiceRecord,
    ServiceRecordSource,
    ServiceRecordStatus,
)
from ..permissions import can_manage_unit
from ..registry import identity
from ..workflows import IMPORT_FLOW
from .files import (
    BATCH_SIZE,
    COLUMNS,
    MAX_BYTES,
    PROGRESS_EVERY,
    PROGRESS_SECONDS,
    RowError,
    cell_text,
    date_cell,
    domain_by_text,
    header_of,
    iter_table,
    rows_as_dicts,
)
from .volunteer_rows import save_volunteer_rows, validate_volunteer_rows

MAX_STORED_ERRORS = 500


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
                        "message": hour_rules.over_the_day_message(row["served_on"], already, row["hours"]),
                    }
                )
    errors.sort(key=lambda e: e["row"])
    return clean, errors


def _service_row(item, members, today) -> dict:
    digest = item.get("identity_hash")
    if digest:
        membership = members.get(digest)
    else:
        number = normalise_id(cell_text(item.get("identity_number")))
        if not number:
            raise RowError("identity_number", _("必填。"))
        # Every hash key: while the hash key is rotated, a member may still carry the older hash.
        membership = next((members[d] for d in lookup_hashes(number) if d in members), None)
    if membership is None:
        raise RowError("identity_number", _("查無此證件號碼的本單位志工（請先匯入或登錄志工名冊）。"))
    name = cell_text(item.get("name"))
    if name and name != membership.volunteer.name:
        raise RowError("name", _("姓名「%(name)s」與證件號碼登記的志工不符。") % {"name": name})
    served_on = date_cell(item, "served_on")
    if served_on > today:
        raise RowError("served_on", _("服務日期不可晚於今天。"))
    if not hour_rules.serving_on(membership, served_on):
        raise RowError("served_on", _("此日期志工不在本單位的在隊期間。"))
    raw_hours = item.get("hours")
    if raw_hours in (None, ""):
        raise RowError("hours", _("必填。"))
    try:
        hours = hour_rules.clean_hours(cell_text(raw_hours))
    except ValidationError as exc:
        raise RowError("hours", exc.messages[0]) from None
    domain_text = cell_text(item.get("domain"))
    if domain_text:
        domain = domain_by_text().get(domain_text)
        if domain is None:
            raise RowError(
                "domain",
                _("「%(value)s」不是服務領域（例如 社會福利、衛生保健、教育）。") % {"value": domain_text},
            )
    else:
        domain = membership.main_domain
    activity = cell_text(item.get("activity"))
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
                hour_rules.over_the_day_message(pair[1], recorded.get(pair, Decimal(0)), total)
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


# --- Batches (the Celery task's body) ---------------------------------------------------------------


def start_import(*, unit, actor, kind: str, upload) -> ImportBatch:
    """Store the upload and queue the import (the task runs after the commit)."""
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


def _progress_writer(batch_id):
    """Save the rows checked so far, at most every PROGRESS_SECONDS: the page's bar moves while a
    worker checks a big file, without a write per row."""
    last = [0.0]

    def report(n):
        now = time.monotonic()
        if now - last[0] >= PROGRESS_SECONDS:
            last[0] = now
            _set(batch_id, processed_rows=n)

    return report


def run_import(batch_id: int) -> ImportBatch:
    """Validate the whole file (progress saved as it goes), then import it whole or refuse it."""
    batch = ImportBatch.objects.select_related("unit__organisation", "created_by").get(pk=batch_id)
    if not IMPORT_FLOW.can(batch.status, "validate"):
        return batch  # finished, or marked stalled (its page offers a retry)
    _set(batch.pk, status=IMPORT_FLOW.target(batch.status, "validate"), processed_rows=0)

    def fail(errors):
        _set(batch.pk, status=IMPORT_FLOW.moves["fail"].target, errors=errors, finished_at=timezone.now())

    try:
        with batch.file.open("rb") as handle, contextlib.closing(iter_table(handle)) as table:
            rows = rows_as_dicts(table, COLUMNS[batch.kind])  # a stream, stopped at the row limit
    except ValidationError as exc:
        fail([{"row": None, "column": "", "message": m} for m in exc.messages])
        return ImportBatch.objects.get(pk=batch.pk)
    _set(batch.pk, total_rows=len(rows))
    progress = _progress_writer(batch.pk)

    if batch.kind == ImportKind.SERVICE_RECORDS:
        clean, errors = validate_service_rows(batch.unit, rows, progress=progress)
    else:
        try:
            identity.ensure_not_blocked(batch.created_by)
        except ValidationError as exc:
            fail([{"row": None, "column": "", "message": m} for m in exc.messages])
            return ImportBatch.objects.get(pk=batch.pk)
        clean, errors = validate_volunteer_rows(batch.unit, rows, progress=progress, actor=batch.created_by)
    if errors:
        # Every row was checked: the page says so ("已檢查 9 / 9 列"), not how far the last report got.
        _set(batch.pk, processed_rows=len(rows))
        fail(_stored(batch.kind, errors))
        return ImportBatch.objects.get(pk=batch.pk)
    _set(batch.pk, status=IMPORT_FLOW.target(ImportStatus.VALIDATING, "import"), processed_rows=len(rows))
    try:
        with transaction.atomic():
            # Safe to run twice (a message redelivered after its worker died, a retry): the batch row
            # is locked, and a batch another run has already imported is left alone.
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if not IMPORT_FLOW.can(locked.status, "finish"):
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
                batch.pk,
                status=IMPORT_FLOW.target(locked.status, "finish"),
                imported_rows=count,
                finished_at=timezone.now(),
                errors=[],
            )
    except (ValidationError, PermissionDenied) as exc:
        fail([{"row": None, "column": "", "message": m} for m in getattr(exc, "messages", [str(exc)])])
    return ImportBatch.objects.get(pk=batch.pk)


def retry_import(*, batch: ImportBatch, actor) -> ImportBatch:
    """Queue a batch again whose worker died (core/jobs.py marked it failed): from the start, with
    the file already stored. Nothing of the interrupted run was saved (the import is one transaction)."""
    if not can_manage_unit(actor, batch.unit):
        raise PermissionDenied
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not is_retryable(batch):
            raise ValidationError(_("只有處理中斷的匯入可以重試。"))
        _set(
            batch.pk,
            status=IMPORT_FLOW.target(batch.status, "retry"),
            processed_rows=0,
            total_rows=0,
            errors=[],
            finished_at=None,
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
    return IMPORT_FLOW.can(batch.status, "retry") and any(e.get("stalled") for e in batch.errors or [])
