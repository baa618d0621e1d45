"""create_pledge in three steps: the facts are loaded, the checks are pure (no query, no write),
and only a pledge that passes them is written."""

import pytest

from donations import services
from donations.models import Pledge
from donations.services import PledgeFacts, pledge_errors

GOOD = {
    "amount": 500,
    "channel": "credit",
    "donor_name": "王小明",
    "disclosure_mode": "full",
    "display_name": "",
    "guest_email": "guest@example.tw",
}


def test_the_checks_read_nothing_and_pass_a_good_pledge(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert pledge_errors(PledgeFacts(is_user=False, program_takes_money=True), GOOD) == {}


@pytest.mark.parametrize(
    ("facts", "change", "field"),
    [
        (PledgeFacts(False, True), {"amount": 99}, "amount"),
        (PledgeFacts(False, True), {"channel": "Bitcoin"}, "channel"),
        (PledgeFacts(False, False), {}, "program"),
        (PledgeFacts(False, True), {"donor_name": "  "}, "donor_name"),
        (PledgeFacts(False, True), {"disclosure_mode": "display_name"}, "display_name"),
        (PledgeFacts(False, True), {"guest_email": ""}, "guest_email"),
        (PledgeFacts(True, True), {"guest_email": "", "amount": 2_000_001}, "amount"),
    ],
)
def test_each_rule_names_its_field_in_chinese(facts, change, field):
    errors = pledge_errors(facts, {**GOOD, **change})
    assert list(errors) == [field]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in errors[field])


def test_a_monthly_gift_that_cannot_start_leaves_no_pledge_behind(program, db):
    with pytest.raises(services.ValidationError):
        services.give(
            donor=None,
            program=program,
            monthly=True,
            amount=500,
            channel="credit",
            donor_name="訪客",
            guest_email="guest@example.tw",
        )
    assert not Pledge.objects.exists()
