"""disclosure.permissions, role by role."""

import pytest

from accounts.roles import Role
from disclosure import permissions
from disclosure.models import Spending
from donations import permissions as donation_permissions

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_who_builds_reads_records_and_signs(make_user, role):
    user = make_user(role)
    assert permissions.can_build_report(user) is (role in (Role.SW_REVIEWER, Role.SITE_ADMIN))
    assert permissions.can_read_committee_packet(user) is (
        role in (Role.COMMITTEE, Role.SW_REVIEWER, Role.SITE_ADMIN)
    )
    assert permissions.can_record_meeting(user) is (role in (Role.SW_REVIEWER, Role.SITE_ADMIN))
    assert permissions.can_sign_off_meeting(user) is (role == Role.COMMITTEE)
    assert donation_permissions.can_refund(user) is (role in (Role.SW_REVIEWER, Role.SITE_ADMIN))
    assert donation_permissions.can_export_tax(user) is (role in (Role.SW_REVIEWER, Role.SITE_ADMIN))


def test_spending_is_recorded_by_its_bureau_and_decided_by_another_reviewer(make_user, program, reviewer):
    caseworker = make_user(Role.CASEWORKER, organisation=program.bureau)
    assert permissions.can_record_spending(caseworker, program)
    assert not permissions.can_record_spending(make_user(Role.CASEWORKER), program)
    assert not permissions.can_record_spending(reviewer, program)
    own = Spending(program=program, recorded_by=reviewer)
    other = Spending(program=program, recorded_by=caseworker)
    assert permissions.can_decide_spending(reviewer, other)
    assert not permissions.can_decide_spending(reviewer, own)
    assert not permissions.can_decide_spending(caseworker, other)
