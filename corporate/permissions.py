"""Who may do what with corporate volunteer teams.

A company's coordinator is a personal account (donor, or volunteer once they link their own
volunteer record) whose organisation is the company: no new role, no second factor, and the
same account keeps giving and volunteering as before. The volunteer centre and the volunteer
units match teams to shifts; a unit enrols the members on its own shift; the company, the centre
and the social welfare bureau read the team's CSR report.
"""

from accounts.permissions import belongs_to, has_role
from accounts.roles import OrganisationKind, Role
from volunteers.permissions import can_manage_unit

from .workflows import MATCH_FLOW

PERSONAL_ROLES = (Role.DONOR, Role.VOLUNTEER)
MATCHER_ROLES = (Role.CENTRE_STAFF, Role.UNIT_OFFICER)
OVERSIGHT_ROLES = (Role.CENTRE_STAFF, Role.SW_REVIEWER, Role.SITE_ADMIN)


def company_of(user):
    """The company a personal account acts for (None for everybody else)."""
    if not has_role(user, *PERSONAL_ROLES) or user.organisation_id is None:
        return None
    organisation = user.organisation
    return organisation if organisation.kind == OrganisationKind.COMPANY else None


def is_company_coordinator(user, team) -> bool:
    return bool(has_role(user, *PERSONAL_ROLES) and belongs_to(user, team.organisation_id))


def can_register_team(user) -> bool:
    """A personal account not yet acting for any organisation."""
    return bool(has_role(user, *PERSONAL_ROLES) and user.organisation_id is None)


def can_browse_teams(user) -> bool:
    return has_role(user, *MATCHER_ROLES, Role.SW_REVIEWER, Role.SITE_ADMIN)


def can_view_team(user, team) -> bool:
    return is_company_coordinator(user, team) or can_browse_teams(user)


def can_manage_team(user, team) -> bool:
    return is_company_coordinator(user, team)


def can_manage_coordinators(user, team) -> bool:
    """A coordinator adds and removes the company's coordinators (never the last: the service)."""
    return is_company_coordinator(user, team)


def can_view_roster(user, team) -> bool:
    """The coordinator keeps the roster; the volunteer centre sees it (masked), and so does a unit
    whose shift the company has agreed to serve (it enrols the members from that match). Any other
    unit's officer sees no one's name and birth date: a company's employees are not the city's
    units' business until the company accepts a match."""
    if is_company_coordinator(user, team) or has_role(user, Role.CENTRE_STAFF):
        return True
    if not has_role(user, Role.UNIT_OFFICER):
        return False
    # can_manage_unit for the unit of any such match's shift, as one query.
    return team.matches.filter(
        status__in=MATCH_FLOW.moves["enrol"].sources,
        shift__event__unit__organisation_id=user.organisation_id,
    ).exists()


def can_propose_match(user, shift) -> bool:
    """The volunteer centre for any unit's shift; a unit's officer for its own shifts."""
    return has_role(user, Role.CENTRE_STAFF) or can_manage_unit(user, shift.event.unit)


def can_view_match(user, match) -> bool:
    return (
        is_company_coordinator(user, match.team)
        or can_manage_unit(user, match.shift.event.unit)
        or has_role(user, *OVERSIGHT_ROLES)
    )


def can_answer_match(user, match) -> bool:
    return is_company_coordinator(user, match.team) and MATCH_FLOW.can(match.status, "accept")


def can_enrol(user, match) -> bool:
    return can_manage_unit(user, match.shift.event.unit) and MATCH_FLOW.can(match.status, "enrol")


def is_match_host(user, match) -> bool:
    """The volunteer centre, or the officers of the unit whose shift it is."""
    return has_role(user, Role.CENTRE_STAFF) or can_manage_unit(user, match.shift.event.unit)


def can_cancel_match(user, match) -> bool:
    return is_match_host(user, match) and MATCH_FLOW.can(match.status, "cancel")


def can_view_csr_report(user, team) -> bool:
    return is_company_coordinator(user, team) or has_role(user, *OVERSIGHT_ROLES)
