from django.core.paginator import Paginator
from django.db.models import Max

from .models import MonthlyReport, Spending, SpendingStatus


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
