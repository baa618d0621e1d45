"""Who may see which gifts: donors their own, bureaus theirs, the committee and reviewers all."""

from accounts.permissions import belongs_to, has_role
from accounts.roles import Role

from .models import Pledge

OVERSIGHT_ROLES = (Role.SW_REVIEWER, Role.COMMITTEE, Role.SITE_ADMIN)
# The tax export carries ID numbers: only the social welfare bureau's reviewers and site admins.
TAX_EXPORT_ROLES = (Role.SW_REVIEWER, Role.SITE_ADMIN)


def can_view_pledge(user, pledge: Pledge, *, guest_trade_nos=()) -> bool:
    if pledge.merchant_trade_no in guest_trade_nos and pledge.donor_id is None:
        return True
    if not (user and user.is_authenticated):
        return False
    if pledge.donor_id == user.pk:
        return True
    if has_role(user, *OVERSIGHT_ROLES):
        return True
    return (
        bool(pledge.program_id)
        and has_role(user, Role.CASEWORKER)
        and belongs_to(user, pledge.program.bureau_id)
    )


def can_see_staff_list(user) -> bool:
    return has_role(user, Role.CASEWORKER, *OVERSIGHT_ROLES)


def can_view_program_donors(user, program) -> bool:
    return has_role(user, *OVERSIGHT_ROLES) or (
        has_role(user, Role.CASEWORKER) and belongs_to(user, program.bureau_id)
    )


def can_refund(user) -> bool:
    """Refunds and receipt corrections: the social welfare bureau's reviewers and site admins."""
    return has_role(user, Role.SW_REVIEWER, Role.SITE_ADMIN)


def can_export_tax(user) -> bool:
    return has_role(user, *TAX_EXPORT_ROLES)
