from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from core.language import current_language, supported_language
from core.notify import subject_line
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

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails (confirm the address, reset the password…) in the account's language
        when the address has an account, else in the page's (as core.notify does for the rest)."""
        from .models import User

        stored = User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
        with translation.override(supported_language(stored) if stored else current_language()):
            super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject):
        # The portal's name in the e-mail's language, as on every other e-mail (core.notify).
        return subject_line(subject)
