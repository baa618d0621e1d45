"""Who may see or change volunteer records.

A unit's officers manage their own unit only; the volunteer centre and the social welfare bureau
oversee every unit; a competent bureau's caseworkers oversee the units it supervises; a volunteer
sees their own record. Views call these functions; tests check them role by role.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.permissions import has_role, is_social_welfare_staff
from accounts.roles import OrganisationKind, Role

from .models import PlanStatus, VolunteerUnit
from .workflows import PLAN_EDITABLE, PLAN_FLOW

OVERSIGHT_ROLES = (Role.CENTRE_STAFF, Role.SW_REVIEWER, Role.CARD_REVIEWER, Role.SITE_ADMIN)


def unit_of(user) -> VolunteerUnit | None:
    """The volunteer unit a unit officer works for (None for everybody else). Kept on the user
    object once found: a request's view and the header's menus (hours, honor cards, opportunities)
    ask for it, with one query between them."""
    if not has_role(user, Role.UNIT_OFFICER) or user.organisation_id is None:
        return None
    found = getattr(user, "_volunteer_unit", None)
    if found is not None and found.organisation_id == user.organisation_id:
        return found
    found = (
        VolunteerUnit.objects.select_related("organisation")
        .filter(organisation_id=user.organisation_id, organisation__kind=OrganisationKind.VOLUNTEER_UNIT)
        .first()
    )
    if found is not None:
        user._volunteer_unit = found
    return found


def is_unit_officer(user) -> bool:
    """An officer's pages open at all (hours, events, imports, API keys, their unit's home): the
    views then find the officer's own unit (``unit_of``) and refuse one not on record."""
    return has_role(user, Role.UNIT_OFFICER)


def is_officer_of(user, unit) -> bool:
    return bool(
        has_role(user, Role.UNIT_OFFICER)
        and unit is not None
        and user.organisation_id == unit.organisation_id
    )


def oversees_all_units(user) -> bool:
    return has_role(user, *OVERSIGHT_ROLES) or (
        has_role(user, Role.CASEWORKER) and is_social_welfare_staff(user)
    )


def is_competent_bureau_of(user, unit) -> bool:
    """A caseworker of the unit's competent bureau (目的事業主管機關)."""
    return bool(
        has_role(user, Role.CASEWORKER)
        and unit is not None
        and user.organisation_id is not None
        and user.organisation_id == unit.organisation.competent_bureau_id
    )


def can_view_unit(user, unit) -> bool:
    return is_officer_of(user, unit) or oversees_all_units(user) or is_competent_bureau_of(user, unit)


def can_manage_unit(user, unit) -> bool:
    """Record volunteers, hours, training, events and insurance for the unit."""
    return is_officer_of(user, unit)


def can_view_volunteer(user, volunteer) -> bool:
    """Their own record, the units they serve in, and oversight staff."""
    if user.is_authenticated and volunteer.user_id is not None and volunteer.user_id == user.pk:
        return True
    if oversees_all_units(user):
        return True
    unit = unit_of(user)
    return unit is not None and volunteer.memberships.filter(unit=unit).exists()


def can_see_full_identity_number(user, volunteer) -> bool:
    """Full ID numbers only where the work needs them: the person, the unit's officers (for the
    national system's upload) and the card reviewers (the card's back prints it)."""
    if user.is_authenticated and volunteer.user_id == user.pk:
        return True
    if has_role(user, Role.CARD_REVIEWER, Role.SITE_ADMIN):
        return True
    unit = unit_of(user)
    return unit is not None and volunteer.memberships.filter(unit=unit).exists()


def unit_may_record_hours(unit) -> bool:
    """Until its service plan is approved (備案) a unit cannot record hours."""
    return unit is not None and unit.plans.filter(status=PlanStatus.APPROVED).exists()


# --- Added with the unit, plan and résumé screens ----------------------------------------------

