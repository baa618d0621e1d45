"""Corporate and large-event volunteering by year for the public dashboard's figures (and so its
open-data CSV): the same selectors as the statistics page's table (templatetags/participation.py)."""

from django.utils.translation import gettext as _

PARTICIPATION_BY_YEAR = "participation_by_year"


def definitions() -> tuple[str, str]:
    """How the corporate and the large-event figures are counted (shown wherever they are)."""
    return (
        _("企業志工：經企業志工媒合排班、由運用單位確認時數的服務紀錄。"),
        _("大型活動：志工計畫經主管機關審查通過之活動的服務紀錄；活動數依開始日期的年度計。"),
    )


def add_participation_figures(add, *, last_year: int) -> None:
    """Call ``add(key, label, value, unit, definition, group=, dimension=, series=)`` per year."""
    from corporate.selectors import corporate_by_year
    from largeevents.selectors import large_events_by_year

    corporate_rule, event_rule = definitions()
    for c, e in zip(
        corporate_by_year(last_year=last_year), large_events_by_year(last_year=last_year), strict=True
    ):
        year = str(c["roc_year"])
        for key, label, value, unit, rule in (
            ("corporate_teams", _("服務的企業志工隊"), c["teams"], _("隊"), corporate_rule),
            ("corporate_people", _("企業志工人數"), c["people"], _("人"), corporate_rule),
            ("corporate_hours", _("企業志工時數"), c["hours"], _("小時"), corporate_rule),
            ("large_events", _("大型活動"), e["events"], _("場"), event_rule),
            ("large_event_people", _("大型活動志工人數"), e["people"], _("人"), event_rule),
            ("large_event_hours", _("大型活動志工時數"), e["hours"], _("小時"), event_rule),
        ):
            add(
                f"{key}_{year}",
                label,
                value,
                unit,
                rule,
                group=PARTICIPATION_BY_YEAR,
                dimension=year,
                series=label,
            )


PARTICIPATION_SHEET = "企業志工與大型活動"


def participation_sheet_rows(*, year: int, unit_ids=None) -> list[list]:
    """The volunteer statistics XLSX's sheet (``PARTICIPATION_SHEET``; Chinese, written in the
    record language by the caller): corporate volunteering and large events by year — the same
    selectors as ``{% participation_by_year %}`` — then the teams, their rosters and the
    large events' volunteer plans of ``year``. ``unit_ids`` narrows what was served (and the
    plans) to a bureau's units; the teams and rosters are the city's."""
    from django.db.models import Count, Sum

    from corporate.models import CorporateTeam, TeamMember
    from corporate.selectors import corporate_by_year
    from largeevents.models import LargeEventPlan, LargeEventPlanStatus
    from largeevents.selectors import large_events_by_year

    corporate_rule, event_rule = definitions()
    rows: list[list] = [
        [
            "年度（民國）",
            "服務的企業志工隊",
            "企業志工人數",
            "企業志工時數",
            "大型活動",
            "大型活動志工人數",
            "大型活動志工時數",
        ]
    ]
    corporate = corporate_by_year(last_year=year, unit_ids=unit_ids)
    events = large_events_by_year(last_year=year, unit_ids=unit_ids)
    for c, e in reversed(list(zip(corporate, events, strict=True))):
        rows.append(
            [
                c["roc_year"],
                c["teams"],
                c["people"],
                float(c["hours"]),
                e["events"],
                e["people"],
                float(e["hours"]),
            ]
        )
    plans = LargeEventPlan.objects.filter(event__starts_on__year=year)
    if unit_ids is not None:
        plans = plans.filter(event__unit_id__in=unit_ids)
    by_status = {
        r["status"]: r for r in plans.values("status").annotate(n=Count("pk"), heads=Sum("headcount"))
    }
    approved = by_status.get(LargeEventPlanStatus.APPROVED, {})
    rows += [
        [],
        ["項目", "數值"],
        ["登錄的企業志工隊（開放媒合）", CorporateTeam.objects.filter(is_active=True).count()],
        ["參與企業數", CorporateTeam.objects.values("organisation").distinct().count()],
        ["企業志工隊員名單人數", TeamMember.objects.count()],
        [f"{year - 1911} 年大型活動志工計畫（審查通過）", approved.get("n", 0)],
        [f"{year - 1911} 年審查通過計畫的志工人數", approved.get("heads") or 0],
        [
            f"{year - 1911} 年待審查的大型活動志工計畫",
            by_status.get(LargeEventPlanStatus.SUBMITTED, {}).get("n", 0),
        ],
        [],
        ["說明", str(corporate_rule)],
        ["說明", str(event_rule)],
    ]
    return rows
