"""One rule for ID numbers (core/validators.py): full-width forms typed on phones become ASCII,
any other script's digits are refused with their own message, the checksum is checked; and no other
module carries its own ID-number pattern."""

import datetime
import pathlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.crypto import lookup_hash
from core.validators import (
    IdentityKind,
    normalise_id,
    validate_identity_number,
    validate_national_id,
    validate_receipt_id,
    validate_resident_certificate,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        (IdentityKind.NATIONAL_ID, "Ａ１２３４５６７８９", "A123456789"),
        # The ideographic space and the full-width hyphen go, as their half-width forms do.
        (IdentityKind.NATIONAL_ID, "ａ１２３　４５６－７８９", "A123456789"),
        (IdentityKind.NATIONAL_ID, "A12３45６789", "A123456789"),  # mixed widths
        (IdentityKind.RESIDENT_CERTIFICATE, "Ａ８００００００１４", "A800000014"),
        (IdentityKind.RESIDENT_CERTIFICATE, "ＡＣ０１２３４５６７", "AC01234567"),
        (IdentityKind.PASSPORT, "Ｅ１２３４５６７８", "E12345678"),
    ],
)
def test_full_width_letters_and_digits_are_accepted_and_returned_as_ascii(kind, typed, stored):
    assert validate_identity_number(kind, typed) == stored


def test_full_width_numbers_still_have_their_checksum_checked():
    with pytest.raises(ValidationError) as exc:
        validate_national_id("Ａ１２３４５６７８８")
    assert exc.value.code == "checksum"


@pytest.mark.parametrize(
    "typed",
    [
        "A١٢٣٤٥٦٧٨٩",  # Arabic-Indic
        "A۱۲۳۴۵۶۷۸۹",  # Extended Arabic-Indic (Persian)
        "A१२३४५६७८९",  # Devanagari
        "A๑๒๓๔๕๖๗๘๙",  # Thai
        "A12345678٩",  # one foreign digit at the end: the old `\d` pattern took it, int() read it as 9
        "A①23456789",  # circled
        "A¹23456789",  # superscript
    ],
)
def test_digits_of_other_scripts_are_refused_with_their_own_message(typed):
    for validate in (validate_national_id, validate_resident_certificate):
        with pytest.raises(ValidationError) as exc:
            validate(typed)
        assert exc.value.code == "digits"
        assert "0–9" in exc.value.messages[0]
    with pytest.raises(ValidationError, match="0–9"):
        validate_identity_number(IdentityKind.PASSPORT, typed)
    with pytest.raises(ValidationError, match="0–9"):
        validate_receipt_id("person", typed)


def test_the_foreign_digit_message_is_translated_into_english():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_national_id("A١٢٣٤٥٦٧٨٩")
    assert "digits 0–9" in exc.value.messages[0]


def test_a_receipt_id_typed_in_full_width_is_kept_in_ascii():
    assert validate_receipt_id("person", "Ａ１２３４５６７８９") == "A123456789"
    assert validate_receipt_id("person", "Ａ８００００００１４") == "A800000014"


def test_normalise_id_leaves_foreign_digits_for_the_validators_to_refuse():
    assert normalise_id("ａ１２٣") == "A12٣"


@pytest.mark.django_db
def test_a_volunteer_registered_in_full_width_is_stored_and_hashed_in_ascii():
    from tests.volunteers.factories import UnitFactory, officer_of
    from volunteers.registry import services

    unit = UnitFactory()
    volunteer = services.register_volunteer(
        unit=unit,
        actor=officer_of(unit),
        name="歐陽娜娜",
        identity_kind=IdentityKind.NATIONAL_ID,
        identity_number="Ａ１２３４５６７８９",
        birth_date=datetime.date(1955, 3, 30),
        sex="F",
        main_domain="social_welfare",
    )
    volunteer.refresh_from_db()
    assert volunteer.identity_number == "A123456789"
    assert volunteer.identity_hash == lookup_hash("A123456789")


@pytest.mark.django_db
def test_a_volunteer_claims_their_record_typing_the_id_in_full_width():
    from accounts.roles import Role
    from tests.accounts.factories import make_user
    from tests.volunteers.factories import UnitFactory, member_of
    from volunteers.registry import services

    volunteer = member_of(
        UnitFactory(),
        identity_number="A123456789",
        identity_hash=lookup_hash("A123456789"),
        birth_date=datetime.date(1960, 1, 2),
    )
    user = make_user(Role.DONOR)
    claimed = services.claim_volunteer_record(
        user=user,
        identity_kind=IdentityKind.NATIONAL_ID,
        identity_number="Ａ１２３４５６７８９",
        birth_date=datetime.date(1960, 1, 2),
    )
    assert claimed == volunteer


# Patterns shaped like an ID number: a letter class followed by the ID's second-character class, or
# eight or nine digits in a row. Only core/validators.py may hold them, except the allow-list below.
_ID_SHAPED = re.compile(r"\[A-Z\]\[|\[A-Za-z\]\\d|\[A-Z\]\(?\\d|\\d\{8\}|\\d\{9\}|\[0-9\]\{8,9\}|\[1289A-D\]")
_ALLOWED = {
    "core/validators.py": "the one rule",
    # Masking, not validation: these hide anything ID-shaped in free text (log records, published
    # hand-out recipients); matching more than a valid ID (`\d`, any script) is the safe side there.
    "core/logging.py": "redacts ID-shaped text in log records",
    "disclosure/masking.py": "keeps ID-shaped text out of published recipients",
}
_APPS = [
    "accounts", "audit", "core", "corporate", "dashboard", "disclosure", "donations", "honorcards",
    "largeevents", "opportunities", "ops", "privacy", "programs", "public", "volunteers", "config",
]  # fmt: skip


def test_no_module_but_core_validators_carries_an_id_number_pattern():
    carriers = set()
    for app in _APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            if _ID_SHAPED.search(path.read_text(encoding="utf-8")):
                carriers.add(path.relative_to(ROOT).as_posix())
    assert carriers == set(_ALLOWED), "validate ID numbers with core.validators, not a pattern of your own"


def test_the_id_pattern_check_finds_a_pattern_of_its_own():
    # The grep above would catch the shapes a module would write.
    for text in (r'r"^[A-Z][12]\d{8}$"', r're.compile(r"[A-Za-z]\d{9}")', r'r"[A-Z]\d{9}"'):
        assert _ID_SHAPED.search(text)
