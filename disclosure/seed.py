"""Demo spending (approved) and published monthly reports for the last few months."""

import datetime

from django.utils import timezone

from accounts.models import User
from core.seeding import DEMO_EMAIL_DOMAIN
from donations.models import Pledge, PledgeStatus
from programs.models import Program

from .funds import available_for_spending
from .models import MonthlyReport, PayeeType, Spending, SpendingStatus
from .services import ReportRefused, build_report

MONTHS_BACK = 3
ITEMS = ["購置餐盒與食材", "輔具採購", "物資運送費", "講師鐘點費", "急難救助金發放", "場地租借"]


def _months(today):
    year, month = today.year, today.month
    out = []
    for _ in range(MONTHS_BACK + 1):
        out.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(out))


def seed(ctx):
    today = timezone.localdate()
    months = _months(today)
    caseworker = User.objects.filter(email=f"caseworker@{DEMO_EMAIL_DOMAIN}").first()
    reviewer = User.objects.filter(email=f"reviewer@{DEMO_EMAIL_DOMAIN}").first()
    if caseworker and reviewer and not Spending.objects.filter(recorded_by=caseworker).exists():
        programs = Program.objects.filter(
            pk__in=Pledge.objects.filter(
                status=PledgeStatus.PAID, program__isnull=False, program__bureau=caseworker.organisation
            ).values("program")
        ).order_by("pk")
        first_day = datetime.date(*months[0], 1)
        for n, program in enumerate(programs):
            spent_on = min(today, first_day + datetime.timedelta(days=10 + 20 * (n % 4)))
            # A quarter of what the fund can spare on that day and every month end after it, so
            # spending never comes before the money and no published month closes below zero.
            amount = available_for_spending(program, spent_on) // 4
            if amount <= 0:
                continue
            Spending.objects.create(
                program=program,
                spent_on=spent_on,
                item=ITEMS[n % len(ITEMS)],
                amount=amount,
                payee_type=PayeeType.VENDOR,
                voucher_number=f"115-SW-{n + 1:04d}",
                status=SpendingStatus.APPROVED,
                recorded_by=caseworker,
                decided_by=reviewer,
                decided_at=timezone.now(),
            )
    for year, month in months[:-1]:  # the month in progress is provisional, never a version
        if MonthlyReport.objects.filter(year=year, month=month).exists():
            continue
        try:
            build_report(year, month)
        except ReportRefused as exc:  # demo data that does not reconcile is a bug worth seeing
            ctx.log(f"  disclosure {year}-{month:02d} refused: {exc}")
    published = MonthlyReport.objects.filter(year=months[-2][0], month=months[-2][1]).exists()
    if published:
        ctx.samples["disclosure_month"] = f"{months[-2][0]}-{months[-2][1]:02d}"
    # A program whose page shows what its money bought and where its goods went (issue 23).
    showcase = (
        Program.objects.filter(
            spendings__status=SpendingStatus.APPROVED, goods_donations__handouts__isnull=False
        )
        .order_by("pk")
        .first()
    )
    if showcase is not None:
        ctx.samples["program_gift_use_url"] = showcase.get_absolute_url()
