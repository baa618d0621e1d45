import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import Organisation, User
from accounts.roles import ROLE_ORGANISATION_KINDS, STAFF_ROLES, OrganisationKind, Role

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"臺北市政府測試局{n}")
    kind = OrganisationKind.BUREAU


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.tw")
    name = factory.Sequence(lambda n: f"測試者{n}")
    role = Role.DONOR
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def organisation_for(role, **kwargs) -> Organisation | None:
    kinds = ROLE_ORGANISATION_KINDS.get(role)
    if not kinds:
        return None
    # A caseworker may sit in any bureau: give them an ordinary one ("bureau" sorts first).
    return OrganisationFactory(kind=sorted(kinds)[0], **kwargs)


def add_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def make_user(role=Role.DONOR, organisation=None, *, totp=None, **kwargs) -> User:
    if organisation is None:
        organisation = organisation_for(role)
    user = UserFactory(role=role, organisation=organisation, **kwargs)
    if (role in STAFF_ROLES if totp is None else totp) and not Authenticator.objects.filter(
        user=user
    ).exists():
        user.totp_secret = add_totp(user)
    return user


def mark_second_factor_passed(session, user) -> None:
    """What allauth writes into a session whose sign-in completed the second factor: tests that open
    a session directly (force_login, a browser cookie) record it, as a real sign-in would."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
