"""Demo corporate volunteering: 好日子科技股份有限公司's team (coordinator company@demo.goodday.tw,
a donor account of the company), its roster, a river clean-up it served last month (confirmed
hours, so its CSR report has figures) and a hospital shift the volunteer centre has proposed to it
(waiting for the company's answer). Idempotent: the team is found by its tax ID."""

import datetime
import secrets
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.seed import DEMO_UNIT, VOLUNTEER_CENTRE, ensure_user
from core.crypto import lookup_hash
from core.seeding import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, fake_national_id
from volunteers.hours import services as hours_services
from volunteers.models import Event, ServiceDomain, ServiceRecordSource, Shift, ShiftSignup, VolunteerUnit
from volunteers.registry import services as registry

from .models import Availability, CorporateTeam, MatchStatus, TeamEnrolment, TeamMatch, TeamMember

COMPANY = "好日子科技股份有限公司"
TAX_ID = "22099131"
MEMBERS = [
    ("周佳穎", "F", 1988),
    ("郭俊傑", "M", 1991),
    ("許雅雯", "F", 1985),
    ("鄭宇翔", "M", 1994),
    ("謝宛蓉", "F", 1979),
]
PAST_EVENT = "大佳河濱公園淨灘（企業志工日）"
NEXT_EVENT = "長者陪伴：健康講座協助"


def seed(ctx):
    unit = VolunteerUnit.objects.filter(organisation__name=DEMO_UNIT).first()
    officer = User.objects.filter(email=f"unit@{DEMO_EMAIL_DOMAIN}").first()
    centre = User.objects.filter(role=Role.CENTRE_STAFF, organisation__name=VOLUNTEER_CENTRE).first()
    if unit is None or officer is None or centre is None:
        ctx.log("    corporate demo skipped (no demo unit, officer or centre staff)")
        return
    company, _ = Organisation.objects.get_or_create(name=COMPANY, defaults={"kind": OrganisationKind.COMPANY})
    coordinator = ensure_user(f"company@{DEMO_EMAIL_DOMAIN}", "林品妤", Role.DONOR, company)
    # Not in ctx.accounts (one account per role there): the coordinator is a donor of the company.
    ctx.samples["corporate_coordinator"] = {"email": coordinator.email, "password": DEMO_PASSWORD}
    team = CorporateTeam.objects.filter(tax_id=TAX_ID).first()
    if team is None:
        team = CorporateTeam.objects.create(
            organisation=company,
            tax_id=TAX_ID,
            name="好日子科技企業志工隊",
            coordinator=coordinator,
            coordinator_phone="02-2720-8889",
            headcount=40,
            interests=[ServiceDomain.ENVIRONMENT, ServiceDomain.SOCIAL_WELFARE, ServiceDomain.HEALTH],
            availability=[Availability.WEEKEND, Availability.WEEKDAY_DAYTIME],
            availability_note="每月一次週六上午；每季一次給薪志工假",
            description="員工自發組成，每年提供每位員工兩天給薪志工假。",
        )
        members = []
        for n, (name, sex, year) in enumerate(MEMBERS):
            number = fake_national_id(7_700_000 + n, sex=sex)
            members.append(
                TeamMember.objects.create(
                    team=team,
                    name=name,
                    identity_kind="national_id",
                    identity_number=number,
                    identity_hash=lookup_hash(number),
                    birth_date=datetime.date(year, 3, 15),
                    sex=sex,
                    added_by=coordinator,
                )
            )
        _past_service(team, members, unit, officer, centre)
        _proposal(team, unit, officer, centre)
    ctx.samples["corporate_team"] = team.pk
    ctx.log(f"    corporate demo: {team.name}")


def _past_service(team, members, unit, officer, centre):
    """Last month's clean-up, served and confirmed (history: created directly, as the services
    refuse shifts in the past)."""
    day = timezone.localdate().replace(day=1) - datetime.timedelta(days=20)
    event = Event.objects.create(
        unit=unit,
        title=PAST_EVENT,
        venue="臺北市中山區大佳河濱公園",
        domain=ServiceDomain.ENVIRONMENT,
        starts_on=day,
        ends_on=day,
        qr_secret=secrets.token_hex(32),
        created_by=officer,
    )
    shift = Shift.objects.create(
        event=event,
        date=day,
        starts_at=datetime.time(8),
        ends_at=datetime.time(11),
        capacity=10,
        task="撿拾垃圾",
    )
    match = TeamMatch.objects.create(
        team=team,
        shift=shift,
        people=4,
        status=MatchStatus.ENROLLED,
        proposed_by=centre,
        decided_by=team.coordinator,
    )
    for member in members[:4]:
        volunteer = registry.register_volunteer(
            unit=unit,
            actor=officer,
            name=member.name,
            identity_kind=member.identity_kind,
            identity_number=member.identity_number,
            birth_date=member.birth_date,
            sex=member.sex,
            main_domain=ServiceDomain.ENVIRONMENT,
            joined_on=day,
        )
        record = hours_services.record_service(
            unit=unit,
            actor=officer,
            volunteer=volunteer,
            served_on=day,
            hours=Decimal("3"),
            domain=ServiceDomain.ENVIRONMENT,
            activity=f"{PAST_EVENT} 撿拾垃圾",
            source=ServiceRecordSource.EVENT,
        )
        signup = ShiftSignup.objects.create(shift=shift, volunteer=volunteer, service_record=record)
        TeamEnrolment.objects.create(match=match, member=member, signup=signup, enrolled_by=officer)
        member.volunteer = volunteer
        member.save(update_fields=["volunteer"])


def _proposal(team, unit, officer, centre):
    from volunteers.events import services as events

    from . import services

    day = timezone.localdate() + datetime.timedelta(days=(5 - timezone.localdate().weekday()) % 7 or 7)
    event = events.create_event(
        unit=unit,
        actor=officer,
        title=NEXT_EVENT,
        venue="臺北市立聯合醫院仁愛院區 B1 會議室",
        domain=ServiceDomain.HEALTH,
        starts_on=day,
        ends_on=day,
    )
    shift = events.add_shift(
        event=event,
        actor=officer,
        date=day,
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        capacity=8,
    )
    services.propose_match(actor=centre, team=team, shift=shift, people=4, note="協助長者報到、量血壓引導")
