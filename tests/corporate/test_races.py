"""Two people at once: one match per team and shift; the company's refusal and the host's
cancellation do not both win; two officers enrolling cannot overfill a shift."""

import pytest
from django.core.exceptions import ValidationError

from corporate import services
from corporate.models import MatchStatus, TeamMatch
from tests.corporate.factories import company_team, event_of, match_of, member_of_team, shift_of
from tests.volunteers.factories import UnitFactory, centre_staff, officer_of
from tests.volunteers.test_races import run_together
from volunteers.models import ShiftSignup

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_proposals_of_the_same_team_for_the_same_shift_at_once_give_one_match():
    unit = UnitFactory(approved=True)
    shift = shift_of(event_of(unit, creator=officer_of(unit)))
    team = company_team()
    results = run_together(
        *[
            lambda: services.propose_match(actor=centre_staff(), team=team, shift=shift, people=1)
            for _ in range(2)
        ]
    )
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert TeamMatch.objects.count() == 1


def test_declining_and_cancelling_at_once_leave_one_outcome():
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    team = company_team()
    match = match_of(team, shift_of(event_of(unit, creator=officer)))
    results = run_together(
        lambda: services.decline_match(match=match, actor=team.coordinator, reason="人力不足"),
        lambda: services.cancel_match(match=match, actor=officer, reason="延期"),
    )
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    match.refresh_from_db()
    assert match.status in (MatchStatus.DECLINED, MatchStatus.CANCELLED)


def test_two_enrolments_at_once_never_overfill_the_shift():
    unit = UnitFactory(approved=True)
    officers = [officer_of(unit), officer_of(unit)]
    shift = shift_of(event_of(unit, creator=officers[0]), capacity=3)
    teams = [company_team(), company_team()]
    matches = [match_of(t, shift, status=MatchStatus.ACCEPTED) for t in teams]
    members = [[member_of_team(t) for _ in range(2)] for t in teams]
    run_together(
        *[
            (lambda m=m, o=o, ms=ms: services.enrol_members(match=m, actor=o, members=ms))
            for m, o, ms in zip(matches, officers, members, strict=True)
        ]
    )
    assert ShiftSignup.objects.filter(shift=shift).count() <= 3
