"""Who may post, see and answer volunteer opportunities. Views, menus and services call these."""

from volunteers import permissions as volunteer_permissions

from .models import OpportunityStatus


def manages_opportunities(user) -> bool:
    """The officer's pages open at all (their list, posting, an opportunity's management): the views
    then find the officer's own unit and refuse one not on record (``can_post``, ``can_manage_…``)."""
    return volunteer_permissions.is_unit_officer(user)


def can_post(user, unit) -> bool:
    """The unit's own officer (the approved plan is checked by the service, with its reason)."""
    return volunteer_permissions.can_manage_unit(user, unit)


def can_manage_opportunity(user, opportunity) -> bool:
    return volunteer_permissions.can_manage_unit(user, opportunity.unit)


def can_view_opportunity(user, opportunity) -> bool:
    """Published or closed ones are public; a draft only for its unit's officer."""
    if opportunity.status != OpportunityStatus.DRAFT:
        return True
    return can_manage_opportunity(user, opportunity)


def can_apply(user) -> bool:
    """Personal accounts (a citizen, a volunteer); staff and organisation accounts cannot apply."""
    return volunteer_permissions.has_claimable_role(user)


def can_decide(user, application) -> bool:
    return can_manage_opportunity(user, application.opportunity)


def can_withdraw(user, application) -> bool:
    return bool(user and user.is_authenticated and application.applicant_id == user.pk)
