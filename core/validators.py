r"""Validators for the identity documents volunteers and donors give: Taiwan national IDs,
resident certificates (both formats) and passports; and the masking shown on screens.

The one rule for every ID number the portal takes (volunteers, applicants, team members, receipts,
imports, the units' API, companies' 統一編號): ``normalise_id`` turns the full-width forms phones type
(Ａ–Ｚ, ａ–ｚ, ０–９, the full-width space and hyphen) into ASCII; the patterns below then accept ASCII letters and digits
only (``[0-9]``, never ``\d``, which matches every script's digits), and any other digit (Arabic-Indic
٣, Devanagari ३, circled ①…) is refused with its own message. Other modules call these functions and
keep no pattern of their own (tests/core/test_identity_validators.py checks).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Letter → two-digit area code used in the checksum (I, O, W, X, Y, Z are out of order).
_LETTER_CODES = {
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "I": 34, "J": 18,
    "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23, "Q": 24, "R": 25, "S": 26, "T": 27,
    "U": 28, "V": 29, "W": 32, "X": 30, "Y": 31, "Z": 33,
}  # fmt: skip
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 1)

NATIONAL_ID_RE = re.compile(r"[A-Z][12][0-9]{8}")
# Resident certificate since 2021: a letter, 8 or 9, then eight digits (same checksum as the ID).
NEW_RESIDENT_RE = re.compile(r"[A-Z][89][0-9]{8}")
# Resident certificate before 2021: two letters (the second A–D), then eight digits.
OLD_RESIDENT_RE = re.compile(r"[A-Z][A-D][0-9]{8}")
PASSPORT_RE = re.compile(r"[A-Z0-9]{6,20}")

# Full-width ASCII (U+FF01–U+FF5E) → ASCII, and the ideographic space → a space.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def normalise_id(value: str) -> str:
    """The form an ID number is checked, stored and hashed in: full-width letters and digits made
    ASCII, upper case, without spaces and hyphens. Other characters are left for the validators."""
    value = (value or "").translate(_FULL_WIDTH)
    return value.strip().upper().replace(" ", "").replace("-", "")


def _foreign_digits(value: str) -> bool:
    """Whether ``value`` holds a digit other than ASCII 0–9 (after ``normalise_id``)."""
    # isdigit: every script's decimal digits (٣ ३ ๓), and superscript and circled ones (² ①).
    return any(ch.isdigit() and not ch.isascii() for ch in value)


def _refuse_foreign_digits(value: str) -> None:
    if _foreign_digits(value):
        raise ValidationError(
            _("證件號碼只能使用阿拉伯數字 0–9（半形或全形皆可），不接受其他文字的數字（例如 ٣、३）。"),
            code="digits",
        )


def _checksum_ok(first: str, second_digit: int, digits: str) -> bool:
    code = _LETTER_CODES[first]
    total = code // 10 + (code % 10) * 9 + second_digit * _WEIGHTS[0]
    total += sum(int(d) * w for d, w in zip(digits[:7], _WEIGHTS[1:], strict=True))
    total += int(digits[7])
    return total % 10 == 0


def is_valid_national_id(value: str) -> bool:
    value = normalise_id(value)
    return bool(NATIONAL_ID_RE.fullmatch(value)) and _checksum_ok(value[0], int(value[1]), value[2:])


def is_valid_resident_certificate(value: str) -> bool:
    value = normalise_id(value)
    if NEW_RESIDENT_RE.fullmatch(value):
        return _checksum_ok(value[0], int(value[1]), value[2:])
    if OLD_RESIDENT_RE.fullmatch(value):
        # The old format's second letter counts by the last digit of its area code.
        return _checksum_ok(value[0], _LETTER_CODES[value[1]] % 10, value[2:])
    return False


def validate_national_id(value: str) -> None:
    value = normalise_id(value)
    _refuse_foreign_digits(value)
    if not NATIONAL_ID_RE.fullmatch(value):
        raise ValidationError(
            _("身分證字號格式錯誤：應為 1 個英文字母加 9 個數字，第 2 碼為 1 或 2（例如 A123456789）。"),
            code="format",
        )
    if not is_valid_national_id(value):
        raise ValidationError(_("身分證字號檢查碼錯誤，請再確認一次。"), code="checksum")


def validate_resident_certificate(value: str) -> None:
    value = normalise_id(value)
    _refuse_foreign_digits(value)
    if not (NEW_RESIDENT_RE.fullmatch(value) or OLD_RESIDENT_RE.fullmatch(value)):
        raise ValidationError(
            _(
                "居留證號格式錯誤：新式為 1 個英文字母加 8 或 9 開頭的 9 位數字（例如 A800000014），"
                "舊式為 2 個英文字母加 8 個數字（例如 AB12345677）。"
            ),
            code="format",
        )
    if not is_valid_resident_certificate(value):
        raise ValidationError(_("居留證號檢查碼錯誤，請再確認一次。"), code="checksum")


def validate_passport(value: str) -> None:
    value = normalise_id(value)
    _refuse_foreign_digits(value)
    if not PASSPORT_RE.fullmatch(value):
        raise ValidationError(_("護照號碼應為 6 至 20 個英文字母或數字。"), code="format")


class IdentityKind:
    NATIONAL_ID = "national_id"
    RESIDENT_CERTIFICATE = "resident_certificate"
    PASSPORT = "passport"

    choices = [
        (NATIONAL_ID, gettext_lazy("身分證")),
        (RESIDENT_CERTIFICATE, gettext_lazy("居留證")),
        (PASSPORT, gettext_lazy("護照")),
    ]


_VALIDATORS = {
    IdentityKind.NATIONAL_ID: validate_national_id,
    IdentityKind.RESIDENT_CERTIFICATE: validate_resident_certificate,
    IdentityKind.PASSPORT: validate_passport,
}


def validate_identity_number(kind: str, value: str) -> str:
    """Validate ``value`` as a document of ``kind`` and return it normalised (upper case, no spaces)."""
    try:
        validator = _VALIDATORS[kind]
    except KeyError:
        raise ValidationError(_("未知的證件類別。"), code="kind") from None
    validator(value)
    return normalise_id(value)


def mask_identity_number(value: str) -> str:
    """A123456789 → A12****789: enough to tell two people apart on a screen, not to misuse."""
    value = normalise_id(value)
    if len(value) <= 6:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 6) + value[-3:]


def validate_company_tax_id(value: str) -> str:
    """統一編號: eight digits with the Ministry of Finance's weighted checksum (2023 rule: mod 5).

    The same normalisation as every ID number (``normalise_id``: full-width digits typed on phones
    become ASCII, spaces and hyphens go); other scripts' digits are refused with their own message.
    Returns the number as stored (eight ASCII digits)."""
    value = normalise_id(value)
    if _foreign_digits(value):
        raise ValidationError(
            _("統一編號只能使用阿拉伯數字 0–9（半形或全形皆可），不接受其他文字的數字（例如 ٣、३）。"),
            code="digits",
        )
    # ASCII digits only: ``\d`` would match every script's digits.
    if not re.fullmatch(r"[0-9]{8}", value):
        raise ValidationError(_("統一編號應為 8 位數字。"), code="format")
    weights = (1, 2, 1, 2, 1, 2, 4, 1)
    total = 0
    for digit, weight in zip(value, weights, strict=True):
        product = int(digit) * weight
        total += product // 10 + product % 10
    if total % 5 == 0 or (value[6] == "7" and (total + 1) % 5 == 0):
        return value
    raise ValidationError(_("統一編號檢查碼錯誤，請再確認一次。"), code="checksum")


def validate_receipt_id(kind: str, number: str) -> str:
    """A receipt's ID number: a company's 8-digit tax number, or a person's national ID or resident
    certificate. Returns it cleaned (upper case, no spaces); empty stays empty."""
    if not (number or "").strip():
        return ""
    if kind == "company":
        return validate_company_tax_id(number)
    number = normalise_id(number)
    _refuse_foreign_digits(number)
    for id_kind in (IdentityKind.NATIONAL_ID, IdentityKind.RESIDENT_CERTIFICATE):
        try:
            return validate_identity_number(id_kind, number)
        except ValidationError:
            continue
    raise ValidationError(_("身分證字號或居留證號不正確，請再確認一次。"))
