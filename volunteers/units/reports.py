"""The unit's year-end results report (服務成果), generated from its own records."""

import io

from django.db.models import Count, Sum
from openpyxl import Workbook

from core.tabular import append_row

from ..models import InsurancePolicy, Membership, ServiceDomain, ServiceRecord, Training, TrainingKind
from ..statistics.selectors import volunteer_figures


def unit_year_results(unit, year: int) -> dict:
    records = ServiceRecord.objects.filter(unit=unit, served_on__year=year)
    labels = dict(ServiceDomain.choices)
    by_month = {
        r["served_on__month"]: r
        for r in records.values("served_on__month").annotate(hours=Sum("hours"), person_times=Count("pk"))
    }
    by_domain = [
        {
            "label": labels.get(r["domain"], r["domain"]),
            "hours": r["hours"],
            "person_times": r["person_times"],
        }
        for r in records.values("domain")
        .annotate(hours=Sum("hours"), person_times=Count("pk"))
        .order_by("-hours")
    ]
    member_ids = Membership.objects.filter(unit=unit).values("volunteer_id")
    trainings = (
        Training.objects.filter(volunteer_id__in=member_ids, completed_on__year=year)
        .values("kind")
        .annotate(people=Count("volunteer_id", distinct=True), hours=Sum("hours"), courses=Count("pk"))
    )
    kind_labels = dict(TrainingKind.choices)
    return {
        "unit": unit,
        "year": year,
        "plan": unit.plans.filter(year=year).first(),
        "figures": volunteer_figures(year=year, unit_ids=[unit.pk]),
        "months": [
            {
                "month": m,
                "hours": by_month.get(m, {}).get("hours") or 0,
                "person_times": by_month.get(m, {}).get("person_times") or 0,
            }
            for m in range(1, 13)
        ],
        "by_domain": by_domain,
        "trainings": [{**t, "label": kind_labels.get(t["kind"], t["kind"])} for t in trainings],
        "joined": Membership.objects.filter(unit=unit, joined_on__year=year).count(),
        "left": Membership.objects.filter(unit=unit, left_on__year=year).count(),
        "policies": list(
            InsurancePolicy.objects.filter(unit=unit, starts_on__year__lte=year, ends_on__year__gte=year)
            .annotate(insured_count=Count("insured"))
            .order_by("starts_on")
        ),
    }


def unit_year_results_xlsx(report: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "服務成果"
    f = report["figures"]
    append_row(ws, [f"{report['unit'].name} {report['year'] - 1911}年度志願服務成果"])
    for label, value in (
        ("志工人數", f.volunteers),
        ("服務人次", f.person_times),
        ("服務時數", float(f.hours)),
        ("新加入", report["joined"]),
        ("離隊", report["left"]),
        ("投保率", float(f.insured_share)),
        ("領冊率", float(f.record_book_share)),
    ):
        append_row(ws, [label, value])
    append_row(ws, [])
    append_row(ws, ["月份", "服務人次", "服務時數"])
    for m in report["months"]:
        append_row(ws, [m["month"], m["person_times"], float(m["hours"])])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
