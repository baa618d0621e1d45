"""Request-level gates the volunteer pages share: who gets past the door, and which unit a
request is about. The rules themselves are in permissions.py; these turn them into 403/404."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from accounts.permissions import has_role, require
from accounts.roles import Role

from . import permissions
from .models import VolunteerUnit

PAGE_SIZE = 50


def optional_url(name, *args, **kwargs):
    try:
        return reverse(name, args=args, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def staff_gate(request):
    """Anonymous → login; roles that never see unit records → 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(permissions.is_unit_staff(request.user))
    return None


def viewable_unit(request, pk) -> VolunteerUnit:
    unit = get_object_or_404(VolunteerUnit.objects.select_related("organisation__competent_bureau"), pk=pk)
    require(permissions.can_view_unit(request.user, unit), hide=True)
    return unit


def managed_unit(request, pk) -> VolunteerUnit:
    require(has_role(request.user, Role.UNIT_OFFICER))
    unit = get_object_or_404(VolunteerUnit.objects.select_related("organisation__competent_bureau"), pk=pk)
    require(permissions.can_manage_unit(request.user, unit), hide=True)
    return unit


def staff_view(view):
    """Decorator: the staff gate before the view runs."""

    def wrapped(request, *args, **kwargs):
        gate = staff_gate(request)
        return gate or view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def officer_unit(request):
    """The signed-in officer's unit (403 when the officer has none)."""
    unit = permissions.unit_of(request.user)
    if unit is None:
        raise PermissionDenied
    return unit
