"""Finding a person already on the register without turning the ID number into an oracle.

A unit that registers (page, API or import) someone whose ID number is already on the register is
matched to that person only when the birth date and the name agree too: knowing an ID number alone
must not show anybody's name, birth date, contact details or service. Otherwise the answer is one
neutral refusal, the same whatever did not agree, naming nothing stored; the attempt is audited and
counted, and an officer with too many refusals is stopped from registering anybody for a while
(stopped for new people too, so the stop itself tells nothing).

Names agree when they are the same after these documented variants are set aside:
- spaces (half- and full-width) and the separators of transliterated and indigenous names
  (·・‧•．. and hyphens);
- full-width and half-width forms (NFKC) and letter case;
- the variant characters common in names: 台/臺, 黄/黃, 温/溫, 峯/峰, 裡/裏, 堃/坤, 喆/哲 .
A different name (a legal name change, for example) is for the volunteer centre to settle.
"""

import re
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from core.ratelimit import counted, hit
from core.validators import mask_identity_number

from .. import permissions

REFUSALS_PER_WINDOW = 5
WINDOW_SECONDS = 60 * 60
_SEPARATORS = re.compile(r"[\s·・‧•．.\-‐－]+")
_VARIANTS = str.maketrans("台黄温峯裡堃喆", "臺黃溫峰裏坤哲")


def refusal_message() -> str:
    return _(
        "無法以這組資料登錄：證件號碼、出生日期與姓名必須與志工本人的資料一致。"
        "請向志工再次核對證件上的資料；若確認無誤，請洽志願服務推廣中心協助。"
    )


def blocked_message() -> str:
    return _("短時間內資料不符的次數過多，暫停登錄志工一小時。如需協助，請洽志願服務推廣中心。")


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").casefold()
    return _SEPARATORS.sub("", text).translate(_VARIANTS)


def same_name(a: str, b: str) -> bool:
    return normalise_name(a) == normalise_name(b)


def agrees(volunteer, *, birth_date, name) -> bool:
    """Whether what the officer gave is this person: birth date and name (with its variants)."""
    return volunteer.birth_date == birth_date and same_name(volunteer.name, name)


class IdentityMismatch(Exception):
    """Raised inside a registration's transaction; handled (audited, counted) outside it."""

    def __init__(self, volunteer):
        super().__init__("identity details do not agree")
        self.volunteer = volunteer


def _key(actor) -> str:
    return f"volunteers:identity-refusals:{actor.pk}"


def ensure_not_blocked(actor) -> None:
    """Refuse every registration (new people too) while the officer is over the limit: the same
    window, by the same clock, that ``refuse`` counts in (core.ratelimit)."""
    if counted(_key(actor), WINDOW_SECONDS) >= REFUSALS_PER_WINDOW:
        raise ValidationError(blocked_message(), code="identity_blocked")


def refuse(*, actor, unit, volunteer, channel: str, field_errors: bool = True) -> ValidationError:
    """Audit and count one refused match; return the error to raise (the caller raises it).

    Runs in its own transaction so the record stays when the registration is rolled back."""
    with transaction.atomic():
        record_event(
            actor=actor,
            action="volunteer.identity_refused",
            target=volunteer,
            changes={"identity": mask_identity_number(volunteer.identity_number), "channel": channel},
            organisation=unit.organisation,
        )
    hit(_key(actor), REFUSALS_PER_WINDOW, WINDOW_SECONDS)
    if field_errors:
        return ValidationError({"identity_number": refusal_message()}, code="identity_refused")
    return ValidationError(refusal_message(), code="identity_refused")


def refuse_rows(*, actor, unit, rows: list[dict], existing: dict) -> tuple[list[dict], list[dict]]:
    """An import's rows against the people already on the register (``existing``: newest hash →
    person). Rows that name a known person with another birth date or name become row errors.
    Returns (rows kept, errors as {"row", "key", "message"})."""
    kept, errors = [], []
    for row in rows:
        person = existing.get(row["identity_hash"])
        if person is not None and not agrees(person, birth_date=row["birth_date"], name=row["name"]):
            refuse(actor=actor, unit=unit, volunteer=person, channel="import")
            errors.append({"row": row["_row"], "key": "identity_number", "message": refusal_message()})
        else:
            kept.append(row)
    return kept, errors


# --- The explicit "show" --------------------------------------------------------------------------

IDENTITY_REVEALED = "volunteer.identity_revealed"


def reveal(*, volunteer, actor, reason: str) -> str:
    """The whole ID number, for one look, recorded: who, whose, when, why (the person sees it in
    their data download). The caller has checked ``permissions.can_see_full_identity_number``."""
    if not permissions.can_see_full_identity_number(actor, volunteer):
        raise PermissionDenied
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("請說明為何需要查看完整證件號碼。")})
    with transaction.atomic():
        record_event(
            actor=actor,
            action=IDENTITY_REVEALED,
            target=volunteer,
            changes={"identity": mask_identity_number(volunteer.identity_number)},
            reason=reason[:200],
            organisation=getattr(actor, "organisation", None),
        )
    return volunteer.identity_number
