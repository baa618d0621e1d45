from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from . import builder
from .models import MonthlyReport, Spending, SpendingStatus


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


def filter_income(lines, *, q="", program="", category="", channel=""):
    out = lines
    if program:
        out = [line for line in out if str(line["program_id"] or "") == program]
    if category:
        out = [line for line in out if line["category"] == category]
    if channel:
        out = [line for line in out if line["channel"] == channel]
    if q:
        out = [line for line in out if q in line["donor"] or q in line["designation"] or q in line["receipt"]]
    return out


def paginate(lines, page, per_page=50):
    return Paginator(lines, per_page).get_page(page)


def spending_queue():
    return Spending.objects.filter(status=SpendingStatus.RECORDED).select_related(
        "program", "program__bureau", "recorded_by"
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
