"""統一編號 check digit: the Ministry of Finance's 2023 rule (weighted digit sum divisible by 5,
with the two readings when the seventh digit is 7); typed digits read by the ID numbers' one rule
(full-width → ASCII, other scripts' digits refused)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.validators import validate_company_tax_id, validate_receipt_id


@pytest.mark.parametrize("number", ["22099131", "04595257", "10000009"])
def test_numbers_valid_under_both_rules_pass(number):
    validate_company_tax_id(number)


def test_a_number_valid_only_under_the_2023_divisible_by_5_rule_passes():
    # 1×1 + 4×1 = 5: divisible by 5, not by 10 (the rule before 2023 refused it).
    validate_company_tax_id("10000004")


@pytest.mark.parametrize("number", ["12345675", "12345676"])
def test_a_seventh_digit_7_counts_as_either_0_or_1(number):
    validate_company_tax_id(number)


@pytest.mark.parametrize("number", ["10000003", "22099132", "12345678"])
def test_a_wrong_check_digit_is_refused(number):
    with pytest.raises(ValidationError) as exc:
        validate_company_tax_id(number)
    assert exc.value.code == "checksum"


@pytest.mark.parametrize("number", ["", "1234567", "123456789", "1234567A", "1234\x005678"])
def test_anything_but_eight_digits_is_refused_as_format(number):
    with pytest.raises(ValidationError) as exc:
        validate_company_tax_id(number)
    assert exc.value.code == "format"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("２２０９９１３１", "22099131"),  # full-width, as a phone's Chinese keyboard types it
        ("２２０9９131", "22099131"),  # mixed widths
        ("2209-9131", "22099131"),
        ("２２０９　９１３１", "22099131"),  # the ideographic space
        (" 04595257 ", "04595257"),
    ],
)
def test_full_width_digits_follow_the_id_numbers_rule_and_are_returned_in_ascii(typed, stored):
    # The decision of core/validators.py (decided for ID numbers first): full-width forms are the
    # same number, through normalise_id; the checksum is still checked on the ASCII digits.
    assert validate_company_tax_id(typed) == stored


def test_full_width_digits_still_have_their_checksum_checked():
    with pytest.raises(ValidationError) as exc:
        validate_company_tax_id("２２０９９１３２")
    assert exc.value.code == "checksum"


@pytest.mark.parametrize(
    "typed",
    [
        "٢٢٠٩٩١٣١",  # Arabic-Indic
        "२२०९९१३१",  # Devanagari
        "2209913١",  # one foreign digit at the end
        "②2099131",  # circled: NFKC would read it as 2
        "²2099131",  # superscript
    ],
)
def test_digits_of_other_scripts_are_refused_with_their_own_message(typed):
    with pytest.raises(ValidationError) as exc:
        validate_company_tax_id(typed)
    assert exc.value.code == "digits"
    assert "統一編號" in exc.value.messages[0] and "0–9" in exc.value.messages[0]


def test_the_foreign_digit_message_is_translated_into_english():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_company_tax_id("٢٢٠٩٩١٣١")
    assert "0–9" in exc.value.messages[0] and "統一編號" not in exc.value.messages[0]


def test_a_company_receipt_number_typed_in_full_width_is_kept_in_ascii():
    assert validate_receipt_id("company", "０４５９５２５７") == "04595257"
    with pytest.raises(ValidationError) as exc:
        validate_receipt_id("company", "٠٤٥٩٥٢٥٧")
    assert exc.value.code == "digits"
