"""Who may do what with spending, the monthly report and the committee: one place, tested by role."""

from accounts.permissions import has_role
from accounts.roles import Role
from programs.permissions import is_caseworker_of


def may_open_spending_attachment(user, spending) -> bool:
    """The social welfare bureau's reviewers (they approve it) and the program's bureau's caseworkers
    (they recorded it)."""
    if is_spending_reviewer(user):
        return True
    return is_caseworker_of(user, spending.program.bureau_id)


REPORT_BUILDERS = (Role.SW_REVIEWER, Role.SITE_ADMIN)
COMMITTEE_READERS = (Role.COMMITTEE, Role.SW_REVIEWER, Role.SITE_ADMIN)
MEETING_RECORDERS = (Role.SW_REVIEWER, Role.SITE_ADMIN)


def can_record_spending(user, program) -> bool:
    """The program's own bureau records what it spent."""
    return is_caseworker_of(user, program.bureau_id)


def is_spending_reviewer(user) -> bool:
    """The spending queue: the social welfare bureau's reviewers."""
    return has_role(user, Role.SW_REVIEWER)


def can_decide_spending(user, spending) -> bool:
    """The social welfare bureau approves or returns, never the person who recorded it."""
    return is_spending_reviewer(user) and spending.recorded_by_id != user.pk


def can_record_any_spending(user) -> bool:
    """The spending form: caseworkers (each records for their own bureau's programs)."""
    return has_role(user, Role.CASEWORKER)


def can_open_any_spending_attachment(user) -> bool:
    """The attachment URL's first gate; ``may_open_spending_attachment`` decides per voucher."""
    return has_role(user, Role.SW_REVIEWER, Role.CASEWORKER)


def can_build_report(user) -> bool:
    return has_role(user, *REPORT_BUILDERS)


def can_read_committee_packet(user) -> bool:
    return has_role(user, *COMMITTEE_READERS)


def can_record_meeting(user) -> bool:
    return has_role(user, *MEETING_RECORDERS)


def can_sign_off_meeting(user) -> bool:
    return has_role(user, Role.COMMITTEE)
