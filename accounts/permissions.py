"""Who may see or change what: the role-level rules every app builds on.

Each app keeps its object-level rules (may this caseworker edit *this* program?) in its own
``permissions.py`` as plain functions built from these predicates, so the answer to
"who may do X" is always one function with tests role by role.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .roles import STAFF_ROLES, OrganisationKind, Role


def has_role(user, *roles) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def is_staff_member(user) -> bool:
    return bool(user and user.is_authenticated and user.role in STAFF_ROLES)


def is_site_admin(user) -> bool:
    return has_role(user, Role.SITE_ADMIN)


def can_open_admin(user) -> bool:
    """Django's admin: a site admin whose account is also marked staff (the admin checks ``is_staff``)."""
    return is_site_admin(user) and user.is_staff


def belongs_to(user, organisation) -> bool:
    """True when the user is a member of that organisation (by object or id)."""
    if not (user and user.is_authenticated) or organisation is None or user.organisation_id is None:
        return False
    org_id = getattr(organisation, "pk", organisation)
    return user.organisation_id == org_id


def is_social_welfare_staff(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.organisation_id
        and user.organisation.kind == OrganisationKind.SOCIAL_WELFARE_BUREAU
    )


def can_view_audit_trail(user) -> bool:
    return has_role(user, Role.SITE_ADMIN, Role.COMMITTEE)


def can_read_all_money_records(user) -> bool:
    """The committee and the social welfare bureau oversee every gift (read-only for the committee)."""
    return has_role(user, Role.COMMITTEE, Role.SW_REVIEWER, Role.SITE_ADMIN)


def allowed_by(predicate):
    """View decorator: anonymous users go to the login page, users ``predicate(user)`` refuses get 403.
    The app's menu asks the same predicate, so a menu never offers a page its view refuses."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def require(allowed: bool, *, hide: bool = False):
    """Raise 403 (or 404 when the object's very existence must not leak) unless allowed."""
    if not allowed:
        raise Http404 if hide else PermissionDenied
