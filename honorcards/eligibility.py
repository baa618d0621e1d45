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

This module is pure: ``evaluate(facts)`` reads no database. ``honorcards.selectors.eligibility_facts``
loads the facts (the volunteer's records, trainings and previous card) and
``honorcards.selectors.check_eligibility`` does both.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from core.roc import to_roc

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


def renewal_counts_from(previous_expiry: datetime.date, valid_years: int | None = None) -> datetime.date:
    """The first day of the month ``HONOR_CARD_VALID_YEARS`` years before the old card's expiry."""
    if valid_years is None:
        valid_years = settings.HONOR_CARD_VALID_YEARS
    return add_years(previous_expiry, -valid_years).replace(day=1)


def format_hours(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


@dataclass
class Declared:
    """Figures a unit copies from a paper record book."""

    service_started_on: datetime.date | None = None
    last_service_on: datetime.date | None = None
    hours: Decimal | None = None

    def __bool__(self):
        return any(v is not None for v in (self.service_started_on, self.last_service_on, self.hours))


@dataclass(frozen=True)
class Policy:
    """The thresholds of the rules (settings ``HONOR_CARD_*``)."""

    min_years: int
    min_hours: Decimal
    recent_months: int
    valid_years: int
    require_training: bool

    @classmethod
    def from_settings(cls) -> "Policy":
        return cls(
            min_years=settings.HONOR_CARD_MIN_YEARS,
            min_hours=Decimal(settings.HONOR_CARD_MIN_HOURS),
            recent_months=settings.HONOR_CARD_RECENT_SERVICE_MONTHS,
            valid_years=settings.HONOR_CARD_VALID_YEARS,
            require_training=settings.HONOR_CARD_REQUIRE_SPECIAL_TRAINING,
        )


@dataclass(frozen=True)
class ServiceRow:
    """One service record as the rules see it."""

    pk: int
    served_on: datetime.date
    hours: Decimal
    domain: str
    unit_name: str


@dataclass(frozen=True)
class PreviousCard:
    number: str
    expires_on: datetime.date


@dataclass
class EligibilityFacts:
    """Everything the rules need, loaded by ``honorcards.selectors.eligibility_facts``.

    ``records`` are the volunteer's service records served on or before ``as_of`` that no valid or
    replaced card used, ordered by day; ``special_trainings`` are (domain, completed on) pairs.
    """

    volunteer_id: int
    as_of: datetime.date
    service_started_on: datetime.date | None = None
    previous: PreviousCard | None = None
    records: list[ServiceRow] = field(default_factory=list)
    special_trainings: list[tuple[str, datetime.date]] = field(default_factory=list)
    domain_labels: dict[str, str] = field(default_factory=dict)
    declared: Declared = field(default_factory=Declared)


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
        data = asdict(self)
        data.pop("record_ids")
        data["eligible"] = self.eligible
        return _plain(data)


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --- the counted period -------------------------------------------------------------------------


def counted_start(facts: EligibilityFacts, policy: Policy) -> datetime.date | None:
    """Where the counted period begins, before falling back to the first counted record.

    A renewal counts from ``valid_years`` before the old card's expiry (or a later declared start);
    a first card from the declared start, else the record book's service start.
    """
    declared_start = facts.declared.service_started_on
    if facts.previous is None:
        return declared_start or facts.service_started_on
    start = renewal_counts_from(facts.previous.expires_on, policy.valid_years)
    if declared_start and declared_start > start:
        return declared_start
    return start


def counted_rows(facts: EligibilityFacts, start: datetime.date | None) -> list[ServiceRow]:
    """The records inside the period; with declared paper figures, only those after the paper part."""
    paper_until = facts.declared.last_service_on
    return [
        row
        for row in facts.records
        if (start is None or row.served_on >= start) and (paper_until is None or row.served_on > paper_until)
    ]


def training_dates(facts: EligibilityFacts) -> dict[str, datetime.date]:
    """Each domain's earliest completed special training."""
    trained: dict[str, datetime.date] = {}
    for domain, completed in facts.special_trainings:
        if domain not in trained or completed < trained[domain]:
            trained[domain] = completed
    return trained


@dataclass
class Tally:
    hours: Decimal
    by_unit: dict
    by_domain: dict
    untrained: dict
    record_ids: list
    recent_hours: Decimal
    last_service: datetime.date | None

    @property
    def untrained_hours(self) -> Decimal:
        return sum(self.untrained.values(), ZERO)


def counts_for_hours(row: ServiceRow, trained: dict, policy: Policy) -> bool:
    """A record counts unless the domain's special training is required and was not done by then."""
    if not policy.require_training:
        return True
    return row.domain in trained and row.served_on >= trained[row.domain]


def tally(facts: EligibilityFacts, rows: list[ServiceRow], policy: Policy) -> Tally:
    """Add up the counted hours (by unit, by domain), the hours set apart, and the last service."""
    declared = facts.declared
    trained = training_dates(facts)
    pace_since = facts.as_of - datetime.timedelta(days=365)
    result = Tally(
        hours=declared.hours or ZERO,
        by_unit=defaultdict(lambda: ZERO),
        by_domain=defaultdict(lambda: ZERO),
        untrained=defaultdict(lambda: ZERO),
        record_ids=[],
        recent_hours=ZERO,
        last_service=declared.last_service_on,
    )
    for row in rows:
        if result.last_service is None or row.served_on > result.last_service:
            result.last_service = row.served_on
        label = facts.domain_labels.get(row.domain, row.domain)
        if not counts_for_hours(row, trained, policy):
            result.untrained[label] += row.hours
            continue
        result.hours += row.hours
        result.by_unit[row.unit_name] += row.hours
        result.by_domain[label] += row.hours
        result.record_ids.append(row.pk)
        if row.served_on > pace_since:
            result.recent_hours += row.hours
    if declared.hours:
        result.by_unit[_("紙本紀錄冊（申報）")] += declared.hours
    return result


# --- one function per rule ----------------------------------------------------------------------


def years_rule(policy: Policy, counted_from, last_service) -> tuple[Rule, int, int]:
    """The counted period covers ``min_years`` full years; also returns (years, days)."""
    if counted_from and last_service:
        years, days = full_years(counted_from, last_service)
        period = _("%(start)s 至 %(end)s") % {"start": to_roc(counted_from), "end": to_roc(last_service)}
    else:
        years, days, period = 0, 0, _("（無服務紀錄）")
    rule = Rule(
        "years",
        _("服務年資滿 %(years)s 年") % {"years": policy.min_years},
        years >= policy.min_years,
        _("採計期間 %(period)s，共 %(years)s 年 %(days)s 日。")
        % {"period": period, "years": years, "days": days},
    )
    return rule, years, days


def hours_rule(policy: Policy, counted: Tally) -> Rule:
    """At least ``min_hours`` counted hours; hours set apart for missing training are named."""
    explanation = _("採計時數 %(hours)s 小時") % {"hours": format_hours(counted.hours)}
    if counted.untrained:
        explanation += _("（另有 %(hours)s 小時因未完成該領域特殊訓練不予採計）") % {
            "hours": format_hours(counted.untrained_hours)
        }
    return Rule(
        "hours",
        _("服務時數達 %(hours)s 小時") % {"hours": policy.min_hours},
        counted.hours >= policy.min_hours,
        explanation + _("。"),
    )


def recent_rule(policy: Policy, as_of: datetime.date, last_service) -> Rule:
    """The last service is within ``recent_months`` calendar months of the check."""
    limit = add_months(as_of, -policy.recent_months)
    if last_service:
        explanation = _("最近一次服務日期 %(last)s，須在 %(limit)s 以後。") % {
            "last": to_roc(last_service),
            "limit": to_roc(limit),
        }
    else:
        explanation = _("沒有服務紀錄。")
    return Rule(
        "recent",
        _("最近 %(months)s 個月內有服務紀錄") % {"months": policy.recent_months},
        bool(last_service and last_service >= limit),
        explanation,
    )


def renewal_window(previous: PreviousCard) -> datetime.date:
    """A renewal may be filed from the first day of the month the old card expires."""
    return previous.expires_on.replace(day=1)


def renewal_window_rule(previous: PreviousCard, as_of: datetime.date, counted_from) -> Rule:
    window = renewal_window(previous)
    return Rule(
        "renewal_window",
        _("換發須於原卡到期當月起申請"),
        as_of >= window,
        _(
            "前一張卡 %(number)s 有效期限 %(expires)s，%(window)s 起可申請；年資與時數自 %(counted_from)s 起採計。"
        )
        % {
            "number": previous.number,
            "expires": to_roc(previous.expires_on),
            "window": to_roc(window),
            "counted_from": to_roc(counted_from),
        },
    )


# --- the whole check ----------------------------------------------------------------------------


def evaluate(facts: EligibilityFacts, policy: Policy | None = None) -> EligibilityResult:
    """Apply every rule to the facts; no database."""
    policy = policy or Policy.from_settings()
    previous = facts.previous
    counted_from = counted_start(facts, policy)
    rows = counted_rows(facts, counted_from)
    if counted_from is None and rows:
        counted_from = rows[0].served_on
    counted = tally(facts, rows, policy)
    years, years_count, days = years_rule(policy, counted_from, counted.last_service)
    rules = [years, hours_rule(policy, counted), recent_rule(policy, facts.as_of, counted.last_service)]
    if previous:
        rules.append(renewal_window_rule(previous, facts.as_of, counted_from))
    result = EligibilityResult(
        volunteer_id=facts.volunteer_id,
        as_of=facts.as_of,
        kind="renewal" if previous else "first",
        previous_card_number=previous.number if previous else None,
        previous_card_expires_on=previous.expires_on if previous else None,
        counted_from=counted_from,
        counted_until=counted.last_service,
        years=years_count,
        days=days,
        hours=counted.hours,
        hours_by_unit=dict(counted.by_unit),
        hours_by_domain=dict(counted.by_domain),
        hours_without_training=counted.untrained_hours,
        hours_without_training_by_domain=dict(counted.untrained),
        last_service_on=counted.last_service,
        declared=bool(facts.declared),
        declared_hours=facts.declared.hours,
        rules=rules,
        record_ids=counted.record_ids,
    )
    if not result.eligible:
        _forecast(result, policy, counted.recent_hours, previous)
    return result


def _forecast(result: EligibilityResult, policy: Policy, recent_hours: Decimal, previous) -> None:
    """Set ``eligible_on`` when a sensible date can be foreseen, else ``forecast_note``."""
    window = renewal_window(previous) if previous else None
    estimate = estimate_eligible_on(result, policy, recent_hours, window)
    if estimate and estimate <= add_years(result.as_of, FORECAST_HORIZON_YEARS):
        result.eligible_on = estimate
    else:
        result.forecast_note = forecast_note(result, policy, recent_hours)


def forecast_note(result: EligibilityResult, policy: Policy, recent_hours: Decimal) -> str:
    """What stands between the volunteer and a card when no date can sensibly be forecast."""
    missing = []
    deficit = policy.min_hours - result.hours
    if deficit > 0:
        missing.append(_("尚缺 %(hours)s 小時服務時數") % {"hours": format_hours(deficit)})
    missing += [rule.label for rule in result.failed_rules if rule.code not in ("hours",)]
    if recent_hours > 0:
        pace = _("最近一年採計 %(hours)s 小時，依此步調 %(years)s 年內無法符合資格") % {
            "hours": format_hours(recent_hours),
            "years": FORECAST_HORIZON_YEARS,
        }
    else:
        pace = _("最近一年沒有採計的服務時數")
    return _("%(pace)s；待補足：%(missing)s。") % {
        "pace": pace,
        "missing": "、".join(str(m) for m in missing),
    }


def estimate_eligible_on(result: EligibilityResult, policy: Policy, recent_hours: Decimal, window):
    """The first day every rule would pass at the volunteer's pace over the last 365 days."""
    if result.counted_from is None or recent_hours <= 0:
        return None
    as_of = result.as_of
    candidates = [as_of + datetime.timedelta(days=1)]
    candidates.append(add_years(result.counted_from, policy.min_years) - datetime.timedelta(days=1))
    deficit = policy.min_hours - result.hours
    if deficit > 0:
        per_day = recent_hours / Decimal(365)
        candidates.append(as_of + datetime.timedelta(days=math.ceil(deficit / per_day)))
    if window:
        candidates.append(window)
    return max(candidates)
