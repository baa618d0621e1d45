"""The programs' and offers' tables (programs/workflows.py): every move the table allows succeeds
through its service and is audited; every other is refused in Chinese and changes nothing."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from donations import goods as goods_services
from programs import services
from programs.models import Offer, OfferKind, OfferStatus
from programs.workflows import OFFER_FLOW, PROGRAM_FLOW
from tests.programs.factories import GoodsNeedFactory, OfferFactory, ProgramFactory, ServiceNeedFactory
from tests.workflow_helpers import allowed, assert_refused_in_chinese, refused

pytestmark = pytest.mark.django_db

PROGRAM_MOVES = {
    "submit": lambda program, who: services.submit_program(program=program, actor=who["caseworker"]),
    "approve": lambda program, who: services.approve_program(program=program, actor=who["reviewer"]),
    "return": lambda program, who: services.return_program(
        program=program, actor=who["reviewer"], reason="請補件"
    ),
    "close": lambda program, who: services.close_program(
        program=program, actor=who["caseworker"], closing_report="已完成送餐", beneficiaries_reached=3
    ),
}


def _offer_for(status, who, *, kind=OfferKind.GOODS):
    need_program = ProgramFactory(bureau=who["bureau"], published=True)
    if kind == OfferKind.SERVICE:
        need = ServiceNeedFactory(program=need_program)
        return OfferFactory(
            kind=kind,
            goods_need=None,
            service_need=need,
            program=need_program,
            status=status,
            accepted_quantity=10,
        )
    need = GoodsNeedFactory(program=need_program, quantity=100)
    return OfferFactory(goods_need=need, donor=who["donor"], status=status, accepted_quantity=10)


OFFER_MOVES = {
    "accept": lambda offer, who: services.accept_offer(offer=offer, actor=who["caseworker"]),
    "accept_part": lambda offer, who: services.accept_offer(offer=offer, actor=who["caseworker"], quantity=4),
    "decline": lambda offer, who: services.decline_offer(
        offer=offer, actor=who["caseworker"], reason="已募足"
    ),
    "withdraw": lambda offer, who: services.withdraw_offer(offer=offer, actor=offer.donor),
    "deliver": lambda offer, who: services.record_offer_delivery(offer=offer, actor=who["caseworker"]),
    "serve": lambda offer, who: goods_services.record_service_delivery(
        offer=offer, actor=who["caseworker"], served_by="志工", served_on=timezone.localdate(), hours=2
    ),
    "receive": lambda offer, who: goods_services.receive_goods(
        offer=offer, actor=who["caseworker"], quantity=10, condition="全新", unit_value=100
    ),
}


@pytest.fixture
def who(bureau, caseworker, reviewer, donor):
    return {"bureau": bureau, "caseworker": caseworker, "reviewer": reviewer, "donor": donor}


def test_each_table_names_a_service_for_every_move():
    assert set(PROGRAM_MOVES) == set(PROGRAM_FLOW.moves)
    assert set(OFFER_MOVES) == set(OFFER_FLOW.moves)


@pytest.mark.parametrize(("action", "source"), allowed(PROGRAM_FLOW))
def test_every_program_move_the_table_allows_succeeds_and_is_audited(who, action, source):
    program = ProgramFactory(
        bureau=who["bureau"], status=source, ends_on=timezone.localdate() + datetime.timedelta(9)
    )
    PROGRAM_MOVES[action](program, who)
    program.refresh_from_db()
    assert program.status == PROGRAM_FLOW.moves[action].target
    event = AuditEvent.objects.filter(target_id=str(program.pk)).latest("pk")
    assert event.changes["status"] == [source, program.status]


@pytest.mark.parametrize(("action", "status"), refused(PROGRAM_FLOW))
def test_every_program_move_the_table_refuses_changes_nothing(who, action, status):
    program = ProgramFactory(bureau=who["bureau"], status=status)
    assert_refused_in_chinese(lambda: PROGRAM_MOVES[action](program, who))
    program.refresh_from_db()
    assert program.status == status


def _kind(action):
    return OfferKind.SERVICE if action == "serve" else OfferKind.GOODS


@pytest.mark.parametrize(("action", "source"), allowed(OFFER_FLOW))
def test_every_offer_move_the_table_allows_succeeds_and_is_audited(who, action, source):
    offer = _offer_for(source, who, kind=_kind(action))
    events = AuditEvent.objects.count()
    OFFER_MOVES[action](offer, who)
    offer.refresh_from_db()
    assert offer.status == OFFER_FLOW.moves[action].target
    assert AuditEvent.objects.count() > events


@pytest.mark.parametrize(("action", "status"), refused(OFFER_FLOW))
def test_every_offer_move_the_table_refuses_changes_nothing(who, action, status):
    offer = _offer_for(status, who, kind=_kind(action))
    assert_refused_in_chinese(lambda: OFFER_MOVES[action](offer, who))
    offer.refresh_from_db()
    assert offer.status == status


@pytest.mark.parametrize("status", [s.value for s in OfferStatus])
@pytest.mark.parametrize("kind", [k.value for k in OfferKind])
def test_offer_page_offers_service_logging_exactly_when_the_table_allows_serving(kind, status):
    offer = Offer(kind=kind, status=status)  # no database needed: the property reads the table
    expected = kind == OfferKind.SERVICE and status in {"accepted", "partly_accepted", "delivered"}
    assert offer.service_may_be_recorded is expected
