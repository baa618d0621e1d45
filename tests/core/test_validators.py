import pytest
from django.core.exceptions import ValidationError

from core.validators import (
    IdentityKind,
    is_valid_national_id,
    mask_identity_number,
    validate_company_tax_id,
    validate_identity_number,
    validate_national_id,
    validate_passport,
    validate_resident_certificate,
)


@pytest.mark.parametrize("value", ["A123456789", "a123456789", " F131104093 ", "B142345677"])
def test_valid_national_ids_pass(value):
    validate_national_id(value)


@pytest.mark.parametrize("value", ["A123456788", "B142345670"])
def test_national_id_with_a_wrong_check_digit_is_refused_with_a_checksum_message(value):
    with pytest.raises(ValidationError) as exc:
        validate_national_id(value)
    assert exc.value.code == "checksum"
    assert "檢查碼" in exc.value.messages[0]


@pytest.mark.parametrize("value", ["", "A12345678", "A1234567890", "1123456789", "A323456789", "AB23456789"])
def test_national_id_in_the_wrong_shape_is_refused_with_a_format_message(value):
    with pytest.raises(ValidationError) as exc:
        validate_national_id(value)
    assert exc.value.code == "format"
    assert "格式" in exc.value.messages[0]


def test_resident_certificate_new_format_uses_the_id_checksum():
    validate_resident_certificate("A800000014")
    with pytest.raises(ValidationError):
        validate_resident_certificate("A800000015")


def test_resident_certificate_old_format_counts_its_second_letter():
    validate_resident_certificate("AC01234567")
    with pytest.raises(ValidationError) as exc:
        validate_resident_certificate("AC01234568")
    assert exc.value.code == "checksum"


def test_a_national_id_is_not_a_resident_certificate():
    with pytest.raises(ValidationError):
        validate_resident_certificate("A123456789")
    assert not is_valid_national_id("A800000014")


@pytest.mark.parametrize("value", ["312345678", "X1234567", "E12345678901"])
def test_passports_accept_letters_and_digits(value):
    validate_passport(value)


@pytest.mark.parametrize("value", ["12345", "AB-12#34", "護照12345"])
def test_passports_refuse_other_characters_or_short_numbers(value):
    with pytest.raises(ValidationError):
        validate_passport(value)


def test_validate_identity_number_dispatches_by_kind_and_normalises():
    assert validate_identity_number(IdentityKind.NATIONAL_ID, " a123456789") == "A123456789"
    with pytest.raises(ValidationError):
        validate_identity_number(IdentityKind.PASSPORT, "A1")
    with pytest.raises(ValidationError):
        validate_identity_number("driving_licence", "A123456789")


def test_mask_identity_number_shows_only_the_ends():
    assert mask_identity_number("A123456789") == "A12****789"
    assert mask_identity_number("E12345678901") == "E12******901"
    assert mask_identity_number("12345") == "*****"


@pytest.mark.parametrize("value", ["04595257", "22099131", "10458575"])
def test_valid_company_tax_ids_pass(value):
    validate_company_tax_id(value)


@pytest.mark.parametrize("value", ["04595258", "1234567", "abcdefgh"])
def test_invalid_company_tax_ids_are_refused(value):
    with pytest.raises(ValidationError):
        validate_company_tax_id(value)
