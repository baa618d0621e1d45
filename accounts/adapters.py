from allauth.account.adapter import DefaultAccountAdapter

from core.language import current_language
from core.ratelimit import client_ip

from .roles import Role


class AccountAdapter(DefaultAccountAdapter):
    """People who sign up themselves are donors; staff accounts are created by an admin."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.role = Role.DONOR
        user.language = current_language()  # the page they signed up on: their e-mails speak it
        if commit:
            user.save()
        return user

    def get_client_ip(self, request):
        # One answer to "who is the client" for every rate limit (TRUSTED_PROXY_COUNT).
        return client_ip(request) or super().get_client_ip(request)
