"""The volunteer figures the centre, the bureau and the public dashboard report.

One definition of each figure, used by the statistics pages, their XLSX and the public dashboard,
so the same data always gives the same numbers.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from .models import Membership, PlanStatus, ServiceRecord, Volunteer, VolunteerUnit

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


def volunteer_figures(*, year: int, as_of: datetime.date | None = None, unit_ids=None) -> VolunteerFigures:
    """Figures for a calendar year: hours and person-times served in it; head counts on ``as_of``
    (the year's last day, or today for the current year). A person-time (人次) is one service record."""
    today = timezone.localdate()
    if as_of is None:
        as_of = min(datetime.date(year, 12, 31), today)
    units = VolunteerUnit.objects.filter(plans__status=PlanStatus.APPROVED)
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
    insured = people.filter(
        insurance_policies__starts_on__lte=as_of, insurance_policies__ends_on__gte=as_of
    ).distinct()
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
