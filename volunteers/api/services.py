"""What the units' API and the API-key page do, one service per request: the views only parse and
answer. The same services as the web pages do the work underneath (registration, service rows)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from core.crypto import lookup_hashes
from core.validators import normalise_id

from ..hours import services as hours_services
from ..imports import services as imports
from ..models import ServiceRecordSource, UnitApiToken, Volunteer
from ..registry import services as registry
from .auth import issue_token

# What an upsert may change on a volunteer the unit already has.
PATCHABLE = (
    "name",
    "birth_date",
    "sex",
    "phone",
    "email",
    "address",
    "record_book_number",
    "record_book_issued_on",
    "service_started_on",
)


# --- API keys ----------------------------------------------------------------------------------


@transaction.atomic
def issue_api_key(*, unit, actor, name: str) -> tuple[UnitApiToken, str]:
    """A new key for the unit, audited; the plain key is returned once and never stored."""
    token, key = issue_token(unit=unit, actor=actor, name=name)
    record_event(
        actor=actor,
        action="api_token.issued",
        target=token,
        changes={"name": token.name, "prefix": token.prefix},
        organisation=unit.organisation,
    )
    return token, key


@transaction.atomic
def revoke_api_key(*, token: UnitApiToken, actor) -> bool:
    """Stop a key (audited); False when it was already stopped."""
    token = UnitApiToken.objects.select_for_update().select_related("unit__organisation").get(pk=token.pk)
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(
        actor=actor,
        action="api_token.revoked",
        target=token,
        changes={"prefix": token.prefix},
        organisation=token.unit.organisation,
    )
    return True


# --- Volunteers --------------------------------------------------------------------------------


def upsert_volunteer(*, unit, actor, data: dict) -> tuple[Volunteer, bool]:
    """Update the unit's volunteer with that ID number, else register one; (volunteer, created)."""
    digests = lookup_hashes(normalise_id(data["identity_number"]))
    existing = Volunteer.objects.filter(identity_hash__in=digests, memberships__unit=unit).first()
    if existing:
        fields = {f: data[f] for f in PATCHABLE if f in data}
        return registry.update_volunteer(volunteer=existing, actor=actor, unit=unit, **fields), False
    return registry.register_volunteer(unit=unit, actor=actor, channel="api", **data), True


# --- Bulk service records ----------------------------------------------------------------------


class BulkRefused(Exception):
    """Nothing was written; ``errors`` are ``{"index", "field", "message"}`` (index None: the request)."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def _request_refused(exc: ValidationError) -> BulkRefused:
    return BulkRefused([{"index": None, "field": "", "message": m} for m in exc.messages])


def _bulk_row(index: int, data: dict, hashes: dict) -> dict:
    """The import's row for one item; ValidationError (field, message) when it names nobody."""
    row = {
        "_row": index,
        "served_on": data["served_on"],
        "hours": str(data["hours"]),
        "domain": data.get("domain", ""),
        "activity": data.get("activity", ""),
    }
    if "volunteer_id" in data:
        digest = hashes.get(data["volunteer_id"])
        if digest is None:
            raise ValidationError({"volunteer_id": _("查無此本單位志工。")})
        row["identity_hash"] = digest
    elif data.get("identity_number"):
        row["identity_number"] = data["identity_number"]
    else:
        raise ValidationError({"identity_number": _("請填 volunteer_id 或 identity_number。")})
    return row


def bulk_rows(unit, items: list[tuple[int, dict]]) -> tuple[list[dict], list[dict]]:
    """(rows for the import's validation, errors) for the parsed items ``(index, data)``."""
    ids = {data["volunteer_id"] for _, data in items if "volunteer_id" in data}
    hashes = dict(
        Volunteer.objects.filter(pk__in=ids, memberships__unit=unit).values_list("pk", "identity_hash")
    )
    rows, errors = [], []
    for index, data in items:
        try:
            rows.append(_bulk_row(index, data, hashes))
        except ValidationError as exc:
            errors += [
                {"index": index, "field": field, "message": messages[0]}
                for field, messages in exc.message_dict.items()
            ]
    return rows, errors


def record_bulk_service_records(*, unit, actor, items: list[tuple[int, dict]], errors: list[dict]) -> int:
    """Record the items all or nothing (the import's checks and writer); ``errors`` are those the
    caller already found in the items. Returns how many were created; BulkRefused otherwise."""
    rows, row_errors = bulk_rows(unit, items)
    errors = errors + row_errors
    try:
        hours_services.check_unit(unit=unit, actor=actor)
    except ValidationError as exc:
        raise _request_refused(exc) from None
    clean, invalid = imports.validate_service_rows(unit, rows)
    errors += [{"index": e["row"], "field": e["key"], "message": e["message"]} for e in invalid]
    if errors:
        raise BulkRefused(sorted(errors, key=lambda e: e["index"]))
    try:
        return imports.save_service_rows(unit=unit, actor=actor, clean=clean, source=ServiceRecordSource.API)
    except ValidationError as exc:
        raise _request_refused(exc) from None
