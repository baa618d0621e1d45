"""統一編號 check digit: the Ministry of Finance's 2023 rule (weighted digit sum divisible by 5,
with the two readings when the seventh digit is 7)."""

import pytest
from django.core.exceptions import ValidationError

from core.validators import validate_company_tax_id


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


@pytest.mark.parametrize(
    "number", ["", "1234567", "123456789", "1234567A", "１２３４５６７８", "1234\x005678"]
)
def test_anything_but_eight_ascii_digits_is_refused_as_format(number):
    with pytest.raises(ValidationError) as exc:
        validate_company_tax_id(number)
    assert exc.value.code == "format"
