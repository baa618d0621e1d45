from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """People who sign up themselves are donors; staff accounts are created by an admin."""

    def save_user(self, request, user, form, commit=True):
        from .roles import Role

        user = super().save_user(request, user, form, commit=False)
        user.role = Role.DONOR
        if commit:
            user.save()
        return user

    def get_client_ip(self, request):
        # One answer to "who is the client" for every rate limit (TRUSTED_PROXY_COUNT).
        from core.ratelimit import client_ip

        return client_ip(request) or super().get_client_ip(request)
