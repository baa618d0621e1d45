import datetime
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Max
from django.db.models.fields.json import KeyTransform
from django.urls import reverse
from django.utils import timezone

from donations.models import GoodsDonation, Pledge, PledgeStatus
from programs.models import Program, ProgramStatus

from . import builder, funds
from .models import CommitteeMeeting, MonthlyReport, Spending, SpendingStatus

# A pledge still open after this long is listed for the committee (a voucher left unpaid, a stuck card).
STALE_PLEDGE_DAYS = 14


def month_in_progress(year: int, month: int) -> bool:
    """A month that has not ended yet (Taiwan time): shown provisional, never published as a version."""
    return builder.month_bounds(year, month)[1] > timezone.now()


def current_month() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, today.month


@dataclass
class ProvisionalReport:
    """The month in progress, built from the records as they stand: no version, no digest."""

    year: int
    month: int
    content: dict
    built_at: object = field(default_factory=timezone.now)
    version = None
    digest = ""
    change_note = ""
    provisional = True

    @property
    def summary(self) -> dict:
        return builder.summarise(self.content)

    def get_absolute_url(self):
        return reverse("disclosure:month", args=[self.year, f"{self.month:02d}"])


def provisional_report(year: int, month: int) -> ProvisionalReport:
    return ProvisionalReport(year=year, month=month, content=builder.build_content(year, month))


def report_or_provisional(year: int, month: int, version: int | None = None):
    """What the public sees for a month: the month in progress live, an ended month's frozen version."""
    if not (1 <= year <= 9998 and 1 <= month <= 12):  # no such Taiwan month (e.g. /api/…/0000-01/)
        return None
    if not version and month_in_progress(year, month):
        return provisional_report(year, month) if (year, month) <= current_month() else None
    return report_for(year, month, version)


def published_months():
    """The latest version of every published month, newest first."""
    latest = MonthlyReport.objects.values("year", "month").annotate(version=Max("version"))
    keys = {(row["year"], row["month"], row["version"]) for row in latest}
    reports = (
        MonthlyReport.objects.filter(version__in={k[2] for k in keys})
        .defer("content")
        .order_by("-year", "-month")
    )
    return [r for r in reports if (r.year, r.month, r.version) in keys]


def report_for(year: int, month: int, version: int | None = None) -> MonthlyReport | None:
    qs = MonthlyReport.objects.filter(year=year, month=month)
    if version:
        return qs.filter(version=version).first()
    return qs.order_by("-version").first()


def versions_of(year: int, month: int):
    return (
        MonthlyReport.objects.filter(year=year, month=month)
        .order_by("version")
        .only("version", "built_at", "change_note", "digest")
    )


def _matches(line: dict, *, q: str, program: str, category: str, channel: str) -> bool:
    return (
        (not program or str(line["program_id"] or "") == program)
        and (not category or line["category"] == category)
        and (not channel or line["channel"] == channel)
        and (not q or q in line["donor"] or q in line["designation"] or q in line["receipt"])
    )


def filter_income(lines, *, q="", program="", category="", channel=""):
    """The month's income lines a visitor's filters keep (every filter left empty keeps all)."""
    if not (q or program or category or channel):
        return lines
    return [
        line for line in lines if _matches(line, q=q, program=program, category=category, channel=channel)
    ]


def paginate(lines, page, per_page=50):
    return Paginator(lines, per_page).get_page(page)


def spending_queue():
    return (
        Spending.objects.filter(status=SpendingStatus.RECORDED)
        .select_related("program", "program__bureau", "recorded_by")
        .order_by("-spent_on", "-pk")  # the model's order, stated: the queue is paginated
    )


def program_totals(program_id: int) -> dict:
    """A program's income and spending as published (latest version of each month)."""
    income = spending = 0
    months = []
    for report in published_months():
        entry = report.summary.get("by_program", {}).get(str(program_id), {})
        i, s = entry.get("income", 0), entry.get("spending", 0)
        if i or s:
            months.append(
                {
                    "year": report.year,
                    "month": report.month,
                    "income": i,
                    "spending": s,
                    "url": report.get_absolute_url(),
                }
            )
        income += i
        spending += s
    return {"income": income, "spending": spending, "months": months}


# --- Spending ---------------------------------------------------------------------------------


def spending_page(bureau_id) -> dict:
    """The spending form's side panels: each public program's spendable balance, the latest records."""
    programs = Program.objects.filter(
        bureau_id=bureau_id, status__in=[ProgramStatus.PUBLISHED, ProgramStatus.CLOSED]
    )
    now = timezone.now()
    return {
        "balances": [(p, funds.available_from(p, now)) for p in programs],
        "mine": Spending.objects.filter(program__bureau_id=bureau_id).select_related("program")[:30],
    }


# --- The committee's half-year packet ---------------------------------------------------------


def half_year_bounds(year: int, half: int) -> tuple[datetime.date, datetime.date]:
    if half == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)


def _roll_up_funds(reports) -> list[dict]:
    """Each fund over the half year: the first month's opening, the months' flows, the last closing."""
    rolled = {}
    for report in sorted(reports, key=lambda r: (r.year, r.month)):
        for fund in report.funds:
            entry = rolled.setdefault(
                fund["fund"],
                {"name": fund["name"], "opening": fund["opening"], "income": 0, "refunds": 0, "spending": 0},
            )
            for key in ("income", "refunds", "spending"):
                entry[key] += fund[key]
            entry["closing"] = fund["closing"]
    return list(rolled.values())


def _summed(reports, key: str) -> list[tuple[str, int]]:
    totals = {}
    for report in reports:
        for name, value in report.summary[key].items():
            totals[name] = totals.get(name, 0) + value
    return sorted(totals.items(), key=lambda kv: -kv[1])


def summed_breakdowns(reports) -> tuple[list, list]:
    """The reports' gifts by payment channel and by category, summed, largest first."""
    return _summed(reports, "by_channel"), _summed(reports, "by_category")


def committee_packet(year: int, half: int) -> dict:
    """What the relief committee reads for a half year: the published months rolled up by fund and
    category, goods in custody, pledges left open, unspent funds, returned spending, the meetings."""
    start, end = half_year_bounds(year, half)
    months = {r.pk for r in published_months() if start <= datetime.date(r.year, r.month, 1) <= end}
    # Only the funds of each month's content (a month's content holds every gift line: ~400 KB at
    # Taipei's size, six of them parsed for every view of the packet otherwise).
    reports = list(
        MonthlyReport.objects.filter(pk__in=months)
        .defer("content")
        .annotate(funds=KeyTransform("funds", "content"))
    )
    rolled = _roll_up_funds(reports)
    stale = timezone.now() - datetime.timedelta(days=STALE_PLEDGE_DAYS)
    return {
        "year": year,
        "half": half,
        "start": start,
        "end": end,
        "reports": reports,
        "funds": rolled,
        "by_category": _summed(reports, "by_category"),
        "custody": GoodsDonation.objects.filter(quantity_in_stock__gt=0).select_related("program"),
        "open_pledges": Pledge.objects.filter(
            status__in=[PledgeStatus.PENDING, PledgeStatus.AWAITING_PAYMENT], created_at__lt=stale
        ),
        "unspent": [f for f in rolled if f["closing"] > 0],
        "returned": Spending.objects.filter(
            status=SpendingStatus.RETURNED, spent_on__range=(start, end)
        ).select_related("program"),
        "meetings": CommitteeMeeting.objects.filter(period_start__lte=end, period_end__gte=start),
    }
