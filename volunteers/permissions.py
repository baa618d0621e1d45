"""Who may see or change volunteer records.

A unit's officers manage their own unit only; the volunteer centre and the social welfare bureau
oversee every unit; a competent bureau's caseworkers oversee the units it supervises; a volunteer
sees their own record. Views call these functions; tests check them role by role.
"""

from accounts.permissions import has_role, is_social_welfare_staff
from accounts.roles import OrganisationKind, Role

from .models import PlanStatus, VolunteerUnit

OVERSIGHT_ROLES = (Role.CENTRE_STAFF, Role.SW_REVIEWER, Role.CARD_REVIEWER, Role.SITE_ADMIN)


def unit_of(user) -> VolunteerUnit | None:
    """The volunteer unit a unit officer works for (None for everybody else)."""
    if not has_role(user, Role.UNIT_OFFICER) or user.organisation_id is None:
        return None
    if user.organisation.kind != OrganisationKind.VOLUNTEER_UNIT:
        return None
    return VolunteerUnit.objects.filter(organisation_id=user.organisation_id).first()


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
