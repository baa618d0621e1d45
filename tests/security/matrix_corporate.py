"""Permission rules for the corporate app's URLs (see tests/security/test_permission_matrix.py).

The company's coordinator is a donor account whose organisation is the company: not one of the
matrix's role users (the matrix's donor belongs to no company, so it sees no team); the
coordinator's own answers are tested in tests/corporate/."""

from accounts.roles import Role
from tests.security.matrix import only, public, signed_in

UO, CS, SW, SA = Role.UNIT_OFFICER, Role.CENTRE_STAFF, Role.SW_REVIEWER, Role.SITE_ADMIN
PERSONAL = (Role.DONOR, Role.VOLUNTEER)

RULES = {
    "corporate:home": (
        None,
        {
            **signed_in(403),
            "donor": 200,
            "volunteer": 200,
            "unit_officer": 302,
            "centre_staff": 302,
            "sw_reviewer": 302,
            "site_admin": 302,
        },
    ),
    "corporate:register": (None, only(*PERSONAL)),
    "corporate:team_list": (None, only(CS, UO, SW, SA)),
    "corporate:team_detail": ("corporate_team", only(CS, UO, SW, SA, others=404)),
    "corporate:team_edit": ("corporate_team", only(others=404)),
    # The roster (names, birth dates): the centre; a unit only once the company accepted its match
    # (the matrix's match is only proposed; tests/corporate/test_report_and_views.py).
    "corporate:members": ("corporate_team", only(CS, others=404)),
    "corporate:member_remove": ("corporate_member", public(405)),
    # Only the company's own coordinators (none of the matrix's users): the list and its form.
    "corporate:coordinators": ("corporate_team", only(others=404)),
    "corporate:coordinator_remove": ("corporate_coordinator", public(405)),
    # A signed invitation for one account: a bad or someone else's link is 404 (tests/corporate).
    "corporate:coordinator_join": ("corporate_invitation", signed_in(404)),
    "corporate:propose": ("corporate_team", only(CS, UO)),
    "corporate:report": ("corporate_team", only(CS, SW, SA, others=404)),
    "corporate:report_pdf": ("corporate_team", only(CS, SW, SA, others=404)),
    "corporate:report_csv": ("corporate_team", only(CS, SW, SA, others=404)),
    "corporate:match_detail": ("corporate_match", only(UO, CS, SW, SA, others=404)),
    "corporate:match_answer": ("corporate_match", public(405)),
    "corporate:match_enrol": ("corporate_match", public(405)),
    "corporate:match_cancel": ("corporate_match", public(405)),
}


def world_args(users):
    from tests.corporate.factories import company_team, event_of, match_of, member_of_team, shift_of
    from volunteers.models import ServiceDomain, VolunteerUnit

    unit, _ = VolunteerUnit.objects.get_or_create(
        organisation=users["unit_officer"].organisation,
        defaults={"main_domain": ServiceDomain.SOCIAL_WELFARE},
    )
    team = company_team()
    shift = shift_of(event_of(unit, creator=users["unit_officer"], title="矩陣企業志工活動"))
    match = match_of(team, shift, by=users["centre_staff"])
    return {
        "corporate_team": {"pk": team.pk},
        "corporate_member": {"pk": member_of_team(team).pk},
        "corporate_coordinator": {"pk": team.pk, "user_pk": team.coordinator_id},
        "corporate_match": {"pk": match.pk},
        "corporate_invitation": {"token": "not-a-valid-invitation"},
    }
