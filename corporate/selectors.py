"""Reads for corporate volunteering: the teams to match, a team's matches, the CSR report and the
corporate figures by year. Every figure comes from service records: the hours a unit confirmed for
a sign-up that a team enrolment put on a shift (nothing the company types in is counted)."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from volunteers.models import ServiceRecord, Shift

from .models import CorporateTeam, MatchStatus, TeamMatch


def as_hours(value) -> Decimal:
    """Hours with two decimals on every database (SQLite sums decimals as numbers)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


MATCH_RELATED = (
    "team__organisation",
    "shift__event__unit__organisation",
    "shift__event__opportunity",
    "offer__program",
)


def teams_for_matching(*, domain: str = "", availability: str = "", query: str = ""):
    teams = CorporateTeam.objects.filter(is_active=True).select_related("organisation")
    teams = teams.annotate(
        open_matches=Count(
            "matches", filter=Q(matches__status__in=[MatchStatus.PROPOSED, MatchStatus.ACCEPTED])
        )
    )
    if query:
        teams = teams.filter(Q(name__icontains=query) | Q(organisation__name__icontains=query))
    teams = list(teams.order_by("name"))
    # JSON lists: filtered here so SQLite and PostgreSQL give the same answer.
    if domain:
        teams = [t for t in teams if domain in t.interests]
    if availability:
        teams = [t for t in teams if availability in t.availability]
    return teams


def team_matches(team):
    return TeamMatch.objects.filter(team=team).select_related(*MATCH_RELATED).order_by("-proposed_at")


def unit_matches(unit):
    return TeamMatch.objects.filter(shift__event__unit=unit).select_related(*MATCH_RELATED)


def shifts_to_offer(user, *, opportunity=None):
    """Upcoming shifts the user may propose a team for: the centre sees every unit's. An
    opportunity's shifts are its event's shifts (opportunities.Opportunity.event), so matching a
    team to an opportunity is matching it to one of those shifts; open opportunities that suit
    companies come first."""
    from accounts.permissions import has_role
    from accounts.roles import Role
    from volunteers.permissions import unit_of

    shifts = Shift.objects.filter(date__gte=timezone.localdate()).select_related(
        "event__unit__organisation", "event__opportunity"
    )
    if opportunity is not None:
        shifts = shifts.filter(event__opportunity=opportunity)
    order = (F("event__opportunity__suits_company").desc(nulls_last=True), "date", "starts_at")
    if has_role(user, Role.CENTRE_STAFF):
        return shifts.order_by(*order)
    unit = unit_of(user)
    return shifts.filter(event__unit=unit).order_by(*order) if unit else shifts.none()


def shift_label(shift) -> str:
    opportunity = getattr(shift.event, "opportunity", None)
    prefix = f"【{opportunity.title}】" if opportunity is not None else ""
    return f"{prefix}{shift.event.unit.name}：{shift}"


def service_offers_of(team):
    """The company's accepted service offers (the donation side) a match may answer."""
    from programs.models import Offer, OfferKind, OfferStatus

    return Offer.objects.filter(
        donor__organisation_id=team.organisation_id,
        kind=OfferKind.SERVICE,
        status__in=[OfferStatus.ACCEPTED, OfferStatus.PARTLY_ACCEPTED, OfferStatus.DELIVERED],
    ).select_related("program")


def team_records(team=None):
    records = ServiceRecord.objects.filter(shift_signup__corporate_enrolment__isnull=False)
    if team is not None:
        records = records.filter(shift_signup__corporate_enrolment__match__team=team)
    return records


def report_years(team) -> list[int]:
    years = {d.year for d in team_records(team).dates("served_on", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def csr_report(team, year: int) -> dict:
    """People, hours, services and programs the team served in ``year``, and each activity."""
    records = team_records(team).filter(served_on__year=year)
    totals = records.aggregate(
        people=Count("volunteer", distinct=True), hours=Sum("hours"), services=Count("pk")
    )
    rows = list(
        records.values(
            "served_on",
            "unit__organisation__name",
            "activity",
            "shift_signup__corporate_enrolment__match__offer__program__title",
        )
        .annotate(people=Count("volunteer", distinct=True), hours=Sum("hours"))
        .order_by("served_on", "unit__organisation__name", "activity")
    )
    activities = [
        {
            "served_on": r["served_on"],
            "unit": r["unit__organisation__name"],
            "activity": r["activity"],
            "program": r["shift_signup__corporate_enrolment__match__offer__program__title"] or "",
            "people": r["people"],
            "hours": as_hours(r["hours"]),
        }
        for r in rows
    ]
    programs = sorted({a["program"] for a in activities if a["program"]})
    return {
        "team": team,
        "year": year,
        "roc_year": year - 1911,
        "people": totals["people"] or 0,
        "hours": as_hours(totals["hours"]),
        "services": totals["services"] or 0,
        "units": len({a["unit"] for a in activities}),
        "programs": programs,
        "activities": activities,
        "as_of": timezone.localdate(),
    }


def csr_rows(report: dict) -> list[list]:
    """The report as rows for CSV (written through core.tabular)."""
    from core.roc import to_roc

    rows = [["服務日期", "運用單位", "服務內容", "方案", "人數", "時數"]]
    for a in report["activities"]:
        rows.append([to_roc(a["served_on"]), a["unit"], a["activity"], a["program"], a["people"], a["hours"]])
    rows.append(["合計", "", "", "、".join(report["programs"]), report["people"], report["hours"]])
    return rows


def corporate_by_year(*, last_year: int | None = None, years: int = 5, unit_ids=None) -> list[dict]:
    """Teams that served, people and hours per year (the statistics and the dashboard)."""
    last_year = last_year or timezone.localdate().year
    first = last_year - years + 1
    records = team_records().filter(
        served_on__gte=datetime.date(first, 1, 1), served_on__lte=datetime.date(last_year, 12, 31)
    )
    if unit_ids is not None:
        records = records.filter(unit_id__in=unit_ids)
    found = {
        r["served_on__year"]: r
        for r in records.values("served_on__year").annotate(
            teams=Count("shift_signup__corporate_enrolment__match__team", distinct=True),
            people=Count("volunteer", distinct=True),
            hours=Sum("hours"),
        )
    }
    return [
        {
            "year": y,
            "roc_year": y - 1911,
            "teams": found.get(y, {}).get("teams", 0),
            "people": found.get(y, {}).get("people", 0),
            "hours": as_hours(found.get(y, {}).get("hours")),
        }
        for y in range(last_year, first - 1, -1)
    ]


def registered_teams() -> int:
    return CorporateTeam.objects.filter(is_active=True).count()


def company_units(team):
    """Volunteer units the company's coordinators registered (``VolunteerUnit.company``)."""
    from volunteers.models import VolunteerUnit

    return VolunteerUnit.objects.filter(company_id=team.organisation_id).select_related("organisation")
