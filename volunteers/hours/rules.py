"""The hour rules as pure functions (no database): a valid number of hours, who serves on a day,
the 24-hour ceiling, and what a saved week grid changes.

``services.record_week_grid`` loads the facts (``selectors.week_grid_facts``), asks
``plan_week_grid`` which cells change and what is refused, checks the day ceiling with
``day_limit_errors``, and only then writes.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roc import to_roc

from ..models import HOUR_STEP, MAX_HOURS_PER_DAY, ServiceRecordStatus


def clean_hours(value) -> Decimal:
    """``value`` as hours: a positive multiple of a quarter hour, at most 24."""
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("服務時數必須是數字。")) from None
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS_PER_DAY:
        raise ValidationError(_("服務時數須大於 0 且不超過 24 小時。"))
    if hours % HOUR_STEP:
        raise ValidationError(_("服務時數以 0.25 小時（15 分鐘）為單位，例如 1.5 或 2.75。"))
    return hours.quantize(Decimal("0.01"))


def check_served_on(day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("服務日期不可晚於今天。"))


def serving_on(membership, day) -> bool:
    return membership.joined_on <= day and (membership.left_on is None or membership.left_on >= day)


def week_of(day: datetime.date) -> list[datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return [monday + datetime.timedelta(days=n) for n in range(7)]


def over_the_day_message(day, already: Decimal, adding: Decimal) -> str:
    """Says only that the day would be full: the hours already recorded include other units', which
    are theirs to see, not this unit's (``already`` is the sum the rule used, not shown)."""
    return _("%(day)s 再加 %(adding)s 小時將超過每人每日 24 小時的上限（各單位合計）。") % {
        "day": to_roc(day),
        "adding": f"{adding.normalize():f}",
    }


# --- The week grid ------------------------------------------------------------------------------


@dataclass
class GridFacts:
    """What a saved week grid is checked against (loaded by ``selectors.week_grid_facts``)."""

    days: list  # the seven days of the week
    today: datetime.date
    members: dict  # volunteer id → the unit's Membership (with its volunteer)
    existing: dict  # (volunteer id, day) → the unit's week-grid ServiceRecord
    carded: dict  # record id → number of the valid honor card that counted it

    def name(self, volunteer_id) -> str:
        membership = self.members.get(volunteer_id)
        return membership.volunteer.name if membership else str(volunteer_id)


@dataclass(frozen=True)
class GridChange:
    """One cell to write: ``hours`` None deletes ``record``; ``record`` None creates one."""

    volunteer_id: int
    day: datetime.date
    hours: Decimal | None
    record: object = None


def cell_hours(raw) -> Decimal | None:
    """A cell's hours; an empty cell or a zero means none."""
    if raw in (None, "") or str(raw).strip() in ("0", "0.0", "0.00"):
        return None
    return clean_hours(raw)


def locked_record_error(record, carded: dict, cell: str) -> str | None:
    """A record a card counted, or a certified one, changes only through a correction."""
    if record.pk in carded:
        return _("%(cell)s：已用於榮譽卡 %(number)s，請用「更正」申請並經推廣中心確認。") % {
            "cell": cell,
            "number": carded[record.pk],
        }
    if record.status == ServiceRecordStatus.CERTIFIED:
        return _("%(cell)s：已認證的紀錄請用「更正」修改。") % {"cell": cell}
    return None


def new_hours_error(membership, day, today, cell: str) -> str | None:
    """Hours go only to a member serving on that day, never on a future day."""
    if membership is None or not serving_on(membership, day):
        return _("%(cell)s：此志工在這天不是本單位的隊員。") % {"cell": cell}
    if day > today:
        return _("%(cell)s：服務日期不可晚於今天。") % {"cell": cell}
    return None


def plan_cell(facts: GridFacts, volunteer_id, day, raw) -> GridChange | None:
    """The change one cell asks for (None when it changes nothing); ValidationError when refused,
    its message naming the volunteer and the day."""
    cell = f"{facts.name(volunteer_id)} {to_roc(day)}"
    if day not in facts.days:
        raise ValidationError(_("%(cell)s：日期不在這一週。") % {"cell": cell})
    try:
        hours = cell_hours(raw)
    except ValidationError as exc:
        raise ValidationError(_("%(cell)s：%(error)s") % {"cell": cell, "error": exc.messages[0]}) from None
    record = facts.existing.get((volunteer_id, day))
    if (record.hours if record else None) == hours:
        return None
    error = locked_record_error(record, facts.carded, cell) if record else None
    if error is None and hours is not None:
        error = new_hours_error(facts.members.get(volunteer_id), day, facts.today, cell)
    if error:
        raise ValidationError(error)
    return GridChange(volunteer_id, day, hours, record)


def plan_week_grid(facts: GridFacts, cells: dict) -> tuple[list[GridChange], list[str]]:
    """Every cell's change, and every refused cell's message."""
    changes, errors = [], []
    for (volunteer_id, day), raw in sorted(cells.items(), key=lambda item: item[0]):
        try:
            change = plan_cell(facts, volunteer_id, day, raw)
        except ValidationError as exc:
            errors.append(exc.messages[0])
            continue
        if change is not None:
            changes.append(change)
    return changes, errors


def day_limit_errors(facts: GridFacts, changes: list[GridChange], others: dict) -> list[str]:
    """The 24-hour rule: what the grid leaves plus every other record of those days (``others``)."""
    errors = []
    for change in changes:
        if change.hours is None:
            continue
        already = others.get((change.volunteer_id, change.day), Decimal(0))
        if already + change.hours > MAX_HOURS_PER_DAY:
            errors.append(
                f"{facts.name(change.volunteer_id)}：{over_the_day_message(change.day, already, change.hours)}"
            )
    return errors
