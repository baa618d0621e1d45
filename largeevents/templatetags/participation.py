"""``{% participation_by_year %}``: corporate volunteering (teams, people, hours) and large events'
volunteers and hours by year, as a table, for the volunteer statistics and the public dashboard.
One tag, so both pages show the same figures from the same selectors."""

from django import template

from corporate.selectors import corporate_by_year
from largeevents.figures import definitions
from largeevents.selectors import large_events_by_year

register = template.Library()


@register.inclusion_tag("largeevents/_participation.html", takes_context=True)
def participation_by_year(context, scope: str = "public"):
    unit_ids = None
    last_year = None
    if scope == "statistics":
        from volunteers.permissions import statistics_unit_ids

        unit_ids = statistics_unit_ids(context["request"].user)
        last_year = context.get("year")
    corporate = corporate_by_year(last_year=last_year, unit_ids=unit_ids)
    events = large_events_by_year(last_year=last_year, unit_ids=unit_ids)
    return {"rows": [(c, e) for c, e in zip(corporate, events, strict=True)], "definitions": definitions()}
