"""The week grid's rules as pure functions over facts: no database (no django_db mark)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from volunteers.hours.rules import (
    GridChange,
    GridFacts,
    cell_hours,
    day_limit_errors,
    plan_week_grid,
    week_of,
)
from volunteers.models import Membership, ServiceRecord, ServiceRecordStatus, Volunteer

D = datetime.date
DAYS = week_of(D(2026, 11, 18))
MONDAY = DAYS[0]
JOINED = D(2020, 1, 1)
TODAY = D(2026, 11, 20)


def member(pk, name, joined=JOINED, left=None):
    return Membership(volunteer=Volunteer(pk=pk, name=name), joined_on=joined, left_on=left)


def record(pk, volunteer_id, day, hours, status=ServiceRecordStatus.RECORDED):
    return ServiceRecord(pk=pk, volunteer_id=volunteer_id, served_on=day, hours=Decimal(hours), status=status)


def facts(existing=(), carded=None, today=TODAY):
    return GridFacts(
        days=DAYS,
        today=today,
        members={1: member(1, "王小明"), 2: member(2, "陳美玲", left=MONDAY)},
        existing={(r.volunteer_id, r.served_on): r for r in existing},
        carded=carded or {},
    )


def test_week_of_starts_on_monday():
    assert DAYS[0] == D(2026, 11, 16) and DAYS[-1] == D(2026, 11, 22)


def test_an_empty_or_zero_cell_means_no_hours_and_a_bad_one_is_refused():
    assert cell_hours("") is None and cell_hours("0.00") is None
    assert cell_hours("1.5") == Decimal("1.50")
    with pytest.raises(ValidationError):
        cell_hours("1.3")


def test_new_changed_and_cleared_cells_become_changes_and_unchanged_ones_do_not():
    kept = record(10, 1, MONDAY, "2")
    cleared = record(11, 1, DAYS[1], "3")
    changed = record(12, 1, DAYS[2], "1")
    cells = {(1, MONDAY): "2", (1, DAYS[1]): "", (1, DAYS[2]): "4", (1, DAYS[3]): "1.25", (1, DAYS[4]): ""}
    changes, errors = plan_week_grid(facts(existing=[kept, cleared, changed]), cells)
    assert errors == []
    assert changes == [
        GridChange(1, DAYS[1], None, cleared),
        GridChange(1, DAYS[2], Decimal("4.00"), changed),
        GridChange(1, DAYS[3], Decimal("1.25"), None),
    ]


def test_refused_cells_name_the_volunteer_and_day_and_are_all_reported():
    certified = record(10, 1, MONDAY, "2", status=ServiceRecordStatus.CERTIFIED)
    carded = record(11, 1, DAYS[1], "2")
    cells = {
        (1, MONDAY): "3",  # certified
        (1, DAYS[1]): "",  # counted by a card
        (1, DAYS[5]): "2",  # after today
        (2, DAYS[2]): "2",  # left the unit on Monday
        (1, D(2026, 12, 1)): "2",  # another week
        (1, DAYS[3]): "abc",
    }
    changes, errors = plan_week_grid(facts(existing=[certified, carded], carded={11: "115000001"}), cells)
    assert changes == []
    assert len(errors) == 6
    assert any("115000001" in e for e in errors)
    assert any(e.startswith("陳美玲") and "不是本單位的隊員" in e for e in errors)
    assert any("不可晚於今天" in e for e in errors)
    assert any("不在這一週" in e for e in errors)


def test_the_day_ceiling_counts_other_hours_of_that_day():
    changes = [GridChange(1, MONDAY, Decimal("10"), None), GridChange(1, DAYS[1], None, None)]
    assert day_limit_errors(facts(), changes, {(1, MONDAY): Decimal("14")}) == []
    errors = day_limit_errors(facts(), changes, {(1, MONDAY): Decimal("14.25")})
    assert len(errors) == 1 and errors[0].startswith("王小明：")
