"""Programs that end well: the closing report on the page (reached, raised, spent, handed out,
photos) and e-mailed once to every donor, after the commit."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from disclosure import services as disclosure_services
from disclosure.models import PayeeType
from donations import goods as goods_services
from donations import services as donation_services
from programs import services
from programs.closing import donor_emails, send_closing_reports
from programs.models import ClosingReportDelivery, ProgramUpdate
from tests.donations.factories import PledgeFactory
from tests.programs.factories import GoodsNeedFactory, OfferFactory, ProgramFactory
from tests.programs.test_sharing import png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, bureau):
    program = ProgramFactory(bureau=bureau, published=True, title="寒冬送暖", money_target=100000)
    caseworker = make_user(Role.CASEWORKER, organisation=bureau)
    reviewer = make_user(Role.SW_REVIEWER)
    account = make_user(Role.DONOR, email="account@example.tw")
    goods_donor = make_user(Role.DONOR, email="goods@example.tw")
    for pledge in (
        PledgeFactory(program=program, amount=60000, donor=account),
        PledgeFactory(program=program, amount=4000, donor=None, guest_email="Guest@Example.tw"),
        PledgeFactory(program=program, amount=1000, donor=account),  # the same donor twice
    ):
        donation_services._mark_paid(
            pledge, paid_at=timezone.now() - datetime.timedelta(days=9), channel="credit"
        )
    PledgeFactory(program=program, amount=700, guest_email="unpaid@example.tw")  # never paid
    spending = disclosure_services.record_spending(
        actor=caseworker,
        program=program,
        spent_on=timezone.localdate(),
        item="羽絨外套 50 件",
        amount=40000,
        payee_type=PayeeType.VENDOR,
        voucher_number="V-1",
    )
    disclosure_services.approve_spending(spending=spending, actor=reviewer)
    need = GoodsNeedFactory(program=program, item="毛毯", unit="條")
    offer = OfferFactory(goods_need=need, quantity=30, donor=goods_donor, item="毛毯", unit="條")
    services.accept_offer(offer=offer, actor=caseworker)
    services.record_offer_delivery(offer=offer, actor=caseworker)
    goods = goods_services.receive_goods(
        offer=offer, actor=caseworker, quantity=30, condition="全新", unit_value=500
    )
    goods_services.hand_out_goods(
        goods=goods, actor=caseworker, quantity=30, recipient="萬華區街友", handed_out_on=timezone.localdate()
    )
    update = ProgramUpdate(
        program=program,
        posted_on=timezone.localdate(),
        title="外套送達",
        body="x",
        posted_by=caseworker,
        photo_alt="街友穿上新外套",
    )
    update.photo.save("u.png", png_upload(), save=False)
    update.save()
    return {"program": program, "caseworker": caseworker}


def close(world):
    return services.close_program(
        program=world["program"],
        actor=world["caseworker"],
        closing_report="兩百位街友度過寒冬。",
        beneficiaries_reached=200,
    )


def test_the_closed_programs_page_shows_its_closing_report(client, world):
    program = close(world)
    html = client.get(program.get_absolute_url()).content.decode()
    report = html[html.index('id="closing-title"') :]
    assert "兩百位街友度過寒冬。" in report
    assert "200" in report
    assert "NT$65,000" in report  # raised
    assert "NT$40,000" in report  # spent (approved)
    assert "收到 30條，已發放 30條" in report
    assert 'alt="街友穿上新外套"' in report


def test_every_donor_is_emailed_the_closing_report_once_after_the_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    assert donor_emails(world["program"]) == ["account@example.tw", "goods@example.tw", "guest@example.tw"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        close(world)
    assert callbacks  # queued on commit, not before
    reports = [m for m in mailoutbox if "結案報告" in m.subject]
    assert sorted(m.to[0] for m in reports) == ["account@example.tw", "goods@example.tw", "guest@example.tw"]
    body = reports[0].body
    assert "兩百位街友度過寒冬。" in body and "NT$65,000" in body and "NT$40,000" in body
    assert f"/programs/{world['program'].pk}/" in body
    # A retried or repeated task sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_closing_reports(world["program"].pk) == 0
    assert len([m for m in mailoutbox if "結案報告" in m.subject]) == 3
    assert ClosingReportDelivery.objects.filter(program=world["program"]).count() == 3


def test_no_closing_report_is_sent_for_a_program_still_open(world, mailoutbox):
    assert send_closing_reports(world["program"].pk) == 0
    assert not ClosingReportDelivery.objects.exists()
