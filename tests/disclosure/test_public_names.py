"""Companies and organisations in full, persons masked, in every public list (goods.csv included)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from disclosure import services
from donations import goods as goods_services
from donations.models import GoodsDonation
from programs import services as program_services
from tests.programs.factories import GoodsNeedFactory, OfferFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Taipei")


def test_company_goods_donors_are_shown_in_full_and_persons_masked(client, program, make_user):
    caseworker = make_user(Role.CASEWORKER, organisation=program.bureau)
    company = make_user(Role.DONOR, name="好食品")
    company.donor_kind, company.receipt_name = "company", "台灣好食品股份有限公司"
    company.save()
    person = make_user(Role.DONOR, name="王小明")
    need = GoodsNeedFactory(program=program, quantity=100, item="白米", unit="包", unit_value=300)
    for donor in (company, person):
        offer = OfferFactory(goods_need=need, quantity=2, donor=donor)
        program_services.accept_offer(offer=offer, actor=caseworker)
        program_services.record_offer_delivery(offer=offer, actor=caseworker)
        goods = goods_services.receive_goods(
            offer=offer, actor=caseworker, quantity=2, condition="全新", unit_value=300
        )
        GoodsDonation.objects.filter(pk=goods.pk).update(
            received_at=datetime.datetime(2026, 10, 9, tzinfo=TZ)
        )
    report, _ = services.build_report(2026, 10)
    assert [g["donor"] for g in report.content["goods"]] == ["台灣好食品股份有限公司", "王○明"]
    csv = client.get(reverse("disclosure:goods_csv", args=[2026, 10])).content.decode("utf-8")
    assert "台灣好食品股份有限公司" in csv and "王小明" not in csv
