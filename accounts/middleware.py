"""The second factor, enforced on the session rather than at any one door.

Whatever signed a staff member in (allauth's login, the admin's login that now goes through it, a
password reset, a future single sign-on), the session only counts as a staff session once this
session has completed the second factor: allauth records each step of a sign-in in the session
("password", then "mfa"), and this middleware looks for the "mfa" step. A staff member with an
authenticator whose session lacks it is signed out and sent to sign in again; one without any
authenticator may only reach the pages that set one up.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from .roles import STAFF_ROLES

# Paths a staff member without 2FA may still reach: signing in and setting up 2FA, static files.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/language/", "/media/")
SECOND_FACTOR = "mfa"


def needs_second_factor(user) -> bool:
    """Roles that act for the city, and anyone Django's admin would let in."""
    return user.role in STAFF_ROLES or user.is_staff or user.is_superuser


def passed_second_factor(request, user) -> bool:
    return any(record.get("method") == SECOND_FACTOR for record in get_authentication_records(request, user))


def record_second_factor(request, user, **extra) -> None:
    """Mark this session as having passed the second factor (allauth does it on its MFA stage)."""
    record_authentication(request, user, SECOND_FACTOR, **extra)


class RequireStaffTwoFactorMiddleware:
    """A staff session is one that passed the second factor in this session; nothing else is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or not needs_second_factor(user)
            or passed_second_factor(request, user)
        ):
            return self.get_response(request)
        if _has_totp(request, user):
            # Signed in by some door that skipped the authenticator: this is not a staff session.
            path = request.get_full_path()
            logout(request)
            return redirect_to_login(path if not path.startswith("/accounts/") else "/")
        if not request.path.startswith(_ALLOWED_PREFIXES):
            return redirect(reverse("mfa_activate_totp"))
        response = self.get_response(request)
        if request.path == reverse("mfa_activate_totp") and _totp_exists(user):
            # Setting up the authenticator means entering a code from it: the second factor, passed.
            record_second_factor(request, user, type="totp")
        return response


def _has_totp(request, user) -> bool:
    # Cached on the request: the middleware runs once per request, the check may be asked again.
    if not hasattr(request, "_goodday_has_totp"):
        request._goodday_has_totp = _totp_exists(user)
    return request._goodday_has_totp


def _totp_exists(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
