"""Goods from receipt to hand-out, and service offers carried out. Stock can never go negative."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from core.pagecache import invalidate
from core.roc import roc_year
from core.sequences import take_next_number
from programs.models import GoodsNeed, Offer, OfferKind, OfferStatus
from programs.workflows import OFFER_FLOW

from .models import DonorKind, GoodsDonation, GoodsHandout, GoodsReceiptCounter, GoodsStatus, ServiceDelivery
from .permissions import can_manage_goods
from .workflows import GOODS_FLOW


def next_goods_receipt_number(when=None) -> str:
    """G + ROC year + a gap-free number of the goods receipts' own series (inside a transaction)."""
    year = roc_year(timezone.localtime(when or timezone.now()).date())
    return f"G{year:03d}-{take_next_number(GoodsReceiptCounter, year):06d}"


@transaction.atomic
def receive_goods(
    *, offer: Offer, actor, quantity: int, condition: str, unit_value: int, storage_location: str = ""
) -> GoodsDonation:
    offer = Offer.objects.select_for_update(of=("self",)).select_related("program", "donor").get(pk=offer.pk)
    if not can_manage_goods(actor, offer.bureau_id):
        raise PermissionDenied(_("只有方案所屬局處的承辦人可驗收物資。"))
    if offer.kind != OfferKind.GOODS or not OFFER_FLOW.can(offer.status, "receive"):
        raise ValidationError(_("只有已送達的物資可以驗收。"))
    previous = OFFER_FLOW.advance(offer, "receive")
    if quantity is None or quantity <= 0:
        raise ValidationError(_("驗收數量必須大於 0。"))
    if quantity > offer.accepted_quantity:
        raise ValidationError(
            _("驗收數量不可超過接受的數量（%(n)s%(unit)s）。")
            % {"n": offer.accepted_quantity, "unit": offer.unit}
        )
    if unit_value is None or unit_value < 0:
        raise ValidationError(_("市價不可為負數。"))
    # A company gives under its own name (its receipt name when it has one), shown in full.
    donor_name = offer.donor.get_full_name()
    if offer.donor.donor_kind == DonorKind.COMPANY and offer.donor.receipt_name:
        donor_name = offer.donor.receipt_name
    goods = GoodsDonation.objects.create(
        offer=offer,
        program=offer.program,
        goods_need=offer.goods_need,
        donor=offer.donor,
        donor_name=donor_name,
        donor_kind=offer.donor.donor_kind,
        receipt_number=next_goods_receipt_number(),
        item=offer.item,
        unit=offer.unit,
        quantity_received=quantity,
        condition=condition,
        unit_value=unit_value,
        appraised_value=unit_value * quantity,
        received_at=timezone.now(),
        received_by=actor,
        storage_location=storage_location,
        quantity_in_stock=quantity,
        status=GoodsStatus.IN_CUSTODY if storage_location else GoodsStatus.RECEIVED,
    )
    offer.save(update_fields=["status"])
    if offer.goods_need_id:
        GoodsNeed.objects.filter(pk=offer.goods_need_id).update(
            quantity_received=F("quantity_received") + quantity
        )
    record_event(
        actor=actor,
        action="goods.received",
        target=goods,
        organisation=offer.program.bureau if offer.program_id else None,
        changes={
            "quantity": quantity,
            "appraised_value": goods.appraised_value,
            "condition": condition,
            "offer_status": [previous, offer.status],
        },
    )
    invalidate("programs")
    return goods


@transaction.atomic
def move_to_custody(*, goods: GoodsDonation, actor, storage_location: str) -> GoodsDonation:
    goods = GoodsDonation.objects.select_for_update(of=("self",)).select_related("program").get(pk=goods.pk)
    if not can_manage_goods(actor, goods.bureau_id):
        raise PermissionDenied(_("只有方案所屬局處的承辦人可登錄保管。"))
    if not storage_location.strip():
        raise ValidationError(_("請填寫保管地點。"))
    old = goods.storage_location
    goods.storage_location = storage_location.strip()
    if GOODS_FLOW.can(goods.status, "store"):  # a new place for goods already stored keeps their status
        GOODS_FLOW.advance(goods, "store")
    goods.save(update_fields=["storage_location", "status"])
    record_event(
        actor=actor,
        action="goods.stored",
        target=goods,
        changes={"storage_location": [old, goods.storage_location]},
    )
    return goods


@transaction.atomic
def hand_out_goods(
    *, goods: GoodsDonation, actor, quantity: int, recipient: str, handed_out_on: datetime.date
) -> GoodsHandout:
    goods = GoodsDonation.objects.select_for_update(of=("self",)).select_related("program").get(pk=goods.pk)
    if not can_manage_goods(actor, goods.bureau_id):
        raise PermissionDenied(_("只有方案所屬局處的承辦人可登錄發放。"))
    if quantity is None or quantity <= 0:
        raise ValidationError(_("發放數量必須大於 0。"))
    if quantity > goods.quantity_in_stock:
        raise ValidationError(
            _("庫存不足：目前庫存 %(n)s%(unit)s。") % {"n": goods.quantity_in_stock, "unit": goods.unit}
        )
    if not recipient.strip():
        raise ValidationError(_("請填寫發放對象。"))
    if handed_out_on > timezone.localdate():
        raise ValidationError(_("發放日期不可晚於今天。"))
    handout = GoodsHandout.objects.create(
        goods=goods,
        quantity=quantity,
        recipient=recipient.strip(),
        handed_out_on=handed_out_on,
        recorded_by=actor,
    )
    goods.quantity_in_stock -= quantity
    GOODS_FLOW.advance(goods, "hand_out_rest" if goods.quantity_in_stock == 0 else "hand_out_part")
    goods.save(update_fields=["quantity_in_stock", "status"])
    record_event(
        actor=actor,
        action="goods.handed_out",
        target=goods,
        changes={"quantity": quantity, "recipient": handout.recipient, "stock": goods.quantity_in_stock},
    )
    invalidate("programs")  # the program's page lists its hand-outs
    return handout


@transaction.atomic
def record_service_delivery(
    *, offer: Offer, actor, served_by: str, served_on: datetime.date, hours: Decimal
) -> ServiceDelivery:
    offer = Offer.objects.select_for_update(of=("self",)).select_related("program").get(pk=offer.pk)
    if not can_manage_goods(actor, offer.bureau_id):
        raise PermissionDenied(_("只有方案所屬局處的承辦人可登錄服務紀錄。"))
    if offer.kind != OfferKind.SERVICE or not OFFER_FLOW.can(offer.status, "serve"):
        raise ValidationError(_("只有已接受的服務可以登錄服務紀錄。"))
    if hours is None or hours <= 0 or hours > 24:
        raise ValidationError(_("服務時數需大於 0 且不超過 24 小時。"))
    if served_on > timezone.localdate():
        raise ValidationError(_("服務日期不可晚於今天。"))
    delivery = ServiceDelivery.objects.create(
        offer=offer, served_by=served_by.strip(), served_on=served_on, hours=hours, recorded_by=actor
    )
    if OFFER_FLOW.advance(offer, "serve") != OfferStatus.DELIVERED:  # the first session delivers it
        offer.delivered_at = timezone.now()
        offer.save(update_fields=["status", "delivered_at"])
    record_event(
        actor=actor,
        action="service.delivered",
        target=offer,
        changes={"served_by": delivery.served_by, "served_on": str(served_on), "hours": str(hours)},
    )
    return delivery
