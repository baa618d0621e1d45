"""The right role in the wrong organisation: an officer of unit B on unit A's opportunities,
applications, large-event plans, matches and privacy requests; a coordinator of company Y on
company X's team; a citizen on another citizen's application. The permission matrix checks each
role against its own organisation's records; here every object URL of the newer apps is tried,
GET and POST (with the body a real form would send, plus extra fields), by someone of another
organisation: the answer is 403 or 404 and nothing changes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from audit.models import AuditEvent
from corporate.models import CorporateTeam, MatchStatus, TeamMatch, TeamMember
from largeevents.models import LargeEventPlan
from opportunities import applications
from opportunities.models import Application, Opportunity
from privacy.models import DataRequest, RequestKind
from tests.accounts.factories import OrganisationFactory, make_user
from tests.corporate.factories import company_team, event_of, match_of, member_of_team, shift_of
from tests.opportunities.factories import citizen, identity, open_opportunity
from tests.volunteers.factories import UnitFactory, officer_of

pytestmark = pytest.mark.django_db

REFUSED = {403, 404}


@pytest.fixture
def world():
    unit_a, unit_b = UnitFactory(approved=True), UnitFactory(approved=True)
    officer_a, officer_b = officer_of(unit_a), officer_of(unit_b)
    opportunity = open_opportunity(unit_a, officer_a, capacity=5)
    draft = open_opportunity(unit_a, officer_a, publish=False, title="A 的草稿")
    applicant = citizen(email="applicant-a@example.org")
    application = applications.apply(opportunity=opportunity, user=applicant, **identity(1))
    team_x, team_y = company_team(), company_team()
    member = member_of_team(team_x)
    match = match_of(team_x, shift_of(event_of(unit_a, creator=officer_a)), status=MatchStatus.ACCEPTED)
    bureau = OrganisationFactory(kind=OrganisationKind.BUREAU, name="跨單位測試局")
    plan = LargeEventPlan.objects.create(
        event=event_of(unit_a, creator=officer_a, title="A 的大型活動"),
        competent_bureau=bureau,
        duties="引導 10 人",
        headcount=10,
        training_plan="行前說明會",
        status="submitted",
        created_by=officer_a,
    )
    request = DataRequest.objects.create(
        kind=RequestKind.CORRECTION, requester=applicant, organisation=unit_a.organisation, message="地址有誤"
    )
    return {
        "officer_b": officer_b,
        "other_caseworker": make_user(
            Role.CASEWORKER, organisation=OrganisationFactory(kind=OrganisationKind.BUREAU)
        ),
        "coordinator_y": team_y.coordinator,
        "other_citizen": citizen(email="someone-else@example.org"),
        "opportunity": opportunity,
        "draft": draft,
        "application": application,
        "team_x": team_x,
        "member": member,
        "match": match,
        "plan": plan,
        "request": request,
    }


def _snapshot(world):
    """What an attack could change."""
    application, opportunity, team = world["application"], world["opportunity"], world["team_x"]
    return {
        "application": Application.objects.filter(pk=application.pk).values_list("status", flat=True).get(),
        "opportunity": Opportunity.objects.filter(pk=opportunity.pk)
        .values_list("status", "title", "capacity")
        .get(),
        "draft": Opportunity.objects.filter(pk=world["draft"].pk).values_list("status", "title").get(),
        "shifts": world["opportunity"].event.shifts.count(),
        "team": CorporateTeam.objects.filter(pk=team.pk)
        .values_list("name", "is_active", "coordinator")
        .get(),
        "coordinators": list(team.organisation.members.values_list("pk", flat=True).order_by("pk")),
        "members": TeamMember.objects.filter(team=team).count(),
        "match": TeamMatch.objects.filter(pk=world["match"].pk).values_list("status", flat=True).get(),
        "plan": LargeEventPlan.objects.filter(pk=world["plan"].pk).values_list("status", "headcount").get(),
        "request": DataRequest.objects.filter(pk=world["request"].pk).values_list("status", "reply").get(),
        "audit": AuditEvent.objects.count(),
    }


def _attacks(world):
    """(url name, url kwargs, POST body) for every object URL of the newer apps."""
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    o, d, a = world["opportunity"], world["draft"], world["application"]
    team, match, plan = world["team_x"], world["match"], world["plan"]
    extra = {"status": "accepted", "approved": "on", "unit": "1", "company": "1", "organisation": "1"}
    return [
        ("opportunities:manage_detail", {"pk": o.pk}, {}),
        ("opportunities:manage_edit", {"pk": o.pk}, {"title": "被改", "capacity": "99", **extra}),
        ("opportunities:manage_edit", {"pk": d.pk}, {"title": "被改", **extra}),
        ("opportunities:manage_status", {"pk": o.pk}, {"action": "close"}),
        ("opportunities:manage_status", {"pk": d.pk}, {"action": "publish"}),
        (
            "opportunities:manage_shift_new",
            {"pk": o.pk},
            {"date": day, "starts_at": "09:00", "ends_at": "10:00", "capacity": "3", "task": "x"},
        ),
        ("opportunities:decide", {"pk": a.pk}, {"action": "accept", "message": "", **extra}),
        ("opportunities:withdraw", {"pk": a.pk}, {}),
        ("opportunities:detail", {"pk": d.pk}, None),
        ("opportunities:apply", {"pk": d.pk}, {"name": "x", **identity(9)}),
        ("corporate:team_edit", {"pk": team.pk}, {"name": "被改", "is_active": "", **extra}),
        (
            "corporate:members",
            {"pk": team.pk},
            {"name": "x", **identity(8), "sex": "female", "consent": "on"},
        ),
        ("corporate:member_remove", {"pk": world["member"].pk}, {}),
        ("corporate:coordinators", {"pk": team.pk}, {"email": "someone-else@example.org"}),
        ("corporate:coordinator_remove", {"pk": team.pk, "user_pk": team.coordinator_id}, {}),
        ("corporate:report", {"pk": team.pk}, None),
        ("corporate:report_csv", {"pk": team.pk}, None),
        ("corporate:match_detail", {"pk": match.pk}, None),
        ("corporate:match_answer", {"pk": match.pk}, {"action": "decline", "reason": "x"}),
        ("corporate:match_enrol", {"pk": match.pk}, {"members": [world["member"].pk]}),
        ("corporate:match_cancel", {"pk": match.pk}, {"reason": "x"}),
        ("largeevents:edit", {"pk": plan.pk}, {"headcount": "999", **extra}),
        ("largeevents:submit", {"pk": plan.pk}, {"action": "withdraw"}),
        ("largeevents:review", {"pk": plan.pk}, {"action": "approve"}),
        ("largeevents:enrol", {"pk": plan.pk}, {}),
        ("privacy:request", {"pk": world["request"].pk}, {"reply": "已處理"}),
    ]


# Who may not touch unit A's or company X's records, whatever their role.
OUTSIDERS = ["officer_b", "other_caseworker", "coordinator_y", "other_citizen"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_no_one_of_another_organisation_reads_or_changes_these_records(client, world, who):
    before = _snapshot(world)
    client.force_login(world[who])
    wrong = []
    for name, kwargs, body in _attacks(world):
        url = reverse(name, kwargs=kwargs)
        got = client.get(url).status_code
        if got not in REFUSED | {405}:
            wrong.append(f"GET {name}: {got}")
        if body is not None:
            got = client.post(url, body).status_code
            if got not in REFUSED:
                wrong.append(f"POST {name}: {got}")
    assert not wrong, "\n".join(wrong)
    assert _snapshot(world) == before
