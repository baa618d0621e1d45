"""Designated funds are never below zero: on the day money leaves them, at every later month end,
after a refund (refused, or covered by a recorded transfer), and in what the disclosure publishes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from disclosure import funds, services
from disclosure.builder import build_content
from disclosure.models import FundTransfer, MonthlyReport, Spending, SpendingStatus
from donations import services as donation_services
from donations.models import PledgeStatus
from tests.donations.factories import PledgeFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Taipei")


def at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


def give(program, amount, when):
    pledge = PledgeFactory(program=program, amount=amount)
    donation_services._mark_paid(pledge, paid_at=when, channel="credit")
    return pledge


def spend(actor, program, amount, on):
    return services.record_spending(
        actor=actor,
        program=program,
        spent_on=on,
        item="購置餐盒",
        amount=amount,
        payee_type="vendor",
        voucher_number="V-1",
    )


def test_spending_dated_before_the_money_arrived_is_refused(program, caseworker_of_program):
    give(program, 10000, at(2026, 10, 20))
    with pytest.raises(ValidationError, match=r"可用餘額 NT\$0"):
        spend(caseworker_of_program, program, 3000, datetime.date(2026, 10, 5))
    assert not Spending.objects.exists()
    # On the day the gift arrived (and after) the money is there.
    spend(caseworker_of_program, program, 3000, datetime.date(2026, 10, 20))


def test_spending_that_would_take_a_later_month_end_below_zero_is_refused(program, caseworker_of_program):
    give(program, 10000, at(2026, 9, 5))
    spend(caseworker_of_program, program, 8000, datetime.date(2026, 10, 10))
    # As of 20 September the fund holds 10,000, but by the end of October only 2,000 are left.
    with pytest.raises(ValidationError, match=r"可用餘額 NT\$2,000"):
        spend(caseworker_of_program, program, 5000, datetime.date(2026, 9, 20))
    spend(caseworker_of_program, program, 2000, datetime.date(2026, 9, 20))


def test_approval_checks_the_balance_as_of_the_spending_date(program, caseworker_of_program, reviewer):
    give(program, 5000, at(2026, 10, 1))
    early = Spending.objects.create(
        program=program,
        spent_on=datetime.date(2026, 9, 15),  # recorded before the guard, dated before the gift
        item="x",
        amount=1000,
        payee_type="vendor",
        voucher_number="V",
        recorded_by=caseworker_of_program,
    )
    with pytest.raises(ValidationError, match="可用餘額"):
        services.approve_spending(spending=early, actor=reviewer)
    early.refresh_from_db()
    assert early.status == SpendingStatus.RECORDED


def test_a_refund_that_would_take_the_designated_fund_below_zero_is_refused(
    program, caseworker_of_program, reviewer
):
    pledge = give(program, 5000, at(2026, 10, 1))
    spend(caseworker_of_program, program, 4000, datetime.date(2026, 10, 2))
    with pytest.raises(ValidationError, match=r"尚缺 NT\$4,000"):
        donation_services.refund_pledge(pledge=pledge, actor=reviewer, reason="重複捐款")
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert not FundTransfer.objects.exists()


def test_a_refund_covered_from_the_unrestricted_fund_is_a_recorded_transfer_shown_in_the_disclosure(
    program, caseworker_of_program, reviewer
):
    pledge = give(program, 5000, at(2026, 10, 1))
    give(None, 20000, at(2026, 10, 1))
    spend(caseworker_of_program, program, 4000, datetime.date(2026, 10, 2))
    donation_services.refund_pledge(
        pledge=pledge, actor=reviewer, reason="重複捐款", cover_from_unrestricted=True
    )
    transfer = FundTransfer.objects.get()
    assert (transfer.amount, transfer.program, transfer.pledge) == (4000, program, pledge)
    assert AuditEvent.objects.filter(action="fund.transferred").exists()
    services.approve_spending(spending=Spending.objects.get(), actor=reviewer)
    now = timezone.localtime()
    content = build_content(now.year, now.month)
    fund = {f["fund"]: f for f in content["funds"]}
    assert fund[f"program:{program.pk}"]["closing"] == 0
    assert fund[f"program:{program.pk}"]["transfers"] == 4000
    assert fund["unrestricted"]["closing"] == 16000
    assert content["transfers"][0]["amount"] == 4000


def test_a_transfer_is_refused_when_the_unrestricted_fund_cannot_cover_it(
    program, caseworker_of_program, reviewer
):
    pledge = give(program, 5000, at(2026, 10, 1))
    give(None, 1000, at(2026, 10, 1))
    spend(caseworker_of_program, program, 4000, datetime.date(2026, 10, 2))
    with pytest.raises(ValidationError, match="不指定用途基金餘額"):
        donation_services.refund_pledge(
            pledge=pledge, actor=reviewer, reason="重複捐款", cover_from_unrestricted=True
        )
    assert funds.unrestricted_balance() == 1000


def test_the_refund_page_offers_the_transfer_and_shows_the_refusal(
    client, program, caseworker_of_program, reviewer
):
    pledge = give(program, 5000, at(2026, 10, 1))
    spend(caseworker_of_program, program, 4000, datetime.date(2026, 10, 2))
    client.force_login(reviewer)
    url = reverse("donations:refund", args=[pledge.merchant_trade_no])
    response = client.post(url, {"reason": "重複捐款"})
    assert response.status_code == 200
    assert "尚缺 NT$4,000" in response.content.decode()
    assert 'name="cover_from_unrestricted"' in response.content.decode()


def test_the_reconciliation_refuses_a_month_with_a_negative_designated_closing(
    program, caseworker_of_program
):
    give(program, 1000, at(2026, 10, 20))
    Spending.objects.create(  # bypassing the guard, as a bad import or an old record might
        program=program,
        spent_on=datetime.date(2026, 10, 5),
        item="x",
        amount=3000,
        payee_type="vendor",
        voucher_number="V",
        recorded_by=caseworker_of_program,
        status=SpendingStatus.APPROVED,
    )
    with pytest.raises(services.ReportRefused, match="低於零"):
        services.build_report(2026, 10)
    assert not MonthlyReport.objects.exists()
