"""Helpers for corporate volunteering tests: an approved unit's event and shift, a company team
with its coordinator (a donor account of the company), roster members, matches."""

import datetime
import itertools
import secrets

from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import OrganisationKind, Role
from core.crypto import lookup_hash
from core.seeding import fake_national_id
from corporate.models import Availability, CorporateTeam, TeamMatch, TeamMember
from tests.accounts.factories import make_user
from volunteers.models import Event, ServiceDomain, Shift

# Checksum-valid 統一編號 (mod 5 rule): see tests/corporate/test_tax_id.py.
TAX_IDS = ["22099131", "04595257", "12345675", "10458575"]
_n = itertools.count(1)


def valid_tax_id(n: int) -> str:
    """The n-th eight-digit number that passes the check digit (for many teams in one test)."""
    from django.core.exceptions import ValidationError

    from core.validators import validate_company_tax_id

    found = 0
    for candidate in range(10_000_000, 99_999_999):
        try:
            validate_company_tax_id(str(candidate))
        except ValidationError:
            continue
        found += 1
        if found == n:
            return str(candidate)
    raise AssertionError


def event_of(unit, *, days_ahead=7, city=False, title="淨灘活動", creator=None):
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    return Event.objects.create(
        unit=unit,
        title=title,
        venue="臺北市信義區市府路 1 號",
        domain=ServiceDomain.ENVIRONMENT,
        starts_on=day,
        ends_on=day,
        is_city_event=city,
        qr_secret=secrets.token_hex(32),
        created_by=creator or make_user(Role.SITE_ADMIN),
    )


def shift_of(event, *, capacity=10, date=None):
    return Shift.objects.create(
        event=event,
        date=date or event.starts_on,
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(12, 0),
        capacity=capacity,
        task="撿拾垃圾",
    )


def company_team(*, coordinator=None, name=None, headcount=30, interests=None, tax_id=None):
    n = next(_n)
    organisation = Organisation.objects.create(
        name=name or f"測試企業{n}股份有限公司", kind=OrganisationKind.COMPANY
    )
    if coordinator is None:
        coordinator = make_user(Role.DONOR, organisation=organisation)
    else:
        coordinator.organisation = organisation
        coordinator.save(update_fields=["organisation"])
    return CorporateTeam.objects.create(
        organisation=organisation,
        tax_id=tax_id or valid_tax_id(n + 20),
        name=f"{organisation.name}志工隊",
        coordinator=coordinator,
        coordinator_phone="02-1234-5678",
        headcount=headcount,
        interests=interests or [ServiceDomain.ENVIRONMENT, ServiceDomain.SOCIAL_WELFARE],
        availability=[Availability.WEEKEND],
    )


def member_of_team(team, *, name=None, number=None, birth_date=datetime.date(1990, 3, 4)):
    n = next(_n)
    number = number or fake_national_id(8_000_000 + n)
    return TeamMember.objects.create(
        team=team,
        name=name or f"員工{n}",
        identity_kind="national_id",
        identity_number=number,
        identity_hash=lookup_hash(number),
        birth_date=birth_date,
        sex="F",
        added_by=team.coordinator,
    )


def match_of(team, shift, *, people=3, status="proposed", by=None):
    return TeamMatch.objects.create(
        team=team, shift=shift, people=people, status=status, proposed_by=by or make_user(Role.CENTRE_STAFF)
    )


def add_coordinator(team, email, *, actor=None):
    """``email``'s account invited by ``actor`` (the main contact) and accepting: a coordinator."""
    from accounts.models import User
    from corporate import coordinators

    actor = actor or team.coordinator
    user = User.objects.get(email__iexact=email)
    coordinators.invite_coordinator(team=team, actor=actor, email=email)
    coordinators.accept_invitation(token=coordinators.invitation_token(team, user, actor), user=user)
    user.refresh_from_db()
    return user
