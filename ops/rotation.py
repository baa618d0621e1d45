"""Moving every stored personal identifier onto the newest keys (``manage.py rotate_field_keys``).

Each encrypted column is re-encrypted with the newest FIELD_ENCRYPTION_KEYS key, and its lookup
hash (when it has one) recomputed with the newest FIELD_HASH_KEYS key. Rows are taken in primary-key
order, a batch at a time, each batch locked and committed on its own: stopping half-way loses
nothing, and running again skips the rows already done (resumable). Until every row is done the
older keys must stay configured: reads try every encryption key, lookups every hash key.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from core.crypto import EncryptedTextField, decrypt, encrypted_with_newest_key, lookup_hash

BATCH_SIZE = 500


@dataclass
class Column:
    model: type
    field: str
    hash_field: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"


@dataclass
class Progress:
    column: str
    seen: int
    total: int
    rewritten: int


def encrypted_columns() -> list[Column]:
    return [
        Column(model, field.name, field.lookup_hash_field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def _stored(column: Column):
    """Rows as stored: the token itself (cast, so the field does not decrypt it) and the hash."""
    values = ["pk", "stored"] + ([column.hash_field] if column.hash_field else [])
    return column.model._default_manager.annotate(stored=Cast(column.field, TextField())).values_list(*values)


def _is_current(column: Column, row) -> bool:
    token = row[1]
    if not encrypted_with_newest_key(token):
        return False
    if column.hash_field and token:
        return row[2] == lookup_hash(decrypt(token))
    return True


def stale_rows(column: Column) -> int:
    """How many rows are not yet on the newest keys (0: the older keys may be removed)."""
    return sum(1 for row in _stored(column).iterator(chunk_size=BATCH_SIZE) if not _is_current(column, row))


def rotate(column: Column, *, batch_size: int = BATCH_SIZE) -> Iterator[Progress]:
    manager = column.model._default_manager
    total = manager.count()
    seen = rewritten = 0
    last_pk = None
    while True:
        with transaction.atomic():
            rows = _stored(column).select_for_update().order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows[:batch_size])
            if not batch:
                return
            for row in batch:
                if _is_current(column, row):
                    continue
                # Read with any key; written back through the field, so with the newest key.
                value = decrypt(row[1])
                changes = {column.field: value}
                if column.hash_field and value:
                    changes[column.hash_field] = lookup_hash(value)
                manager.filter(pk=row[0]).update(**changes)
                rewritten += 1
        seen += len(batch)
        last_pk = batch[-1][0]
        yield Progress(column.label, seen, total, rewritten)


def rotate_all(*, batch_size: int = BATCH_SIZE, report: Callable[[Progress], None] = lambda p: None) -> int:
    rewritten = 0
    for column in encrypted_columns():
        progress = None
        for progress in rotate(column, batch_size=batch_size):
            report(progress)
        rewritten += progress.rewritten if progress else 0
    return rewritten
