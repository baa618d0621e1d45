"""Reads for the hours pages and the facts the hour rules are checked against."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from honorcards.models import CardStatus

from ..models import Membership, ServiceRecord, ServiceRecordSource, ServiceRecordStatus
from .rules import GridFacts


def month_records(unit, first: datetime.date, last: datetime.date, status: str = ""):
    """The unit's records served between those days (a status's only, when one is given), newest
    first, each with its volunteer's name: the list page shows no identity number, so none is
    loaded (or decrypted)."""
    records = (
        ServiceRecord.objects.filter(unit=unit, served_on__gte=first, served_on__lte=last)
        .select_related("volunteer")
        .defer("volunteer__identity_number")
        .order_by("-served_on", "volunteer__name", "pk")
    )
    if status in ServiceRecordStatus.values:
        records = records.filter(status=status)
    return records


def card_numbers(record_ids) -> dict[int, str]:
    """{record id: number of the valid honor card that counted it}: such hours stay put (a
    correction needs a reason and the volunteer centre's confirmation), and lists say so."""
    through = ServiceRecord.honor_cards.through
    return dict(
        through.objects.filter(
            servicerecord_id__in=list(record_ids), honorcard__status=CardStatus.VALID
        ).values_list("servicerecord_id", "honorcard__number")
    )


def grid_records(unit, days) -> dict[tuple[int, datetime.date], ServiceRecord]:
    """The unit's week-grid records of those days, by (volunteer id, day)."""
    records = ServiceRecord.objects.filter(
        unit=unit, source=ServiceRecordSource.GRID, served_on__gte=days[0], served_on__lte=days[-1]
    )
    return {(r.volunteer_id, r.served_on): r for r in records}


def volunteer_day_hours(volunteer_ids, days) -> dict:
    """{(volunteer id, day): hours in every unit} for a grid's rows and columns (one query)."""
    totals = defaultdict(Decimal)
    for r in (
        ServiceRecord.objects.filter(
            volunteer_id__in=list(volunteer_ids), served_on__gte=days[0], served_on__lte=days[-1]
        )
        .values("volunteer_id", "served_on")
        .annotate(total=Sum("hours"))
        .order_by()
    ):
        totals[(r["volunteer_id"], r["served_on"])] = r["total"]
    return totals


def week_grid_facts(unit, days, volunteer_ids, *, today: datetime.date) -> GridFacts:
    """What a saved week grid is checked against: memberships, the grid's records, carded records."""
    members = {
        m.volunteer_id: m
        for m in Membership.objects.filter(unit=unit, volunteer_id__in=volunteer_ids).select_related(
            "volunteer"
        )
    }
    existing = grid_records(unit, days)
    return GridFacts(
        days=days,
        today=today,
        members=members,
        existing=existing,
        carded=card_numbers(r.pk for r in existing.values()),
    )


def cell_name(volunteer_id, day) -> str:
    """The form field of one grid cell."""
    return f"h-{volunteer_id}-{day:%Y%m%d}"


def week_grid_rows(unit, volunteers, days, *, today: datetime.date, posted=None) -> list[dict]:
    """The grid's rows: each volunteer's seven cells with the value to show (what was posted, else
    the record's hours), whether it is certified, other hours that day and whether it is ahead."""
    existing = grid_records(unit, days)
    totals = volunteer_day_hours([v.pk for v in volunteers], days)
    posted = posted or {}
    rows = []
    for v in volunteers:
        cells = []
        for day in days:
            record = existing.get((v.pk, day))
            name = cell_name(v.pk, day)
            value = posted.get(name)
            if value is None:
                value = f"{record.hours.normalize():f}" if record else ""
            cells.append(
                {
                    "name": name,
                    "day": day,
                    "value": value,
                    "certified": bool(record and record.status == ServiceRecordStatus.CERTIFIED),
                    "other": totals.get((v.pk, day), 0) - (record.hours if record else 0),
                    # Hours cannot be recorded ahead: a future day offers no field at all.
                    "future": day > today,
                }
            )
        rows.append({"volunteer": v, "cells": cells})
    return rows
