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
