"""Is a volunteer eligible for an honor card? Computed from the records, with its working shown.

The rules (衛福部「申請志願服務榮譽卡作業指引」 and the 105 年全國志願服務聯繫會報 decision, seed 004):

* **Counted period.** A first card counts from the record book's service start
  (``Volunteer.service_started_on``; the earliest service record if that is blank) up to the latest
  recorded service (the last entry of the record book). A renewal counts only after the previous
  card: from the first day of the month ``HONOR_CARD_VALID_YEARS`` years before its expiry
  (a card valid until 108.11.30 counts from 105.11.01), and never a service record an earlier
  card used (``HonorCard.service_records``).
* **Years.** The counted period, both ends included, must cover ``HONOR_CARD_MIN_YEARS`` full years:
  2020-01-01 → 2022-12-31 is 3 years; 2020-01-01 → 2022-12-30 is 2 years 364 days (not enough).
  Precisely: ``years`` is the largest n with ``start + n years <= last service + 1 day`` (29 February
  plus a year is 28 February), ``days`` what remains.
* **Hours.** At least ``HONOR_CARD_MIN_HOURS`` hours of actual service (``ServiceRecord``; training
  hours are not service hours) inside the period. With ``HONOR_CARD_REQUIRE_SPECIAL_TRAINING`` (on by
  default, as the Ministry has ruled) hours in a service domain count only when served on or after
  the day the volunteer completed that domain's special training; the others are shown apart.
* **Recent service.** The last service is no earlier than ``HONOR_CARD_RECENT_SERVICE_MONTHS``
  calendar months before the day of the check (6 months ago exactly passes; a day more fails).
* **Renewal window.** A renewal may be filed from the first day of the month the old card expires.
* **Paper history.** A unit may declare the record book's figures (service start, last service on
  paper, hours on paper): the declared hours stand for the paper part up to the declared last
  service; system records after that day are added. The result is marked ``declared`` and a
  reviewer confirms it against the uploaded pages.

``eligible_on`` estimates, for a volunteer not yet eligible, the day every rule would pass if they
keep serving at the pace of their counted hours over the last 365 days. When there is no pace, or
the day lies more than ``FORECAST_HORIZON_YEARS`` ahead (a date decades away helps nobody), it is
None and ``forecast_note`` says instead what is missing.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from core.roc import to_roc
from volunteers.models import ServiceDomain, ServiceRecord, TrainingKind

from .models import CardStatus, HonorCard

ZERO = Decimal("0")
# The dates a check may be made for (the ROC calendar begins in 1912).
MIN_DATE = datetime.date(1912, 1, 1)
MAX_DATE = datetime.date(2999, 12, 31)
# Beyond this an estimated date is noise (a pace of a few hours a year gives "預估 154.11.20").
FORECAST_HORIZON_YEARS = 5


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def full_years(start: datetime.date, last: datetime.date) -> tuple[int, int]:
    """Full years and remaining days covered by ``start``..``last``, both days included."""
    end = last + datetime.timedelta(days=1)
    if end <= start:
        return 0, 0
    years = end.year - start.year
    while years > 0 and add_years(start, years) > end:
        years -= 1
    return years, (end - add_years(start, years)).days


def renewal_counts_from(previous_expiry: datetime.date) -> datetime.date:
    """The first day of the month ``HONOR_CARD_VALID_YEARS`` years before the old card's expiry."""
    return add_years(previous_expiry, -settings.HONOR_CARD_VALID_YEARS).replace(day=1)


@dataclass
class Declared:
    """Figures a unit copies from a paper record book."""

    service_started_on: datetime.date | None = None
    last_service_on: datetime.date | None = None
    hours: Decimal | None = None

    def __bool__(self):
        return any(v is not None for v in (self.service_started_on, self.last_service_on, self.hours))


@dataclass
class Rule:
    code: str
    label: str
    passed: bool
    explanation: str


