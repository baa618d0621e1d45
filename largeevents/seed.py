"""Demo large events: the city marathon's medical stations (the demo unit's city event) with an
approved volunteer plan; last month's lantern festival guidance, approved and served (so the large
events' figures have hours); and a welfare fair's plan waiting for the social welfare bureau.
Idempotent: a plan already there for an event is left alone."""

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.seed import DEMO_UNIT, SOCIAL_WELFARE
from core.seeding import DEMO_EMAIL_DOMAIN
from volunteers.events.seed import CITY_EVENT
from volunteers.hours import services as hours_services
from volunteers.models import (
    Event,
    InsurancePolicy,
    Membership,
    ServiceDomain,
    ServiceRecordSource,
    Shift,
    ShiftSignup,
    VolunteerUnit,
)

from .models import LargeEventPlan, LargeEventPlanStatus

PAST_EVENT = "臺北燈節志工導覽服務"
FAIR_EVENT = "社會福利博覽會志工服務"


def _policy(unit, start, end):
    policy = InsurancePolicy.objects.filter(unit=unit, starts_on__lte=start, ends_on__gte=end).first()
    return policy or InsurancePolicy.objects.create(
        unit=unit,
        insurer="富邦產物保險",
        policy_number=f"LE-{start:%Y%m%d}",
        starts_on=start - datetime.timedelta(days=30),
        ends_on=end + datetime.timedelta(days=30),
        coverage="志工意外事故保險：身故 300 萬、醫療 3 萬",
    )


def _plan(event, *, bureau, officer, status, reviewer=None, headcount, duties):
    plan, _ = LargeEventPlan.objects.get_or_create(
        event=event,
        defaults={
            "competent_bureau": bureau,
            "expected_attendance": headcount * 200,
            "duties": duties,
            "headcount": headcount,
            "insurance_policy": _policy(event.unit, event.starts_on, event.ends_on),
            "training_plan": "活動前一週行前說明會：勤務分配、緊急應變與無障礙引導。",
            "training_hours": Decimal("2"),
            "status": status,
            "created_by": officer,
            "submitted_at": timezone.now() if status != LargeEventPlanStatus.DRAFT else None,
            "reviewed_by": reviewer if status == LargeEventPlanStatus.APPROVED else None,
            "reviewed_at": timezone.now() if status == LargeEventPlanStatus.APPROVED else None,
        },
    )
    return plan


def seed(ctx):
    unit = VolunteerUnit.objects.filter(organisation__name=DEMO_UNIT).first()
    officer = User.objects.filter(email=f"unit@{DEMO_EMAIL_DOMAIN}").first()
    bureau = Organisation.objects.filter(name=SOCIAL_WELFARE).first()
    reviewer = User.objects.filter(email=f"reviewer@{DEMO_EMAIL_DOMAIN}").first()
    if None in (unit, officer, bureau, reviewer):
        ctx.log("    large events demo skipped (no demo unit, officer or bureau)")
        return
    city = Event.objects.filter(unit=unit, title=CITY_EVENT).first()
    if city is not None:
        plan = _plan(
            city,
            bureau=bureau,
            officer=officer,
            status=LargeEventPlanStatus.APPROVED,
            reviewer=reviewer,
            headcount=220,
            duties="起點醫護站 40 人\n沿線醫護站 120 人\n終點醫護站 60 人",
        )
        ctx.samples["large_event_plan"] = plan.pk
    today = timezone.localdate()
    past = Event.objects.filter(unit=unit, title=PAST_EVENT).first()
    if past is None:
        day = today.replace(day=1) - datetime.timedelta(days=10)
        past = Event.objects.create(
            unit=unit,
            title=PAST_EVENT,
            venue="臺北市信義區市府轉運站周邊",
            domain=ServiceDomain.CULTURE,
            starts_on=day,
            ends_on=day,
            is_city_event=True,
            qr_secret=secrets.token_hex(32),
            created_by=officer,
        )
        shift = Shift.objects.create(
            event=past,
            date=day,
            starts_at=datetime.time(17),
            ends_at=datetime.time(21),
            capacity=30,
            task="人潮導引",
        )
        _plan(
            past,
            bureau=bureau,
            officer=officer,
            status=LargeEventPlanStatus.APPROVED,
            reviewer=reviewer,
            headcount=30,
            duties="人潮導引 20 人\n服務台 10 人",
        )
        members = (
            Membership.objects.filter(unit=unit, left_on__isnull=True, joined_on__lte=day)
            .select_related("volunteer")
            .order_by("-volunteer__pk")[:12]
        )
        for membership in members:
            try:
                record = hours_services.record_service(
                    unit=unit,
                    actor=officer,
                    volunteer=membership.volunteer,
                    served_on=day,
                    hours=Decimal("4"),
                    domain=ServiceDomain.CULTURE,
                    activity=f"{PAST_EVENT} 人潮導引",
                    source=ServiceRecordSource.EVENT,
                )
            except ValidationError:  # a demo person over the day's limit is left out
                continue
            ShiftSignup.objects.create(shift=shift, volunteer=membership.volunteer, service_record=record)
    fair = Event.objects.filter(unit=unit, title=FAIR_EVENT).first()
    if fair is None:
        from volunteers.events import services as events

        day = today + datetime.timedelta(days=21)
        fair = events.create_event(
            unit=unit,
            actor=officer,
            title=FAIR_EVENT,
            venue="臺北市政府市民廣場",
            domain=ServiceDomain.SOCIAL_WELFARE,
            starts_on=day,
            ends_on=day,
        )
        events.add_shift(
            event=fair,
            actor=officer,
            date=day,
            starts_at=datetime.time(9),
            ends_at=datetime.time(17),
            capacity=50,
        )
        _plan(
            fair,
            bureau=bureau,
            officer=officer,
            status=LargeEventPlanStatus.SUBMITTED,
            headcount=50,
            duties="攤位引導 30 人\n無障礙協助 20 人",
        )
    ctx.log("    large events demo: marathon (approved), lantern festival (served), welfare fair (in review)")
