"""Demo gifts: paid, pending, awaiting-payment and refunded, over the last six months, across channels.

Written in bulk (no e-mails, no per-gift audit noise) so `--scale 100` stays fast; receipts are
numbered as the service numbers them, and programs' raised totals are recomputed at the end.
"""

import datetime
import random

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core.roc import roc_year
from core.seeding import DEMO_EMAIL_DOMAIN
from core.validators import mask_identity_number
from programs.models import GoodsNeed, Offer, OfferStatus, Program, ProgramStatus

from .goods import next_goods_receipt_number
from .models import (
    Channel,
    DisclosureMode,
    DonorKind,
    GoodsDonation,
    GoodsHandout,
    GoodsStatus,
    Pledge,
    PledgeStatus,
    Receipt,
    ReceiptCounter,
    ReceiptStatus,
)

PREFIX = "GDDEMO"
NAMES = ["王小明", "陳美華", "林志明", "張家豪", "李淑芬", "黃建國", "歐陽志遠", "吳佩珊", "劉德華", "蔡依林"]
COMPANIES = ["台灣好食品股份有限公司", "大安慈善會", "行天宮", "松山扶輪社"]
CHANNELS = [
    Channel.CREDIT,
    Channel.ATM,
    Channel.CVS,
    Channel.TWQR,
    Channel.WEBATM,
    Channel.BARCODE,
    Channel.REMITTANCE,
]
BASE_GIFTS = 120


def _gift(rng, n, now, donors, programs) -> Pledge:
    """The n-th paid (every 40th refunded) demo gift."""
    company = rng.random() < 0.15
    name = rng.choice(COMPANIES) if company else rng.choice(NAMES)
    mode = rng.choices(
        [DisclosureMode.FULL, DisclosureMode.DISPLAY_NAME, DisclosureMode.ANONYMOUS], weights=[6, 2, 2]
    )[0]
    paid_at = now - datetime.timedelta(days=rng.randint(0, 180), minutes=rng.randint(0, 1440))
    refunded = n % 40 == 7
    donor = donors[n % len(donors)] if donors and not company and n % 3 else None
    return Pledge(
        donor=donor,
        guest_email="" if donor else f"guest{n}@example.tw",
        program=rng.choice(programs) if programs and rng.random() < 0.8 else None,
        amount=rng.choice([100, 300, 500, 500, 1000, 1000, 2000, 3000, 5000, 10000, 50000]),
        donor_kind=DonorKind.COMPANY if company else DonorKind.PERSON,
        donor_name=name,
        disclosure_mode=mode,
        display_name="愛心小天使" if mode == DisclosureMode.DISPLAY_NAME else "",
        receipt_name=name,
        channel=rng.choice(CHANNELS),
        status=PledgeStatus.REFUNDED if refunded else PledgeStatus.PAID,
        merchant_trade_no=f"{PREFIX}{n:014d}",
        paid_at=paid_at,
        refunded_at=min(now, paid_at + datetime.timedelta(days=3)) if refunded else None,
        refund_reason="捐款人重複捐款，申請退還。" if refunded else "",
    )


WAITING = [
    (PledgeStatus.PENDING, Channel.CREDIT, {}),
    (PledgeStatus.AWAITING_PAYMENT, Channel.ATM, {"BankCode": "812", "vAccount": "91035221758872"}),
    (PledgeStatus.AWAITING_PAYMENT, Channel.CVS, {"PaymentNo": "GW141130616123"}),
    (PledgeStatus.FAILED, Channel.CREDIT, {}),
]


def _waiting_gifts(now, program) -> list[Pledge]:
    """A few still waiting: one pending card payment (the sample) and vouchers awaiting payment."""
    demo_donor = User.objects.filter(email=f"donor@{DEMO_EMAIL_DOMAIN}").first()
    name = demo_donor.name if demo_donor else "王小明"
    return [
        Pledge(
            donor=demo_donor,
            program=program,
            amount=500,
            donor_name=name,
            receipt_name=name,
            channel=channel,
            status=status,
            merchant_trade_no=f"{PREFIX}W{n:013d}",
            voucher=voucher,
            voucher_expires_at=now + datetime.timedelta(days=2)
            if status == PledgeStatus.AWAITING_PAYMENT
            else None,
            failed_reason="10100058 付款失敗" if status == PledgeStatus.FAILED else "",
        )
        for n, (status, channel, voucher) in enumerate(WAITING)
    ]


