"""Recruitment figures (志工招募): one definition each, shown on the public dashboard and on the
volunteer statistics page.

- open opportunities: taking applications now (``selectors.open_opportunities``);
- applications / accepted in a year: by the date they were made / accepted (Taipei time);
- fill rate: places taken (accepted, at most the places offered) over places offered, for the
  opportunities first published in the year;
- time to first shift: for applications accepted in the year, days from applying to the first
  shift of that opportunity the volunteer signed in to (the median; people not yet served are
  left out);
- youth, family, senior by year: applications accepted in the year from people aged 15–35
  (青年, as the Youth Development Administration's youth volunteering counts) or 65 and over
  (on the day accepted), and to opportunities marked as suiting families.

Corporate volunteering is another app's figure: it registers a series with ``register_series``
(e.g. ``register_series("corporate", "企業志工", count_for_year)`` in its AppConfig.ready) and the
by-year table and the dashboard show it as one more column.
"""

import datetime
import statistics as pystats
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Min
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteers.models import ShiftSignup
from volunteers.statistics.selectors import SENIOR_AGE

from .models import Application, ApplicationStatus, Opportunity, OpportunityStatus
from .rules import age_on
from .selectors import open_opportunities, with_places

YOUTH_AGES = (15, 35)
YEARS_SHOWN = 5
SERIES = {"youth": _("青年志工"), "family": _("家庭志工"), "senior": _("高齡志工")}
# Other apps' series (key → (label, callable(year, unit_ids) -> int)); see the module docstring.
EXTRA_SERIES: dict[str, tuple] = {}


def register_series(key: str, label, count_for_year) -> None:
    EXTRA_SERIES[key] = (label, count_for_year)


@dataclass(frozen=True)
class YearRow:
    year: int
    applications: int
    accepted: int
    counts: dict = field(default_factory=dict)  # series key → number


@dataclass(frozen=True)
class RecruitmentFigures:
    year: int
    open_now: int
    applications: int
    accepted: int
    places_offered: int
    places_taken: int
    median_days_to_first_shift: int | None
    by_year: list

    @property
    def fill_rate(self) -> Decimal:
        if not self.places_offered:
            return Decimal(0)
        return (Decimal(self.places_taken) / self.places_offered).quantize(Decimal("0.0001"))

    @property
    def series(self) -> dict:
        return {**SERIES, **{k: label for k, (label, _f) in EXTRA_SERIES.items()}}


def _bounds(year: int):
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def _age(birth: datetime.date | None, day: datetime.date) -> int | None:
    """Age on ``day`` by the applying rule (``rules.age_on``); None when the birth date is unknown."""
    return None if birth is None else age_on(birth, day)


def _by_year(first_year: int, last_year: int, unit_ids=None) -> tuple[list, dict]:
    """The table's rows, and each year's accepted applications (a fixed number of queries)."""
    start, _end = _bounds(first_year)
    _start, end = _bounds(last_year)
    made = Application.objects.filter(created_at__gte=start, created_at__lt=end)
    accepted_qs = Application.objects.filter(
        status=ApplicationStatus.ACCEPTED, accepted_at__gte=start, accepted_at__lt=end
    ).select_related("volunteer", "opportunity")
    if unit_ids is not None:
        made = made.filter(opportunity__unit_id__in=unit_ids)
        accepted_qs = accepted_qs.filter(opportunity__unit_id__in=unit_ids)
    # ExtractYear counts in the current time zone (Taipei), as the rest of the figures do.
    made_by_year = dict(
        made.annotate(y=ExtractYear("created_at")).values("y").annotate(n=Count("pk")).values_list("y", "n")
    )
    accepted_by_year: dict[int, list] = {}
    for a in accepted_qs:
        accepted_by_year.setdefault(timezone.localdate(a.accepted_at).year, []).append(a)
    rows = []
    for year in range(first_year, last_year + 1):
        counts = dict.fromkeys(SERIES, 0)
        for a in accepted_by_year.get(year, []):
            age = _age(
                a.volunteer.birth_date if a.volunteer_id else a.birth_date, timezone.localdate(a.accepted_at)
            )
            if age is not None and YOUTH_AGES[0] <= age <= YOUTH_AGES[1]:
                counts["youth"] += 1
            if age is not None and age >= SENIOR_AGE:
                counts["senior"] += 1
            if a.opportunity.suits_family:
                counts["family"] += 1
        for key, (_label, count_for_year) in EXTRA_SERIES.items():
            counts[key] = count_for_year(year, unit_ids)
        rows.append(YearRow(year, made_by_year.get(year, 0), len(accepted_by_year.get(year, [])), counts))
    return rows, accepted_by_year


def _days_to_first_shift(accepted: list) -> int | None:
    if not accepted:
        return None
    firsts = {
        (event_id, volunteer_id): first
        for event_id, volunteer_id, first in ShiftSignup.objects.filter(
            shift__event_id__in={a.opportunity.event_id for a in accepted},
            volunteer_id__in={a.volunteer_id for a in accepted},
            signed_in_at__isnull=False,
        )
        .values("shift__event_id", "volunteer_id")
        .annotate(first=Min("shift__date"))
        .values_list("shift__event_id", "volunteer_id", "first")
    }
    days = [
        (firsts[key] - timezone.localdate(a.created_at)).days
        for a in accepted
        if (key := (a.opportunity.event_id, a.volunteer_id)) in firsts
    ]
    return int(pystats.median(days)) if days else None


def recruitment_figures(year: int | None = None, unit_ids=None) -> RecruitmentFigures:
    year = year or timezone.localdate().year
    start, end = _bounds(year)
    opened = open_opportunities()
    published = Opportunity.objects.filter(published_at__gte=start, published_at__lt=end).exclude(
        status=OpportunityStatus.DRAFT
    )
    if unit_ids is not None:
        opened = opened.filter(unit_id__in=unit_ids)
        published = published.filter(unit_id__in=unit_ids)
    offered = taken = 0
    for o in with_places(published):
        offered += o.capacity
        taken += min(o.accepted, o.capacity)
    rows, accepted_by_year = _by_year(year - YEARS_SHOWN + 1, year, unit_ids)
    row, accepted = rows[-1], accepted_by_year.get(year, [])
    return RecruitmentFigures(
        year=year,
        open_now=opened.count(),
        applications=row.applications,
        accepted=row.accepted,
        places_offered=offered,
        places_taken=taken,
        median_days_to_first_shift=_days_to_first_shift(accepted),
        by_year=rows,
    )
