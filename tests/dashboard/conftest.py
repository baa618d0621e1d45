import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from disclosure.selectors import provisional_report
from disclosure.services import build_report
from donations import goods as goods_services
from donations import services as donation_services
from programs import services as program_services
from programs.models import ProgramStatus
from tests.accounts.factories import OrganisationFactory
from tests.donations.factories import PledgeFactory
from tests.programs.factories import (
    GoodsNeedFactory,
    OfferFactory,
    ProgramFactory,
    ServiceNeedFactory,
    category,
)
from tests.volunteers.factories import (
    ServiceRecordFactory,
    UnitFactory,
    member_of,
)

TAIPEI = ZoneInfo("Asia/Taipei")


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


@pytest.fixture
def figures_world(db, make_user):
    """A small, complete data set: paid gifts in two months (one refunded), goods with an appraised
    value from a matched offer, programs in two categories and several statuses, and volunteer units
    with volunteers (one aged 65+) and hours this year."""
    today = timezone.localdate()
    this_month = (today.year, today.month)
    last_month = previous_month(*this_month)
    social = OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU, name="社會局（儀表板測試）")
    other = OrganisationFactory(kind=OrganisationKind.BUREAU, name="衛生局（儀表板測試）")
    caseworker = make_user(Role.CASEWORKER, organisation=social)
    other_caseworker = make_user(Role.CASEWORKER, organisation=other)
    reviewer = make_user(Role.SW_REVIEWER, organisation=social)
    donor = make_user(Role.DONOR)

    children = ProgramFactory(
        bureau=social, category=category("children"), published=True, title="兒少送暖", created_by=caseworker
    )
    elderly = ProgramFactory(
        bureau=other,
        category=category("elderly"),
        published=True,
        title="長者送餐",
        created_by=other_caseworker,
    )
    closed = ProgramFactory(
        bureau=other,
        category=category("elderly"),
        status=ProgramStatus.CLOSED,
        published_at=timezone.now(),
        title="長者共餐（已結案）",
        beneficiaries_reached=300,
        created_by=other_caseworker,
    )
    draft = ProgramFactory(
        bureau=social, category=category("children"), title="草稿方案", beneficiaries_reached=999
    )
    ProgramFactory(
        bureau=social, category=category("children"), status=ProgramStatus.SUBMITTED, title="待審方案"
    )
    program_services.post_update(
        program=children,
        actor=caseworker,
        posted_on=today,
        title="第一批送達",
        body="已送達",
        beneficiaries_reached=40,
    )

    # Gifts: two last month, two this month (one of which is refunded this month).
    def pay(program, amount, when):
        pledge = PledgeFactory(program=program, amount=amount, donor=donor, guest_email="")
        donation_services._mark_paid(pledge, paid_at=when, channel="credit")
        return pledge

    last = datetime.datetime(*last_month, 10, 12, tzinfo=TAIPEI)
    now = timezone.now()
    pay(children, 1000, last)
    pay(elderly, 2500, last)
    pay(children, 700, now)
    refunded = pay(elderly, 300, now)
    donation_services.refund_pledge(pledge=refunded, actor=reviewer, reason="重複捐款")
    # An unpaid pledge counts nowhere.
    PledgeFactory(program=children, amount=99999, donor=donor, guest_email="")

    # Goods: a matched offer received at an appraised value (this month), and one backdated to last month.
    need = GoodsNeedFactory(program=children, quantity=100)
    offer = OfferFactory(goods_need=need, program=children, quantity=10, donor=donor)
    program_services.accept_offer(offer=offer, actor=caseworker)
    program_services.record_offer_delivery(offer=offer, actor=caseworker)
    goods_services.receive_goods(offer=offer, actor=caseworker, quantity=10, condition="全新", unit_value=350)
    old_offer = OfferFactory(goods_need=need, program=children, quantity=4, donor=donor)
    program_services.accept_offer(offer=old_offer, actor=caseworker)
    program_services.record_offer_delivery(offer=old_offer, actor=caseworker)
    old_goods = goods_services.receive_goods(
        offer=old_offer, actor=caseworker, quantity=4, condition="全新", unit_value=250
    )
    type(old_goods).objects.filter(pk=old_goods.pk).update(received_at=last)
    # A pending service offer is not a match.
    program_services.make_offer(
        donor=donor,
        kind="service",
        service_need=ServiceNeedFactory(program=elderly),
        item="陪伴",
        quantity=2,
        unit="小時",
    )

    # Volunteers: two approved units, three volunteers (one aged 65+), hours this year.
    unit_a = UnitFactory(approved=True)
    unit_b = UnitFactory(approved=True)
    UnitFactory()  # a unit without an approved plan is not counted
    young = member_of(unit_a, birth_date=datetime.date(1990, 1, 1))
    senior = member_of(unit_a, birth_date=datetime.date(1950, 3, 3))
    middle = member_of(unit_b, birth_date=datetime.date(1975, 6, 6))
    ServiceRecordFactory(volunteer=young, unit=unit_a, served_on=today, hours=Decimal("3.00"))
    ServiceRecordFactory(volunteer=senior, unit=unit_a, served_on=today, hours=Decimal("2.50"))
    ServiceRecordFactory(volunteer=middle, unit=unit_b, served_on=today, hours=Decimal("4.25"))
    ServiceRecordFactory(
        volunteer=middle, unit=unit_b, served_on=datetime.date(today.year - 1, 6, 1), hours=Decimal("8.00")
    )

    # the month in progress is provisional: built live, never a frozen version
    reports = [build_report(*last_month)[0], provisional_report(*this_month)]
    return {
        "today": today,
        "months": [last_month, this_month],
        "reports": reports,
        "programs": {"children": children, "elderly": elderly, "closed": closed, "draft": draft},
        "users": {"caseworker": caseworker, "reviewer": reviewer, "donor": donor},
    }