def seed(ctx):
    if Pledge.objects.filter(merchant_trade_no__startswith=PREFIX).exists():
        _samples(ctx)
        return
    rng = random.Random(42)
    now = timezone.now()
    donors = list(User.objects.filter(role=Role.DONOR, email__endswith=DEMO_EMAIL_DOMAIN).order_by("pk"))
    programs = list(
        Program.objects.filter(status__in=[ProgramStatus.PUBLISHED, ProgramStatus.CLOSED], money_target__gt=0)
    )
    pledges = [_gift(rng, n, now, donors, programs) for n in range(BASE_GIFTS * ctx.scale)]
    pledges += _waiting_gifts(now, programs[0] if programs else None)
    Pledge.objects.bulk_create(pledges, batch_size=2000)
    _receipts()
    _recompute_raised()
    _goods()
    _samples(ctx)


def _goods():
    """Receive the delivered demo offers into custody, in every state up to fully handed out."""
    offers = Offer.objects.filter(status=OfferStatus.DELIVERED, kind="goods").select_related(
        "goods_need", "donor"
    )
    caseworker = User.objects.filter(email=f"caseworker@{DEMO_EMAIL_DOMAIN}").first()
    today = timezone.localdate()
    for n, offer in enumerate(offers):
        quantity = offer.accepted_quantity
        state = [
            GoodsStatus.RECEIVED,
            GoodsStatus.IN_CUSTODY,
            GoodsStatus.PARTLY_HANDED_OUT,
            GoodsStatus.HANDED_OUT,
        ][n % 4]
        handed = {GoodsStatus.PARTLY_HANDED_OUT: quantity // 2, GoodsStatus.HANDED_OUT: quantity}.get(
            state, 0
        )
        unit_value = offer.goods_need.unit_value if offer.goods_need_id else 100
        received_at = timezone.now() - datetime.timedelta(days=10 + n)
        company = offer.donor.donor_kind == DonorKind.COMPANY
        with transaction.atomic():
            number = next_goods_receipt_number(received_at)
        goods = GoodsDonation.objects.create(
            offer=offer,
            donor_kind=offer.donor.donor_kind,
            receipt_number=number,
            program_id=offer.program_id,
            goods_need=offer.goods_need,
            donor=offer.donor,
            donor_name=(offer.donor.receipt_name if company else "") or offer.donor.get_full_name(),
            item=offer.item,
            unit=offer.unit,
            quantity_received=quantity,
            condition="全新",
            unit_value=unit_value,
            appraised_value=unit_value * quantity,
            received_at=received_at,
            received_by=caseworker or offer.donor,
            storage_location="" if state == GoodsStatus.RECEIVED else "臺北市政府社會局物資倉庫",
            quantity_in_stock=quantity - handed,
            status=state,
        )
        if handed:
            GoodsHandout.objects.create(
                goods=goods,
                quantity=handed,
                handed_out_on=today - datetime.timedelta(days=n % 7),
                recipient="萬華區實物銀行分行",
                recorded_by=caseworker or offer.donor,
            )
        Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.RECEIVED)
        if offer.goods_need_id:
            GoodsNeed.objects.filter(pk=offer.goods_need_id).update(quantity_received=quantity)


def _receipts():
    paid = Pledge.objects.filter(
        merchant_trade_no__startswith=PREFIX, status__in=[PledgeStatus.PAID, PledgeStatus.REFUNDED]
    ).order_by("paid_at", "pk")
    counters = {c.roc_year: c for c in ReceiptCounter.objects.all()}
    receipts = []
    for pledge in paid.only("pk", "paid_at", "status", "receipt_name", "receipt_id_number"):
        year = roc_year(timezone.localtime(pledge.paid_at).date())
        counter = counters.setdefault(year, ReceiptCounter(roc_year=year, last=0))
        counter.last += 1
        refunded = pledge.status == PledgeStatus.REFUNDED
        receipts.append(
            Receipt(
                pledge_id=pledge.pk,
                number=f"{year:03d}-{counter.last:06d}",
                status=ReceiptStatus.VOID if refunded else ReceiptStatus.VALID,
                voided_at=timezone.now() if refunded else None,
                void_reason="退款" if refunded else "",
                receipt_name=pledge.receipt_name,
                receipt_id_masked=mask_identity_number(pledge.receipt_id_number)
                if pledge.receipt_id_number
                else "",
            )
        )
    Receipt.objects.bulk_create(receipts, batch_size=2000)
    for counter in counters.values():
        counter.save()


def _recompute_raised():
    totals = dict(
        Pledge.objects.filter(status=PledgeStatus.PAID, program__isnull=False)
        .values_list("program")
        .annotate(total=Sum("amount"))
        .values_list("program", "total")
    )
    for program in Program.objects.filter(pk__in=totals):
        program.money_raised = totals[program.pk]
        program.save(update_fields=["money_raised"])


def _samples(ctx):
    pending = Pledge.objects.filter(
        merchant_trade_no__startswith=PREFIX, status=PledgeStatus.PENDING, channel=Channel.CREDIT
    ).first()
    if pending:
        ctx.samples["pending_pledge"] = {
            "merchant_trade_no": pending.merchant_trade_no,
            "amount": pending.amount,
        }