# Roles that may ever open a unit's records: everybody else is refused (403) before any lookup.
UNIT_STAFF_ROLES = (
    Role.UNIT_OFFICER,
    Role.CASEWORKER,
    Role.CENTRE_STAFF,
    Role.SW_REVIEWER,
    Role.CARD_REVIEWER,
    Role.SITE_ADMIN,
)


def is_unit_staff(user) -> bool:
    return has_role(user, *UNIT_STAFF_ROLES)


def can_register_unit(user) -> bool:
    """An ordinary signed-in account (allauth signup) may register a unit and become its officer."""
    return has_role(user, Role.DONOR)


def can_edit_plan(user, plan) -> bool:
    return is_officer_of(user, plan.unit) and plan.status in PLAN_EDITABLE


def can_submit_plan(user, plan) -> bool:
    return can_edit_plan(user, plan)


def is_first_reviewer(user) -> bool:
    """The volunteer centre (志推中心) reviews every unit's plan first."""
    return has_role(user, Role.CENTRE_STAFF)


def is_second_reviewer_of(user, unit) -> bool:
    """The competent bureau reviews second: its caseworkers, or the social welfare bureau's
    reviewers when the competent bureau is the social welfare bureau."""
    if unit is None:
        return False
    if is_competent_bureau_of(user, unit):
        return True
    bureau = unit.organisation.competent_bureau
    return bool(
        bureau is not None
        and bureau.kind == OrganisationKind.SOCIAL_WELFARE_BUREAU
        and has_role(user, Role.SW_REVIEWER)
        and user.organisation_id == bureau.pk
    )


def can_first_review(user, plan) -> bool:
    return PLAN_FLOW.can(plan.status, "approve_first") and is_first_reviewer(user)


def can_second_review(user, plan) -> bool:
    return PLAN_FLOW.can(plan.status, "approve_second") and is_second_reviewer_of(user, plan.unit)


def can_return_plan(user, plan) -> bool:
    return can_first_review(user, plan) or can_second_review(user, plan)


def can_view_plan(user, plan) -> bool:
    return can_view_unit(user, plan.unit) or is_second_reviewer_of(user, plan.unit)


def can_review_plans(user) -> bool:
    """Who has a review queue at all."""
    return has_role(user, Role.CENTRE_STAFF, Role.CASEWORKER, Role.SW_REVIEWER)


def can_record_for_volunteer(user, volunteer) -> bool:
    """Training and awards: an officer of a unit the volunteer serves in."""
    unit = unit_of(user)
    return unit is not None and volunteer.memberships.filter(unit=unit).exists()


def can_record_award(user, volunteer) -> bool:
    return can_record_for_volunteer(user, volunteer) or has_role(
        user, Role.CENTRE_STAFF, Role.SW_REVIEWER, Role.SITE_ADMIN
    )


def can_view_statistics(user) -> bool:
    """The centre and the bureaus (a bureau other than the social welfare bureau sees its own units)."""
    return oversees_all_units(user) or has_role(user, Role.CASEWORKER)


def statistics_unit_ids(user):
    """None (every unit) for oversight staff; the supervised units' ids for another bureau."""
    if oversees_all_units(user):
        return None
    if not getattr(user, "organisation_id", None):
        return []
    return list(
        VolunteerUnit.objects.filter(organisation__competent_bureau_id=user.organisation_id).values_list(
            "pk", flat=True
        )
    )


def can_view_award_thresholds(user) -> bool:
    return can_view_statistics(user)


def can_view_resume(user, volunteer) -> bool:
    return can_view_volunteer(user, volunteer)


def require_permission(allowed: bool, message: str | None = None) -> None:
    """For services: refuse (PermissionDenied with the reason) unless allowed."""
    if not allowed:
        raise PermissionDenied(message or _("您沒有權限執行此操作。"))


def has_claimable_role(user) -> bool:
    """Personal accounts may link a volunteer record; staff and organisation accounts may not."""
    return bool(user and user.is_authenticated and user.role in (Role.DONOR, Role.VOLUNTEER))
