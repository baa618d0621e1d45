from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

from .roles import STAFF_ROLES

# Paths a staff member without 2FA may still reach: signing in and setting up 2FA, static files.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/language/", "/media/")


class RequireStaffTwoFactorMiddleware:
    """Every staff role must have an authenticator app set up before doing anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.role in STAFF_ROLES
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not _has_totp(request, user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _has_totp(request, user) -> bool:
    # Cached on the request: the middleware runs once per request, the check may be asked again.
    if not hasattr(request, "_goodday_has_totp"):
        request._goodday_has_totp = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
    return request._goodday_has_totp
