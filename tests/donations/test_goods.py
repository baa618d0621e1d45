"""Goods from matched offer to hand-out: partial receipts, custody, stock that never goes negative."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from audit.models import AuditEvent
from donations import goods as goods_services
from donations.models import GoodsDonation, GoodsStatus
from programs import services as program_services
from programs.models import GoodsNeed, OfferStatus
from tests.accounts.factories import OrganisationFactory
from tests.programs.factories import GoodsNeedFactory, OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseworker(make_user, program):
    return make_user(Role.CASEWORKER, organisation=program.bureau)


@pytest.fixture
def delivered(program, caseworker, donor):
    need = GoodsNeedFactory(program=program, quantity=100, item="白米", unit="包", unit_value=300)
    offer = OfferFactory(goods_need=need, quantity=40, donor=donor)
    program_services.accept_offer(offer=offer, actor=caseworker)
    program_services.record_offer_delivery(offer=offer, actor=caseworker)
    return offer


def test_receiving_goods_counts_them_on_the_need_and_the_progress_bar(client, delivered, caseworker):
    goods = goods_services.receive_goods(
        offer=delivered,
        actor=caseworker,
        quantity=35,
        condition="全新",
        unit_value=320,
        storage_location="社會局倉庫A",
    )
    delivered.refresh_from_db()
    assert delivered.status == OfferStatus.RECEIVED
    assert (goods.quantity_received, goods.quantity_in_stock, goods.appraised_value) == (35, 35, 11200)
    assert goods.status == GoodsStatus.IN_CUSTODY
    assert GoodsNeed.objects.get(pk=delivered.goods_need_id).quantity_received == 35
    # The catalogue card shows what was received.
    assert "已收到 35 / 100包" in client.get(reverse("programs:list")).content.decode()
    assert AuditEvent.objects.filter(action="goods.received", target_id=str(goods.pk)).exists()


@pytest.mark.parametrize(("quantity", "message"), [(0, "大於 0"), (41, "不可超過接受的數量")])
def test_receiving_nothing_or_more_than_accepted_is_refused(delivered, caseworker, quantity, message):
    with pytest.raises(ValidationError, match=message):
        goods_services.receive_goods(
            offer=delivered, actor=caseworker, quantity=quantity, condition="全新", unit_value=1
        )
    assert not GoodsDonation.objects.exists()


def test_goods_not_yet_delivered_cannot_be_received(program, caseworker):
    offer = OfferFactory(goods_need=GoodsNeedFactory(program=program))
    with pytest.raises(ValidationError, match="已送達"):
        goods_services.receive_goods(
            offer=offer, actor=caseworker, quantity=1, condition="全新", unit_value=1
        )


def test_another_bureau_cannot_receive_or_hand_out(delivered, caseworker, make_user):
    stranger = make_user(Role.CASEWORKER, organisation=OrganisationFactory(kind=OrganisationKind.BUREAU))
    with pytest.raises(PermissionDenied):
        goods_services.receive_goods(
            offer=delivered, actor=stranger, quantity=1, condition="全新", unit_value=1
        )
    goods = goods_services.receive_goods(
        offer=delivered, actor=caseworker, quantity=10, condition="全新", unit_value=1
    )
    with pytest.raises(PermissionDenied):
        goods_services.hand_out_goods(
            goods=goods, actor=stranger, quantity=1, recipient="x", handed_out_on=timezone.localdate()
        )


def test_partial_hand_outs_until_the_stock_is_gone_and_never_below_zero(delivered, caseworker):
    goods = goods_services.receive_goods(
        offer=delivered, actor=caseworker, quantity=30, condition="全新", unit_value=300
    )
    today = timezone.localdate()
    goods_services.hand_out_goods(
        goods=goods, actor=caseworker, quantity=12, recipient="萬華區實物銀行分行", handed_out_on=today
    )
    goods.refresh_from_db()
    assert (goods.quantity_in_stock, goods.status) == (18, GoodsStatus.PARTLY_HANDED_OUT)
    with pytest.raises(ValidationError, match="庫存不足：目前庫存 18"):
        goods_services.hand_out_goods(
            goods=goods, actor=caseworker, quantity=19, recipient="x", handed_out_on=today
        )
    goods_services.hand_out_goods(
        goods=goods, actor=caseworker, quantity=18, recipient="獨居長者", handed_out_on=today
    )
    goods.refresh_from_db()
    assert (goods.quantity_in_stock, goods.status) == (0, GoodsStatus.HANDED_OUT)
    assert goods.handouts.count() == 2


def test_the_database_itself_refuses_negative_stock(delivered, caseworker):
    goods = goods_services.receive_goods(
        offer=delivered, actor=caseworker, quantity=5, condition="全新", unit_value=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        GoodsDonation.objects.filter(pk=goods.pk).update(quantity_in_stock=-1)


def test_hand_out_pages_for_the_caseworker(client, delivered, caseworker):
    client.force_login(caseworker)
    response = client.post(
        reverse("donations:receive_goods", args=[delivered.pk]),
        {"quantity": 20, "condition": "全新", "unit_value": 300, "storage_location": "倉庫B"},
    )
    goods = GoodsDonation.objects.get()
    assert response["Location"] == reverse("donations:goods_detail", args=[goods.pk])
    client.post(
        reverse("donations:goods_detail", args=[goods.pk]),
        {
            "action": "handout",
            "quantity": 25,
            "recipient": "x",
            "handed_out_on": timezone.localdate().isoformat(),
        },
    )
    goods.refresh_from_db()
    assert goods.quantity_in_stock == 20  # refused: more than in stock


def test_goods_donor_gets_a_receipt_with_the_appraised_value(client, delivered, caseworker, donor):
    goods = goods_services.receive_goods(
        offer=delivered, actor=caseworker, quantity=10, condition="全新", unit_value=300
    )
    client.force_login(donor)
    pdf = client.get(reverse("donations:goods_receipt_pdf", args=[goods.pk])).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "物資捐贈收據" in text and "白米" in text and "新臺幣參仟元整" in text
    dashboard = client.get(reverse("donations:dashboard")).content.decode()
    assert "保管中" in dashboard or "已驗收" in dashboard


def test_a_service_offer_records_who_served_when_and_how_long(program, caseworker, donor):
    from tests.programs.factories import ServiceNeedFactory

    service = ServiceNeedFactory(program=program)
    offer = program_services.make_offer(
        donor=donor, kind="service", service_need=service, item="送餐", quantity=4, unit="小時"
    )
    with pytest.raises(ValidationError):
        goods_services.record_service_delivery(
            offer=offer,
            actor=caseworker,
            served_by="王小明",
            served_on=timezone.localdate(),
            hours=Decimal(2),
        )  # not accepted yet
    program_services.accept_offer(offer=offer, actor=caseworker)
    goods_services.record_service_delivery(
        offer=offer,
        actor=caseworker,
        served_by="王小明",
        served_on=timezone.localdate() - datetime.timedelta(days=1),
        hours=Decimal("2.5"),
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DELIVERED
    assert offer.service_deliveries.get().hours == Decimal("2.50")
    with pytest.raises(ValidationError):
        goods_services.record_service_delivery(
            offer=offer,
            actor=caseworker,
            served_by="王小明",
            served_on=timezone.localdate(),
            hours=Decimal(25),
        )
