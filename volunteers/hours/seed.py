"""Demo service records (run by volunteers/seed.py): a few days of service a year for each person,
certified at each year's end; written with PostgreSQL's COPY at volume."""

import datetime
import functools
from decimal import Decimal

from django.utils import timezone

from ..models import ServiceDomain, ServiceRecord, ServiceRecordSource, ServiceRecordStatus
from ..seedkit import copy_rows

ACTIVITIES = {
    ServiceDomain.SOCIAL_WELFARE: ["關懷訪視", "送餐服務", "據點共餐協助", "電話問安"],
    ServiceDomain.HEALTH: ["門診引導", "病房關懷", "掛號協助", "衛教推廣"],
    ServiceDomain.EDUCATION: ["借還書服務", "說故事", "上下學導護", "課後陪讀"],
    ServiceDomain.CULTURE: ["古蹟導覽", "展覽解說", "藝文活動協助"],
    ServiceDomain.CIVIL_SERVICE: ["服務台引導", "戶政諮詢協助", "里民活動協助"],
    ServiceDomain.LABOUR: ["求職登記協助", "就業博覽會引導"],
    ServiceDomain.POLICE: ["社區巡守", "交通疏導"],
}
HOURS = [Decimal(h) for h in ("2", "2.5", "3", "3", "3.5", "4", "4", "6")]
RECORD_COLUMNS = (
    "volunteer_id",
    "unit_id",
    "served_on",
    "hours",
    "domain",
    "activity",
    "source",
    "status",
    "certified_at",
    "certified_by_id",
    "created_by_id",
)


@functools.cache
def year_end(year):
    return timezone.make_aware(datetime.datetime(year, 12, 31, 12))


def insert_records(rows) -> int:
    now = timezone.now()
    return copy_rows(
        ServiceRecord, (*RECORD_COLUMNS, "created_at", "updated_at"), ((*row, now, now) for row in rows)
    )


def service_days(rng, year, today, count):
    last = today if year == today.year else datetime.date(year, 12, 31)
    first = datetime.date(year, 1, 1)
    span = (last - first).days
    if span < 0:
        return []
    return sorted({first + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count)})


def service_history(rng, batch, volunteer, unit, today, start_year, joined, officer):
    """A person's service records in one unit, a few days each year since joining."""
    activities = ACTIVITIES.get(unit.main_domain, ["志願服務"])
    for year in range(max(start_year, joined.year), today.year + 1):
        for day in service_days(rng, year, today, rng.randint(4, 14)):
            if day < joined:
                continue
            certified = day.year < today.year
            batch.records.append(
                (
                    volunteer.pk,
                    unit.pk,
                    day,
                    HOURS[rng.randrange(len(HOURS))],
                    unit.main_domain,
                    rng.choice(activities),
                    ServiceRecordSource.FORM,
                    ServiceRecordStatus.CERTIFIED if certified else ServiceRecordStatus.RECORDED,
                    year_end(day.year) if certified else None,
                    officer.pk if certified else None,
                    officer.pk,
                )
            )
