"""Importing volunteers: every row validated first, then registered or updated in one transaction
(new people through the register's own service, so the same checks and audit apply)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from core.crypto import lookup_hash, lookup_hashes
from core.validators import validate_identity_number

from ..models import ImportBatch, Membership, Volunteer
from ..permissions import can_manage_unit
from ..registry import identity
from ..registry.services import VOLUNTEER_FIELDS
from .files import (
    BATCH_SIZE,
    KIND_BY_TEXT,
    PROGRESS_EVERY,
    SEX_BY_TEXT,
    RowError,
    cell_text,
    date_cell,
    domain_by_text,
)


def validate_volunteer_rows(
    unit, rows: list[dict], *, progress=None, actor=None
) -> tuple[list[dict], list[dict]]:
    """Each row on its own, then the rows naming people already on the register against them: the
    same rule as the page and the API (``registry.identity``), so a file is no ID-number oracle."""
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
    if actor is not None and clean:
        newest = {d: row["identity_hash"] for row in clean for d in lookup_hashes(row["identity_number"])}
        existing = {
            newest[v.identity_hash]: v
            for v in Volunteer.objects.filter(identity_hash__in=list(newest)).only(
                "pk", "name", "birth_date", "identity_number", "identity_hash"
            )
        }
        clean, refused = identity.refuse_rows(actor=actor, unit=unit, rows=clean, existing=existing)
        errors = sorted(errors + refused, key=lambda e: e["row"])
    return clean, errors


def _volunteer_row(unit, item) -> dict:
    name = cell_text(item.get("name"))
    if not name:
        raise RowError("name", _("必填。"))
    if len(name) > 100:
        raise RowError("name", _("姓名最多 100 字。"))
    kind = KIND_BY_TEXT.get(cell_text(item.get("identity_kind")))
    if kind is None:
        raise RowError("identity_kind", _("證件類別須為 身分證、居留證 或 護照。"))
    try:
        number = validate_identity_number(kind, cell_text(item.get("identity_number")))
    except ValidationError as exc:
        raise RowError("identity_number", exc.messages[0]) from None
    birth_date = date_cell(item, "birth_date")
    if birth_date > timezone.localdate() or birth_date.year < 1900:
        raise RowError("birth_date", _("出生日期不合理。"))
    sex_text = cell_text(item.get("sex"))
    sex = SEX_BY_TEXT.get(sex_text) or SEX_BY_TEXT.get(sex_text.upper())
    if sex is None:
        raise RowError("sex", _("性別須為 男、女 或 其他。"))
    domain_text = cell_text(item.get("main_domain"))
    domain = domain_by_text().get(domain_text) if domain_text else unit.main_domain
    if domain is None:
        raise RowError("main_domain", _("「%(value)s」不是服務領域。") % {"value": domain_text})
    email = cell_text(item.get("email"))
    if email:
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
        "joined_on": date_cell(item, "joined_on", required=False) or timezone.localdate(),
        "phone": cell_text(item.get("phone"))[:40],
        "email": email,
        "address": cell_text(item.get("address"))[:255],
        "record_book_number": cell_text(item.get("record_book_number"))[:60],
        "record_book_issued_on": date_cell(item, "record_book_issued_on", required=False),
        "service_started_on": date_cell(item, "service_started_on", required=False),
    }


# The register's own field list (one place), plus the ID kind a file names per row.
PERSON_FIELDS = ("identity_kind", *VOLUNTEER_FIELDS)


# Contact and record-book fields a known person's blank ones are filled in from the file.
FILLABLE_FIELDS = (
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
    if not can_manage_unit(actor, unit):
        raise PermissionDenied(_("只有本單位的承辦人可匯入志工。"))
    # Known people by every hash key (while the hash key is rotated some still carry the older one),
    # found again under the newest hash, which each row carries.
    newest = {d: row["identity_hash"] for row in clean for d in lookup_hashes(row["identity_number"])}
    existing = {
        newest[v.identity_hash]: v
        for v in Volunteer.objects.select_for_update().filter(identity_hash__in=list(newest))
    }
    new = _create_new_people(clean, existing)
    _fill_known_people(clean, existing)
    ids = {
        newest[digest]: pk
        for digest, pk in Volunteer.objects.filter(identity_hash__in=list(newest)).values_list(
            "identity_hash", "pk"
        )
    }
    members = {m.volunteer_id: m for m in Membership.objects.filter(unit=unit, volunteer_id__in=ids.values())}
    rejoined = _rejoin_members(clean, ids, members)
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
            "new_people": new,
            "new_members": len(clean) - len(members),
            "rejoined": rejoined,
        },
        organisation=unit.organisation,
    )
    return len(clean)


def _create_new_people(clean: list[dict], existing: dict) -> int:
    """Register the rows' people not known yet; returns how many."""
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
    return len(new)


def _fill_known_people(clean: list[dict], existing: dict) -> None:
    """Known people keep their record; only their blank contact and record-book fields are filled."""
    filled = []
    for row in clean:
        person = existing.get(row["identity_hash"])
        if person is None:
            continue
        if not identity.agrees(person, birth_date=row["birth_date"], name=row["name"]):
            # Registered by another unit since the file was checked: refuse the file, as the check would.
            raise ValidationError(identity.refusal_message())
        blanks = [f for f in FILLABLE_FIELDS if not getattr(person, f) and row[f]]
        for f in blanks:
            setattr(person, f, row[f])
        if blanks:
            filled.append(person)
    if filled:
        Volunteer.objects.bulk_update(filled, list(FILLABLE_FIELDS), batch_size=BATCH_SIZE)


def _rejoin_members(clean: list[dict], ids: dict, members: dict) -> int:
    """Former members in the file are back in the unit (復隊); returns how many."""
    rejoined = []
    for row in clean:
        membership = members.get(ids[row["identity_hash"]])
        if membership is not None and membership.left_on is not None:
            membership.left_on = None
            membership.joined_on = row["joined_on"]
            membership.main_domain = row["main_domain"]
            rejoined.append(membership)
    if rejoined:
        Membership.objects.bulk_update(
            rejoined, ["left_on", "joined_on", "main_domain"], batch_size=BATCH_SIZE
        )
    return len(rejoined)
