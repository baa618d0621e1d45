"""Who may do what with spending and reports (built on accounts/permissions.py)."""

from accounts.permissions import has_role
from accounts.roles import Role
from programs.permissions import is_caseworker_of


def may_open_spending_attachment(user, spending) -> bool:
    """The social welfare bureau's reviewers (they approve it) and the program's bureau's caseworkers
    (they recorded it)."""
    if has_role(user, Role.SW_REVIEWER):
        return True
    return has_role(user, Role.CASEWORKER) and is_caseworker_of(user, spending.program.bureau_id)
