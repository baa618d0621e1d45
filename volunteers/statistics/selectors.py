"""The volunteer figures the centre, the bureau and the public dashboard report.

One definition of each figure, used by the statistics pages, their XLSX and the public dashboard,
so the same data always gives the same numbers.
"""

import datetime
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from core.charts import bar_chart, column_chart
from core.language import in_record_language
from core.roc import to_roc
from core.tabular import append_row

from ..models import (
    InsurancePolicy,
    Membership,
    PlanStatus,
    ServiceDomain,
    ServicePlan,
    ServiceRecord,
    Volunteer,
    VolunteerUnit,
)

SENIOR_AGE = 65
TARGETS = {
    "seniors_share": Decimal("0.21"),
    "insured_share": Decimal("1"),
    "record_book_share": Decimal("0.95"),
}


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class VolunteerFigures:
    year: int
    as_of: datetime.date
    units: int
    volunteers: int
    person_times: int
    hours: Decimal
    seniors: int
    insured: int
    with_record_book: int

    def _share(self, part: int) -> Decimal:
        return (
            (Decimal(part) / self.volunteers).quantize(Decimal("0.0001")) if self.volunteers else Decimal(0)
        )

    @property
    def seniors_share(self) -> Decimal:
        return self._share(self.seniors)

    @property
    def insured_share(self) -> Decimal:
        return self._share(self.insured)

    @property
    def record_book_share(self) -> Decimal:
        return self._share(self.with_record_book)


def active_volunteers(as_of: datetime.date, unit_ids=None):
    """People serving in at least one (of the given) unit(s) on ``as_of``."""
    memberships = Membership.objects.filter(joined_on__lte=as_of).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=as_of)
    )
    if unit_ids is not None:
        memberships = memberships.filter(unit_id__in=unit_ids)
    return Volunteer.objects.filter(pk__in=memberships.values("volunteer_id"))


def approved_plans(as_of: datetime.date):
    """Plans approved (核備) by the end of ``as_of``: a past year counts the units approved by then,
    not today's. A plan without an approval time (older data) counts from its own year."""
    end = timezone.make_aware(datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time()))
    return ServicePlan.objects.filter(status=PlanStatus.APPROVED).filter(
        Q(bureau_reviewed_at__lt=end) | Q(bureau_reviewed_at__isnull=True, year__lte=as_of.year)
    )


def volunteer_figures(*, year: int, as_of: datetime.date | None = None, unit_ids=None) -> VolunteerFigures:
    """Figures for a calendar year, as they were then: hours and person-times served in it; units
    approved, people serving and people insured on ``as_of`` (the year's last day, or today for the
    current year). A person-time (人次) is one service record."""
    today = timezone.localdate()
    if as_of is None:
        as_of = min(datetime.date(year, 12, 31), today)
    units = VolunteerUnit.objects.filter(pk__in=approved_plans(as_of).values("unit_id"))
    records = ServiceRecord.objects.filter(served_on__year=year)
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
        records = records.filter(unit_id__in=unit_ids)
    served = records.aggregate(person_times=Count("pk"), hours=Sum("hours"))
    people = active_volunteers(as_of, unit_ids)
    heads = people.aggregate(
        volunteers=Count("pk"),
        seniors=Count("pk", filter=Q(birth_date__lte=years_before(as_of, SENIOR_AGE))),
        with_record_book=Count("pk", filter=~Q(record_book_number="")),
    )
    # People covered by any policy on ``as_of`` (a semi-join: one row per person, no DISTINCT).
    covered = InsurancePolicy.insured.through.objects.filter(
        insurancepolicy__starts_on__lte=as_of, insurancepolicy__ends_on__gte=as_of
    ).values("volunteer_id")
    insured = people.filter(pk__in=covered)
    return VolunteerFigures(
        year=year,
        as_of=as_of,
        units=units.distinct().count(),
        volunteers=heads["volunteers"],
        person_times=served["person_times"],
        hours=served["hours"] or Decimal(0),
        seniors=heads["seniors"],
        insured=insured.count(),
        with_record_book=heads["with_record_book"],
    )


