"""Where designated money and goods went: spending lines and hand-outs on the program page, and on
the donor's dashboard (or a guest's pledge page) the spending since each gift and their goods traced."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from disclosure import services as disclosure_services
from disclosure.masking import INDIVIDUAL, general_recipient
from disclosure.models import PayeeType
from donations import goods as goods_services
from donations import guest_links
from donations import services as donation_services
from programs import services as program_services
from tests.donations.factories import PledgeFactory
from tests.programs.factories import GoodsNeedFactory, OfferFactory, ProgramFactory, category

pytestmark = pytest.mark.django_db


def paid(pledge, when):
    donation_services._mark_paid(pledge, paid_at=when, channel="credit")
    pledge.refresh_from_db()
    return pledge


def spend(program, caseworker, reviewer, *, item, amount, voucher, spent_on=None, approve=True):
    spending = disclosure_services.record_spending(
        actor=caseworker,
        program=program,
        spent_on=spent_on or timezone.localdate(),
        item=item,
        amount=amount,
        payee_type=PayeeType.VENDOR,
        voucher_number=voucher,
    )
    if approve:
        disclosure_services.approve_spending(spending=spending, actor=reviewer)
    return spending


@pytest.fixture
def caseworker(make_user, program):
    return make_user(Role.CASEWORKER, organisation=program.bureau)


def hand_out(program, caseworker, donor, *, recipient, item="白米"):
    need = GoodsNeedFactory(program=program, item=item, quantity=100, unit="包")
    offer = OfferFactory(goods_need=need, quantity=40, donor=donor, item=item)
    program_services.accept_offer(offer=offer, actor=caseworker)
    program_services.record_offer_delivery(offer=offer, actor=caseworker)
    goods = goods_services.receive_goods(
        offer=offer, actor=caseworker, quantity=40, condition="全新", unit_value=300
    )
    goods_services.hand_out_goods(
        goods=goods, actor=caseworker, quantity=25, recipient=recipient, handed_out_on=timezone.localdate()
    )
    return goods


def test_the_program_page_lists_approved_spending_lines_and_hand_outs(
    client, program, caseworker, reviewer, donor
):
    paid(PledgeFactory(program=program, amount=50000), timezone.now() - datetime.timedelta(days=3))
    spend(program, caseworker, reviewer, item="便當 500 份", amount=30000, voucher="115-SW-0001")
    spend(
        program,
        caseworker,
        reviewer,
        item="還沒核定的支出",
        amount=1000,
        voucher="115-SW-0002",
        approve=False,
    )
    hand_out(program, caseworker, donor, recipient="萬華區實物銀行分行")
    html = client.get(program.get_absolute_url()).content.decode()
    assert "便當 500 份" in html and "NT$30,000" in html and "115-SW-0001" in html
    assert "還沒核定的支出" not in html
    assert "萬華區實物銀行分行" in html and "25包" in html
    assert "收到 40包，已發放 25包" in html


def test_a_page_shown_before_the_approval_is_refreshed_by_it(
    client, program, caseworker, reviewer, django_capture_on_commit_callbacks
):
    paid(PledgeFactory(program=program, amount=50000), timezone.now() - datetime.timedelta(days=3))
    spending = spend(
        program, caseworker, reviewer, item="輪椅 2 台", amount=9000, voucher="V-9", approve=False
    )
    assert "輪椅 2 台" not in client.get(program.get_absolute_url()).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        disclosure_services.approve_spending(spending=spending, actor=reviewer)
    assert "輪椅 2 台" in client.get(program.get_absolute_url()).content.decode()


def test_a_sensitive_programs_items_vouchers_and_recipients_are_withheld(client, make_user, reviewer, donor):
    program = ProgramFactory(published=True, category=category("domestic-violence"), money_target=100000)
    caseworker = make_user(Role.CASEWORKER, organisation=program.bureau)
    paid(PledgeFactory(program=program, amount=50000), timezone.now() - datetime.timedelta(days=3))
    spend(program, caseworker, reviewer, item="庇護所租金", amount=20000, voucher="SECRET-1")
    hand_out(program, caseworker, donor, recipient="信義區庇護家園")
    html = client.get(program.get_absolute_url()).content.decode()
    assert "NT$20,000" in html
    assert "庇護所租金" not in html and "SECRET-1" not in html and "信義區庇護家園" not in html
    assert "敏感類別" in html


@pytest.mark.parametrize(
    "recorded, shown",
    [
        ("萬華區實物銀行分行", "萬華區實物銀行分行"),
        ("獨居長者 12 戶", "獨居長者 12 戶"),  # short counts are fine; 4+ digits are withheld
        ("王小明", INDIVIDUAL),
        ("歐陽娜娜", INDIVIDUAL),
        ("陳先生 0912345678", INDIVIDUAL),
        ("A123456789 家庭", INDIVIDUAL),
        ("大安區", "大安區"),
        ("", INDIVIDUAL),
    ],
)
def test_hand_out_recipients_are_shown_in_general_terms_only(recorded, shown):
    assert general_recipient(recorded) == shown


def test_a_personal_name_typed_as_recipient_is_not_published(client, program, caseworker, donor):
    hand_out(program, caseworker, donor, recipient="林美玉")
    html = client.get(program.get_absolute_url()).content.decode()
    assert "林美玉" not in html and INDIVIDUAL in html


def test_the_donor_dashboard_shows_spending_since_each_gift_and_their_goods_handed_out(
    client, program, caseworker, reviewer, donor
):
    earlier = timezone.localdate() - datetime.timedelta(days=20)
    paid(
        PledgeFactory(program=program, amount=80000, donor=donor),
        timezone.now() - datetime.timedelta(days=30),
    )
    spend(
        program, caseworker, reviewer, item="早於捐款的支出", amount=1000, voucher="OLD-1", spent_on=earlier
    )
    gift = paid(
        PledgeFactory(program=program, amount=5000, donor=donor), timezone.now() - datetime.timedelta(days=5)
    )
    spend(program, caseworker, reviewer, item="保溫餐盒 100 個", amount=15000, voucher="NEW-1")
    PledgeFactory(program=program, amount=999, donor=donor)  # not paid: nothing to trace
    hand_out(program, caseworker, donor, recipient="大同區獨居長者", item="毛毯")
    client.force_login(donor)
    html = client.get("/donations/").content.decode()
    section = html[html.index('id="gift-use-title"') :]
    first = section.index(f"{gift.amount:,}")
    assert "保溫餐盒 100 個" in section[first:] and "NEW-1" in section
    # The first gift (30 days ago) saw both lines; the later one only the line after it.
    later_gift = section[first : section.index("NT$80,000")]
    assert "早於捐款的支出" not in later_gift
    assert "大同區獨居長者" in section and "25包" in section


def test_a_guest_reaches_the_same_through_their_signed_link(client, program, caseworker, reviewer):
    pledge = paid(
        PledgeFactory(program=program, amount=3000, donor=None), timezone.now() - datetime.timedelta(days=2)
    )
    spend(program, caseworker, reviewer, item="營養午餐食材", amount=2000, voucher="G-1")
    response = client.get(f"/donations/guest/{guest_links.token_for(pledge)}/", follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "我的捐贈用在哪裡" in html and "營養午餐食材" in html and "G-1" in html


def test_the_gift_section_makes_a_fixed_number_of_queries_however_many_gifts(
    program, caseworker, reviewer, donor, django_assert_num_queries
):
    from django.template import Context, Template

    template = Template("{% load disclosure_tags %}{% donor_gift_use user %}")
    spend_first = True
    for n in range(3):
        paid(
            PledgeFactory(program=program, amount=1000 + n, donor=donor),
            timezone.now() - datetime.timedelta(days=9),
        )
    for round_ in range(2):
        if spend_first:
            spend(program, caseworker, reviewer, item="食材", amount=1500, voucher=f"Q-{round_}")
        hand_out(program, caseworker, donor, recipient="中正區獨居長者", item=f"物資{round_}")
        with django_assert_num_queries(3):  # gifts, their programs' spending, the donor's hand-outs
            html = template.render(Context({"user": donor}))
        assert html.count('class="gift-trace"') == 3 * (round_ + 1)
        for n in range(3):
            paid(PledgeFactory(program=program, amount=5000 + n, donor=donor), timezone.now())
