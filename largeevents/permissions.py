"""Who may file, review and enrol for a large event's volunteer plan.

The organiser is the volunteer unit running the event's volunteers (its officers file and enrol);
the reviewer is the competent bureau the organiser names for the event (its caseworkers, or the
social welfare bureau's reviewers when that is the bureau); the volunteer centre and the social
welfare bureau oversee every plan (read only).
"""

from accounts.permissions import has_role
from accounts.roles import OrganisationKind, Role
from volunteers.permissions import can_manage_unit, oversees_all_units

from .workflows import EDITABLE, PLAN_FLOW


def is_organiser(user, plan) -> bool:
    return can_manage_unit(user, plan.event.unit)


def is_reviewer(user, plan) -> bool:
    bureau = plan.competent_bureau
    if not user.is_authenticated or user.organisation_id != bureau.pk:
        return False
    if has_role(user, Role.CASEWORKER):
        return True
    return bureau.kind == OrganisationKind.SOCIAL_WELFARE_BUREAU and has_role(user, Role.SW_REVIEWER)


def can_list_plans(user) -> bool:
    return has_role(
        user, Role.UNIT_OFFICER, Role.CASEWORKER, Role.SW_REVIEWER, Role.CENTRE_STAFF, Role.SITE_ADMIN
    )


def can_create_plan(user) -> bool:
    return has_role(user, Role.UNIT_OFFICER)


def can_view_plan(user, plan) -> bool:
    return is_organiser(user, plan) or is_reviewer(user, plan) or oversees_all_units(user)


def can_edit_plan(user, plan) -> bool:
    return is_organiser(user, plan) and plan.status in EDITABLE


def can_submit_plan(user, plan) -> bool:
    return is_organiser(user, plan) and PLAN_FLOW.can(plan.status, "submit")


def can_withdraw_plan(user, plan) -> bool:
    return is_organiser(user, plan) and PLAN_FLOW.can(plan.status, "withdraw")


def can_review_plan(user, plan) -> bool:
    return is_reviewer(user, plan) and PLAN_FLOW.can(plan.status, "approve")


def can_enrol(user, plan) -> bool:
    """Bulk enrolment only once the plan is approved: the review comes before the volunteers."""
    return is_organiser(user, plan) and plan.status == "approved"
