"""The money's tables (donations/workflows.py): every move the table allows succeeds through its
service and is audited; every other changes nothing. Moves the gateway asks for (voucher, paid,
failed, expired) are acknowledged as repeats; a refused staff move is refused in Chinese."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from donations import ecpay, gateway, services
from donations import goods as goods_services
from donations.models import (
    GoodsDonation,
    GoodsStatus,
    NotificationVerdict,
    PaymentNotification,
    PledgeStatus,
    ReceiptStatus,
)
from donations.workflows import GOODS_FLOW, MONTHLY_FLOW, PLEDGE_FLOW, RECEIPT_FLOW
from programs import services as program_services
from tests.donations.factories import PledgeFactory
from tests.programs.factories import GoodsNeedFactory, OfferFactory
from tests.workflow_helpers import allowed, assert_refused_in_chinese, refused

pytestmark = pytest.mark.django_db


def _notice(pledge, **fields):
    return ecpay.sign(
        {
            "MerchantID": "3002607",
            "MerchantTradeNo": pledge.merchant_trade_no,
            "TradeNo": "2411220000000001",
            "TradeAmt": str(pledge.amount),
            "TradeDate": "2026/11/22 10:00:00",
            "SimulatePaid": "0",
            **fields,
        }
    )


def _voucher(pledge):
    notice = _notice(
        pledge,
        RtnCode="2",
        PaymentType="ATM_TAISHIN",
        BankCode="812",
        vAccount="91035",
        ExpireDate="2026/11/25",
    )
    return services.handle_notification(notice, endpoint="payment_info")


def _paid(pledge):
    notice = _notice(pledge, RtnCode="1", PaymentType="Credit_CreditCard", PaymentDate="2026/11/22 10:30:00")
    return services.handle_notification(notice, endpoint="notify")


def _failed(pledge):
    return services.handle_notification(
        _notice(pledge, RtnCode="10100058", RtnMsg="授權失敗"), endpoint="notify"
    )


def _expired(pledge):
    return services.expire_pledge_if_unpaid(pledge.pk, "0")


GATEWAY_MOVES = {"issue_voucher": _voucher, "pay": _paid, "fail": _failed, "expire": _expired}


def _refund(pledge, reviewer):
    return services.refund_pledge(pledge=pledge, actor=reviewer, reason="捐款人要求")


def _pledge_in(status, program):
    pledge = PledgeFactory(program=program, amount=800)
    if status in (PledgeStatus.PAID, PledgeStatus.REFUNDED):
        services._mark_paid(pledge, paid_at=timezone.now(), channel="credit")
    pledge.status = status
    pledge.save(update_fields=["status"])
    return pledge


def test_each_table_names_a_service_for_every_move():
    assert set(GATEWAY_MOVES) | {"refund"} == set(PLEDGE_FLOW.moves)


@pytest.mark.parametrize(("action", "source"), allowed(PLEDGE_FLOW))
def test_every_pledge_move_the_table_allows_succeeds_and_is_audited(program, reviewer, action, source):
    pledge = _pledge_in(source, program)
    if action == "refund":
        _refund(pledge, reviewer)
    else:
        GATEWAY_MOVES[action](pledge)
    pledge.refresh_from_db()
    assert pledge.status == PLEDGE_FLOW.moves[action].target
    event = AuditEvent.objects.filter(target_id=str(pledge.pk)).latest("pk")
    assert event.changes["status"] == [source, pledge.status]


@pytest.mark.parametrize(("action", "status"), [r for r in refused(PLEDGE_FLOW) if r[0] != "refund"])
def test_a_gateway_move_the_table_refuses_is_acknowledged_as_a_repeat_and_changes_nothing(
    program, action, status
):
    pledge = _pledge_in(status, program)
    events = AuditEvent.objects.count()
    GATEWAY_MOVES[action](pledge)
    pledge.refresh_from_db()
    assert pledge.status == status
    assert AuditEvent.objects.count() == events
    if action != "expire":
        assert PaymentNotification.objects.latest("pk").verdict == NotificationVerdict.REPEAT


@pytest.mark.parametrize("status", [s for a, s in refused(PLEDGE_FLOW) if a == "refund"])
def test_a_refund_the_table_refuses_is_refused_in_chinese_and_changes_nothing(program, reviewer, status):
    pledge = _pledge_in(status, program)
    assert_refused_in_chinese(lambda: _refund(pledge, reviewer))
    pledge.refresh_from_db()
    assert pledge.status == status


def test_a_refund_voids_the_valid_receipt_and_a_void_receipt_is_never_voided_again(program, reviewer):
    assert [row[0] for row in RECEIPT_FLOW.as_rows()] == ["void"]
    pledge = _pledge_in(PledgeStatus.PAID, program)
    _refund(pledge, reviewer)
    receipt = pledge.receipts.get()
    assert receipt.status == ReceiptStatus.VOID
    voided_at = receipt.voided_at
    correct = lambda: services.correct_receipt(  # noqa: E731
        pledge=pledge, actor=reviewer, receipt_name="新名稱", receipt_id_number="", reason="更正"
    )
    assert_refused_in_chinese(correct)
    receipt.refresh_from_db()
    assert (receipt.status, receipt.voided_at) == (ReceiptStatus.VOID, voided_at)


def test_stopping_a_monthly_gift_moves_it_once_and_a_second_stop_changes_nothing(program, donor, monkeypatch):
    assert [row[0] for row in MONTHLY_FLOW.as_rows()] == ["stop"]
    calls = []
    monkeypatch.setattr(gateway, "cancel_period", calls.append)
    recurring = services.start_monthly_gift(
        pledge=PledgeFactory(program=program, donor=donor, guest_email="")
    )
    services.stop_monthly_gift(recurring=recurring, actor=donor)
    recurring.refresh_from_db()
    assert (recurring.status, recurring.is_active) == ("stopped", False)
    assert AuditEvent.objects.filter(action="recurring.stopped", target_id=str(recurring.pk)).count() == 1
    stopped_at = recurring.stopped_at
    services.stop_monthly_gift(recurring=recurring, actor=donor)
    recurring.refresh_from_db()
    assert recurring.stopped_at == stopped_at and len(calls) == 1
    assert AuditEvent.objects.filter(action="recurring.stopped", target_id=str(recurring.pk)).count() == 1


@pytest.fixture
def goods(program, make_user, donor):
    caseworker = make_user(Role.CASEWORKER, organisation=program.bureau)
    offer = OfferFactory(goods_need=GoodsNeedFactory(program=program, quantity=100), quantity=10, donor=donor)
    program_services.accept_offer(offer=offer, actor=caseworker)
    program_services.record_offer_delivery(offer=offer, actor=caseworker)
    received = goods_services.receive_goods(
        offer=offer, actor=caseworker, quantity=10, condition="全新", unit_value=1
    )
    return received, caseworker


def _goods_in(goods, status):
    record, caseworker = goods
    stock = 0 if status == GoodsStatus.HANDED_OUT else 10
    GoodsDonation.objects.filter(pk=record.pk).update(status=status, quantity_in_stock=stock)
    record.refresh_from_db()
    return record, caseworker


GOODS_MOVES = {
    "store": lambda record, who: goods_services.move_to_custody(
        goods=record, actor=who, storage_location="倉庫B"
    ),
    "hand_out_part": lambda record, who: goods_services.hand_out_goods(
        goods=record, actor=who, quantity=4, recipient="南區據點", handed_out_on=timezone.localdate()
    ),
    "hand_out_rest": lambda record, who: goods_services.hand_out_goods(
        goods=record, actor=who, quantity=10, recipient="南區據點", handed_out_on=timezone.localdate()
    ),
}


@pytest.mark.parametrize(("action", "source"), allowed(GOODS_FLOW))
def test_every_goods_move_the_table_allows_succeeds_and_is_audited(goods, action, source):
    record, caseworker = _goods_in(goods, source)
    events = AuditEvent.objects.count()
    GOODS_MOVES[action](record, caseworker)
    record.refresh_from_db()
    assert record.status == GOODS_FLOW.moves[action].target
    assert AuditEvent.objects.count() == events + 1


@pytest.mark.parametrize("action", ["hand_out_part", "hand_out_rest"])
def test_goods_handed_out_completely_cannot_be_handed_out_again(goods, action):
    record, caseworker = _goods_in(goods, GoodsStatus.HANDED_OUT)
    assert_refused_in_chinese(lambda: GOODS_MOVES[action](record, caseworker))
    record.refresh_from_db()
    assert (record.status, record.quantity_in_stock) == (GoodsStatus.HANDED_OUT, 0)


@pytest.mark.parametrize("status", [s for a, s in refused(GOODS_FLOW) if a == "store"])
def test_a_new_storage_place_keeps_the_status_of_goods_already_past_receipt(goods, status):
    record, caseworker = _goods_in(goods, status)
    GOODS_MOVES["store"](record, caseworker)
    record.refresh_from_db()
    assert (record.status, record.storage_location) == (status, "倉庫B")