# --- Breakdowns for the centre's and bureaus' statistics page (beside the figures above) -------

YEARS_SHOWN = 5


def _records(year=None, unit_ids=None):
    records = ServiceRecord.objects.all()
    if year is not None:
        records = records.filter(served_on__year=year)
    if unit_ids is not None:
        records = records.filter(unit_id__in=unit_ids)
    return records


def hours_by_unit(*, year: int, unit_ids=None, limit: int | None = None) -> list[dict]:
    rows = (
        _records(year, unit_ids)
        .values("unit_id", "unit__organisation__name")
        .annotate(hours=Sum("hours"), person_times=Count("pk"), people=Count("volunteer_id", distinct=True))
        .order_by("-hours", "unit__organisation__name")
    )
    rows = rows[:limit] if limit else rows
    return [
        {
            "label": r["unit__organisation__name"],
            "hours": r["hours"],
            "person_times": r["person_times"],
            "people": r["people"],
        }
        for r in rows
    ]


def hours_by_bureau(*, year: int, unit_ids=None) -> list[dict]:
    rows = (
        _records(year, unit_ids)
        .values("unit__organisation__competent_bureau__name")
        .annotate(hours=Sum("hours"), person_times=Count("pk"), people=Count("volunteer_id", distinct=True))
        .order_by("-hours")
    )
    return [
        {
            "label": r["unit__organisation__competent_bureau__name"] or gettext_lazy("（未指定）"),
            "hours": r["hours"],
            "person_times": r["person_times"],
            "people": r["people"],
        }
        for r in rows
    ]


def hours_by_domain(*, year: int, unit_ids=None) -> list[dict]:
    labels = dict(ServiceDomain.choices)
    rows = (
        _records(year, unit_ids)
        .values("domain")
        .annotate(hours=Sum("hours"), person_times=Count("pk"), people=Count("volunteer_id", distinct=True))
        .order_by("-hours")
    )
    return [
        {
            "label": labels.get(r["domain"], r["domain"]),
            "hours": r["hours"],
            "person_times": r["person_times"],
            "people": r["people"],
        }
        for r in rows
    ]


def figures_by_year(*, last_year: int, unit_ids=None, years: int = YEARS_SHOWN) -> list[VolunteerFigures]:
    return [volunteer_figures(year=y, unit_ids=unit_ids) for y in range(last_year - years + 1, last_year + 1)]


def statistics_report(*, year: int, unit_ids=None) -> dict:
    """Everything the statistics page and its XLSX show for one year (and the years before it)."""
    figures = volunteer_figures(year=year, unit_ids=unit_ids)
    return {
        "year": year,
        "figures": figures,
        "targets": TARGETS,
        "by_unit": hours_by_unit(year=year, unit_ids=unit_ids),
        "by_bureau": hours_by_bureau(year=year, unit_ids=unit_ids),
        "by_domain": hours_by_domain(year=year, unit_ids=unit_ids),
        "by_year": figures_by_year(last_year=year, unit_ids=unit_ids),
    }


REPORT_CACHE_SECONDS = 15 * 60


def _report_key(year: int, unit_ids) -> str:
    scope = (
        "all"
        if unit_ids is None
        else hashlib.sha256(",".join(map(str, sorted(unit_ids))).encode()).hexdigest()[:16]
    )
    return f"volunteers:statistics:{year}:{scope}:{timezone.localdate()}"


def cached_statistics_report(*, year: int, unit_ids=None) -> dict:
    """``statistics_report`` kept for a quarter of an hour: at Taipei's size (millions of service
    records) the breakdowns take seconds, and the figures move slowly. The city's report for this
    year is refreshed by beat every 10 minutes (``refresh_city_statistics``), so the centre does
    not wait for it."""
    return cache.get_or_set(
        _report_key(year, unit_ids),
        lambda: statistics_report(year=year, unit_ids=unit_ids),
        REPORT_CACHE_SECONDS,
    )


