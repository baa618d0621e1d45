"""Spending's table (disclosure/workflows.py): approve and return from recorded, through their
services and audited; a decided spending is refused in Chinese and stays as it was."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from disclosure import services
from disclosure.models import Spending
from disclosure.workflows import SPENDING_FLOW
from donations import services as donation_services
from tests.donations.factories import PledgeFactory
from tests.workflow_helpers import allowed, assert_refused_in_chinese, refused

pytestmark = pytest.mark.django_db

MOVES = {
    "approve": lambda spending, reviewer: services.approve_spending(spending=spending, actor=reviewer),
    "return": lambda spending, reviewer: services.return_spending(
        spending=spending, actor=reviewer, reason="憑證不清"
    ),
}


@pytest.fixture
def spending(program, caseworker_of_program):
    pledge = PledgeFactory(program=program, amount=10000)
    donation_services._mark_paid(pledge, paid_at=timezone.now(), channel="credit")
    return services.record_spending(
        actor=caseworker_of_program,
        program=program,
        spent_on=timezone.localdate(),
        item="購置餐盒",
        amount=3000,
        payee_type="vendor",
        voucher_number="V-001",
    )


def test_the_table_names_a_service_for_every_move():
    assert set(MOVES) == set(SPENDING_FLOW.moves)


@pytest.mark.parametrize(("action", "source"), allowed(SPENDING_FLOW))
def test_every_spending_move_the_table_allows_succeeds_and_is_audited(spending, reviewer, action, source):
    MOVES[action](spending, reviewer)
    spending.refresh_from_db()
    assert spending.status == SPENDING_FLOW.moves[action].target
    event = AuditEvent.objects.filter(target_type="disclosure.spending").latest("pk")
    assert event.changes["status"] == [source, spending.status]


@pytest.mark.parametrize(("action", "status"), refused(SPENDING_FLOW))
def test_every_spending_move_the_table_refuses_changes_nothing(spending, reviewer, action, status):
    Spending.objects.filter(pk=spending.pk).update(status=status)
    spending.refresh_from_db()
    assert_refused_in_chinese(lambda: MOVES[action](spending, reviewer))
    spending.refresh_from_db()
    assert (spending.status, spending.decided_by_id) == (status, None)
