"""Demo organisations and one account per role."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from core.seeding import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET

from .models import Organisation, User
from .roles import STAFF_ROLES, OrganisationKind, Role

SOCIAL_WELFARE = "臺北市政府社會局"
BUREAUS = [
    "臺北市政府教育局",
    "臺北市政府衛生局",
    "臺北市政府勞動局",
    "臺北市政府民政局",
    "臺北市政府文化局",
    "臺北市政府警察局",
]
VOLUNTEER_CENTRE = "臺北市志願服務推廣中心"
COMMITTEE = "臺北市社會救濟會報"
DEMO_UNIT = "臺北市立聯合醫院志工隊"

# role → (e-mail local part, name, organisation name)
DEMO_USERS = {
    Role.DONOR: ("donor", "王小明", None),
    Role.CASEWORKER: ("caseworker", "林怡君", SOCIAL_WELFARE),
    Role.SW_REVIEWER: ("reviewer", "陳建宏", SOCIAL_WELFARE),
    Role.COMMITTEE: ("committee", "張淑芬", COMMITTEE),
    Role.UNIT_OFFICER: ("unit", "李志豪", DEMO_UNIT),
    Role.CENTRE_STAFF: ("centre", "黃雅婷", VOLUNTEER_CENTRE),
    Role.CARD_REVIEWER: ("cardreviewer", "吳宗翰", SOCIAL_WELFARE),
    Role.VOLUNTEER: ("volunteer", "蔡美玲", None),
    Role.SITE_ADMIN: ("admin", "系統管理員", None),
}


def _org(name, kind, **extra):
    org, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, **extra})
    return org


def ensure_user(email, name, role, organisation=None, *, totp=None) -> User:
    """Create (or leave as it is) a verified demo user; staff get the shared demo authenticator."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            name=name,
            role=role,
            organisation=organisation,
            is_staff=role == Role.SITE_ADMIN,
            is_superuser=role == Role.SITE_ADMIN,
        )
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    needs_totp = role in STAFF_ROLES if totp is None else totp
    if needs_totp and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def seed(ctx):
    social_welfare = _org(SOCIAL_WELFARE, OrganisationKind.SOCIAL_WELFARE_BUREAU, short_name="社會局")
    for name in BUREAUS:
        _org(name, OrganisationKind.BUREAU, short_name=name.removeprefix("臺北市政府"))
    _org(VOLUNTEER_CENTRE, OrganisationKind.VOLUNTEER_CENTRE, short_name="志推中心")
    _org(COMMITTEE, OrganisationKind.COMMITTEE, short_name="救濟會報")
    _org(DEMO_UNIT, OrganisationKind.VOLUNTEER_UNIT, competent_bureau=social_welfare)

    for role, (local, name, org_name) in DEMO_USERS.items():
        org = Organisation.objects.get(name=org_name) if org_name else None
        user = ensure_user(f"{local}@{DEMO_EMAIL_DOMAIN}", name, role, org)
        ctx.add_account(role.value, user, totp=role in STAFF_ROLES)
