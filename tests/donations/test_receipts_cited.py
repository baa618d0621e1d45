"""Receipts cited right: the month cites the valid receipt after a correction, and goods receipts
are numbered from their own gap-free series."""

import datetime
import subprocess
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from disclosure import services as disclosure_services
from donations import goods as goods_services
from donations import services
from donations.models import GoodsReceiptCounter, ReceiptStatus
from programs import services as program_services
from tests.donations.factories import PledgeFactory
from tests.programs.factories import GoodsNeedFactory, OfferFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Taipei")


def test_after_a_correction_the_month_cites_the_reissued_receipt(program, reviewer):
    pledge = PledgeFactory(program=program, amount=800)
    services._mark_paid(pledge, paid_at=datetime.datetime(2026, 10, 8, 10, tzinfo=TZ), channel="credit")
    first = pledge.receipts.get()
    v1, _ = disclosure_services.build_report(2026, 10)
    assert v1.content["income"][0]["receipt"] == first.number
    new = services.correct_receipt(
        pledge=pledge, actor=reviewer, receipt_name="王大明", receipt_id_number="", reason="抬頭誤植"
    )
    first.refresh_from_db()
    assert first.status == ReceiptStatus.VOID
    v2, created = disclosure_services.build_report(2026, 10)
    assert created and v2.content["income"][0]["receipt"] == new.number != first.number


def test_goods_receipts_are_numbered_from_their_own_gap_free_series(client, program, donor, make_user):
    caseworker = make_user(Role.CASEWORKER, organisation=program.bureau)
    need = GoodsNeedFactory(program=program, quantity=100, item="白米", unit="包", unit_value=300)
    received = []
    for quantity in (3, 4):
        offer = OfferFactory(goods_need=need, quantity=quantity, donor=donor)
        program_services.accept_offer(offer=offer, actor=caseworker)
        program_services.record_offer_delivery(offer=offer, actor=caseworker)
        received.append(
            goods_services.receive_goods(
                offer=offer, actor=caseworker, quantity=quantity, condition="全新", unit_value=300
            )
        )
    # A money receipt in between takes nothing from the goods series.
    services._mark_paid(PledgeFactory(program=program), paid_at=received[0].received_at, channel="credit")
    year = received[0].received_at.astimezone(TZ).year - 1911
    assert [g.receipt_number for g in received] == [f"G{year}-000001", f"G{year}-000002"]
    assert GoodsReceiptCounter.objects.get(roc_year=year).last == 2
    client.force_login(donor)
    pdf = client.get(reverse("donations:goods_receipt_pdf", args=[received[1].pk])).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert f"G{year}-000002" in text