@dataclass
class EligibilityResult:
    volunteer_id: int
    as_of: datetime.date
    kind: str  # "first" | "renewal"
    previous_card_number: str | None
    previous_card_expires_on: datetime.date | None
    counted_from: datetime.date | None
    counted_until: datetime.date | None
    years: int
    days: int
    hours: Decimal
    hours_by_unit: dict = field(default_factory=dict)
    hours_by_domain: dict = field(default_factory=dict)
    hours_without_training: Decimal = ZERO
    hours_without_training_by_domain: dict = field(default_factory=dict)
    last_service_on: datetime.date | None = None
    declared: bool = False
    declared_hours: Decimal | None = None
    rules: list = field(default_factory=list)
    eligible_on: datetime.date | None = None
    forecast_note: str = ""
    record_ids: list = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return all(rule.passed for rule in self.rules)

    @property
    def failed_rules(self) -> list:
        return [rule for rule in self.rules if not rule.passed]

    def as_dict(self) -> dict:
        """JSON-able (dates ISO, hours as strings), without the record ids."""

        def plain(value):
            if isinstance(value, datetime.date):
                return value.isoformat()
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        data = asdict(self)
        data.pop("record_ids")
        data["eligible"] = self.eligible
        return plain(data)


def previous_card(volunteer) -> HonorCard | None:
    """The card a new application renews: the latest one not revoked."""
    return (
        HonorCard.objects.filter(volunteer=volunteer)
        .exclude(status=CardStatus.REVOKED)
        .order_by("-expires_on", "-pk")
        .first()
    )