def refresh_city_statistics() -> dict:
    """Compute this year's report for the whole city and put it where the page reads it."""
    year = timezone.localdate().year
    report = statistics_report(year=year)
    cache.set(_report_key(year, None), report, REPORT_CACHE_SECONDS)
    return report


def charts(report: dict) -> dict:
    by_year = report["by_year"]
    return {
        "domain": bar_chart(
            [(r["label"], r["hours"]) for r in report["by_domain"]],
            title=_("各服務領域服務時數"),
            unit=_(" 小時"),
        ),
        "bureau": bar_chart(
            [(r["label"], r["hours"]) for r in report["by_bureau"]],
            title=_("各目的事業主管機關服務時數"),
            unit=_(" 小時"),
        ),
        "years": column_chart(
            [_("%(year)s年") % {"year": f.year - 1911} for f in by_year],
            {
                _("志工人數"): [f.volunteers for f in by_year],
                _("服務人次"): [f.person_times for f in by_year],
            },
            title=_("歷年志工人數與服務人次"),
        ),
    }


def statistics_xlsx(report: dict, extra_sheets=None) -> bytes:
    """The XLSX is a report in Chinese whatever the user's language. ``extra_sheets`` is a callable
    returning ``(title, rows)`` pairs (other apps' figures: corporate volunteering and large
    events), called in the record language; every cell goes through ``core.tabular``."""
    with in_record_language():
        return _statistics_xlsx(report, extra_sheets() if extra_sheets else ())


def _statistics_xlsx(report: dict, extra_sheets=()) -> bytes:

    wb = Workbook()
    f = report["figures"]
    ws = wb.active
    ws.title = "總覽"
    append_row(ws, ["項目", "數值", "目標"])
    rows = [
        ("年度（民國）", report["year"] - 1911, ""),
        ("統計基準日", to_roc(f.as_of), ""),
        ("運用單位數（已核備）", f.units, ""),
        ("志工人數", f.volunteers, ""),
        ("服務人次", f.person_times, ""),
        ("服務時數", float(f.hours), ""),
        ("65 歲以上志工人數", f.seniors, ""),
        ("高齡志工比率", float(f.seniors_share), float(TARGETS["seniors_share"])),
        ("投保人數", f.insured, ""),
        ("投保率", float(f.insured_share), float(TARGETS["insured_share"])),
        ("領有紀錄冊人數", f.with_record_book, ""),
        ("領冊率", float(f.record_book_share), float(TARGETS["record_book_share"])),
    ]
    for row in rows:
        append_row(ws, list(row))
    for title, key in (("各運用單位", "by_unit"), ("各主管機關", "by_bureau"), ("各服務領域", "by_domain")):
        sheet = wb.create_sheet(title)
        append_row(sheet, ["名稱", "服務時數", "服務人次", "服務人數"])
        for r in report[key]:
            append_row(sheet, [str(r["label"]), float(r["hours"] or 0), r["person_times"], r["people"]])
    sheet = wb.create_sheet("歷年")
    append_row(
        sheet,
        [
            "年度（民國）",
            "運用單位數",
            "志工人數",
            "服務人次",
            "服務時數",
            "高齡志工比率",
            "投保率",
            "領冊率",
        ],
    )
    for y in report["by_year"]:
        append_row(
            sheet,
            [
                y.year - 1911,
                y.units,
                y.volunteers,
                y.person_times,
                float(y.hours),
                float(y.seniors_share),
                float(y.insured_share),
                float(y.record_book_share),
            ],
        )
    for title, rows in extra_sheets:
        sheet = wb.create_sheet(title)
        for row in rows:
            append_row(sheet, row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