def _fmt_hours(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def check_eligibility(
    volunteer, *, as_of: datetime.date, declared: Declared | None = None
) -> EligibilityResult:
    min_years = settings.HONOR_CARD_MIN_YEARS
    min_hours = Decimal(settings.HONOR_CARD_MIN_HOURS)
    months = settings.HONOR_CARD_RECENT_SERVICE_MONTHS
    declared = declared or Declared()
    domain_labels = {value: str(label) for value, label in ServiceDomain.choices}

    previous = previous_card(volunteer)
    kind = "renewal" if previous else "first"
    if previous:
        counted_from = renewal_counts_from(previous.expires_on)
        if declared.service_started_on and declared.service_started_on > counted_from:
            counted_from = declared.service_started_on
    else:
        counted_from = declared.service_started_on or volunteer.service_started_on

    records = ServiceRecord.objects.filter(volunteer=volunteer, served_on__lte=as_of).exclude(
        honor_cards__status__in=[CardStatus.VALID, CardStatus.REPLACED]
    )
    if counted_from:
        records = records.filter(served_on__gte=counted_from)
    if declared.last_service_on:
        records = records.filter(served_on__gt=declared.last_service_on)
    rows = list(
        records.order_by("served_on", "pk").values_list(
            "pk", "served_on", "hours", "domain", "unit__organisation__name"
        )
    )
    if counted_from is None and rows:
        counted_from = rows[0][1]

    trained: dict[str, datetime.date] = {}
    for domain, completed in volunteer.trainings.filter(kind=TrainingKind.SPECIAL).values_list(
        "domain", "completed_on"
    ):
        if domain not in trained or completed < trained[domain]:
            trained[domain] = completed
    require_training = settings.HONOR_CARD_REQUIRE_SPECIAL_TRAINING

    hours = declared.hours or ZERO
    by_unit: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_domain: dict[str, Decimal] = defaultdict(lambda: ZERO)
    untrained: dict[str, Decimal] = defaultdict(lambda: ZERO)
    record_ids = []
    recent_hours = ZERO
    pace_since = as_of - datetime.timedelta(days=365)
    last_service = declared.last_service_on
    for pk, served_on, h, domain, unit_name in rows:
        last_service = served_on if last_service is None or served_on > last_service else last_service
        if require_training and not (domain in trained and served_on >= trained[domain]):
            untrained[domain_labels.get(domain, domain)] += h
            continue
        hours += h
        by_unit[unit_name] += h
        by_domain[domain_labels.get(domain, domain)] += h
        record_ids.append(pk)
        if served_on > pace_since:
            recent_hours += h
    if declared.hours:
        by_unit[_("紙本紀錄冊（申報）")] += declared.hours

    years, days = full_years(counted_from, last_service) if counted_from and last_service else (0, 0)
    period = (
        _("%(start)s 至 %(end)s") % {"start": to_roc(counted_from), "end": to_roc(last_service)}
        if counted_from and last_service
        else _("（無服務紀錄）")
    )
    hours_explanation = _("採計時數 %(hours)s 小時") % {"hours": _fmt_hours(hours)}
    if untrained:
        hours_explanation += _("（另有 %(hours)s 小時因未完成該領域特殊訓練不予採計）") % {
            "hours": _fmt_hours(sum(untrained.values(), ZERO))
        }
    rules = [
        Rule(
            "years",
            _("服務年資滿 %(years)s 年") % {"years": min_years},
            years >= min_years,
            _("採計期間 %(period)s，共 %(years)s 年 %(days)s 日。")
            % {"period": period, "years": years, "days": days},
        ),
        Rule(
            "hours",
            _("服務時數達 %(hours)s 小時") % {"hours": min_hours},
            hours >= min_hours,
            hours_explanation + _("。"),
        ),
    ]
    recent_limit = add_months(as_of, -months)
    rules.append(
        Rule(
            "recent",
            _("最近 %(months)s 個月內有服務紀錄") % {"months": months},
            bool(last_service and last_service >= recent_limit),
            _("最近一次服務日期 %(last)s，須在 %(limit)s 以後。")
            % {"last": to_roc(last_service), "limit": to_roc(recent_limit)}
            if last_service
            else _("沒有服務紀錄。"),
        )
    )
    window = None
    if previous:
        window = previous.expires_on.replace(day=1)
        rules.append(
            Rule(
                "renewal_window",
                _("換發須於原卡到期當月起申請"),
                as_of >= window,
                _(
                    "前一張卡 %(number)s 有效期限 %(expires)s，"
                    "%(window)s 起可申請；年資與時數自 %(counted_from)s 起採計。"
                )
                % {
                    "number": previous.number,
                    "expires": to_roc(previous.expires_on),
                    "window": to_roc(window),
                    "counted_from": to_roc(counted_from),
                },
            )
        )

    result = EligibilityResult(
        volunteer_id=volunteer.pk,
        as_of=as_of,
        kind=kind,
        previous_card_number=previous.number if previous else None,
        previous_card_expires_on=previous.expires_on if previous else None,
        counted_from=counted_from,
        counted_until=last_service,
        years=years,
        days=days,
        hours=hours,
        hours_by_unit=dict(by_unit),
        hours_by_domain=dict(by_domain),
        hours_without_training=sum(untrained.values(), ZERO),
        hours_without_training_by_domain=dict(untrained),
        last_service_on=last_service,
        declared=bool(declared),
        declared_hours=declared.hours,
        rules=rules,
        record_ids=record_ids,
    )
    if not result.eligible:
        estimate = _estimate(result, counted_from, min_years, min_hours, recent_hours, window, as_of)
        if estimate and estimate <= add_years(as_of, FORECAST_HORIZON_YEARS):
            result.eligible_on = estimate
        else:
            result.forecast_note = _forecast_note(result, min_hours, recent_hours)
    return result


def _forecast_note(result, min_hours, recent_hours) -> str:
    """What stands between the volunteer and a card when no date can sensibly be forecast."""
    missing = []
    deficit = min_hours - result.hours
    if deficit > 0:
        missing.append(_("尚缺 %(hours)s 小時服務時數") % {"hours": _fmt_hours(deficit)})
    missing += [rule.label for rule in result.failed_rules if rule.code not in ("hours",)]
    if recent_hours > 0:
        pace = _("最近一年採計 %(hours)s 小時，依此步調 %(years)s 年內無法符合資格") % {
            "hours": _fmt_hours(recent_hours),
            "years": FORECAST_HORIZON_YEARS,
        }
    else:
        pace = _("最近一年沒有採計的服務時數")
    return _("%(pace)s；待補足：%(missing)s。") % {
        "pace": pace,
        "missing": "、".join(str(m) for m in missing),
    }


def _estimate(result, counted_from, min_years, min_hours, recent_hours, window, as_of):
    """The first day every rule would pass at the volunteer's pace over the last 365 days."""
    if counted_from is None or recent_hours <= 0:
        return None
    candidates = [as_of + datetime.timedelta(days=1)]
    candidates.append(add_years(counted_from, min_years) - datetime.timedelta(days=1))
    deficit = min_hours - result.hours
    if deficit > 0:
        per_day = recent_hours / Decimal(365)
        candidates.append(as_of + datetime.timedelta(days=math.ceil(deficit / per_day)))
    if window:
        candidates.append(window)
    return max(candidates)
