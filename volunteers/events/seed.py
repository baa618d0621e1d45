"""Demo events (run by volunteers/seed.py after the units and volunteers exist).

臺北市立聯合醫院志工隊 runs a week of hospital guidance shifts starting today, with sign-ups (蔡美玲,
volunteer@demo.goodday.tw, is on today's morning shift, so her phone can sign in with today's QR
code), and the city's marathon medical stations as a city event (open to every volunteer).
Idempotent: an event already there (by unit and title) is left alone.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from accounts.seed import DEMO_UNIT
from core.seeding import DEMO_EMAIL_DOMAIN

from ..models import Event, Membership, ServiceDomain, Shift, VolunteerUnit
from . import services as events

HOSPITAL_EVENT = "院內導引服務週"
CITY_EVENT = "臺北馬拉松醫護站志工服務"


def seed(ctx):
    unit = VolunteerUnit.objects.filter(organisation__name=DEMO_UNIT).first()
    officer = User.objects.filter(email=f"unit@{DEMO_EMAIL_DOMAIN}").first()
    if unit is None or officer is None:
        ctx.log("    demo events skipped (no demo unit or officer)")
        return
    today = timezone.localdate()
    volunteer_user = User.objects.filter(email=f"volunteer@{DEMO_EMAIL_DOMAIN}").first()
    demo_volunteer = getattr(volunteer_user, "volunteer_profile", None) if volunteer_user else None
    members = list(
        Membership.objects.filter(unit=unit, left_on__isnull=True)
        .select_related("volunteer")
        .order_by("volunteer__name", "volunteer__pk")[:12]
    )

    hospital = Event.objects.filter(unit=unit, title=HOSPITAL_EVENT).first()
    if hospital is None:
        hospital = events.create_event(
            unit=unit,
            actor=officer,
            title=HOSPITAL_EVENT,
            venue="臺北市立聯合醫院仁愛院區 一樓大廳",
            domain=ServiceDomain.HEALTH,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=6),
            description="門診掛號、批價與檢查動線導引；請提早 10 分鐘到場，於服務台掃描當日 QR Code 簽到。",
        )
        for offset in range(7):
            day = today + datetime.timedelta(days=offset)
            for start, end, task in ((8, 12, "門診導引（上午）"), (13, 17, "門診導引（下午）")):
                events.add_shift(
                    event=hospital,
                    actor=officer,
                    date=day,
                    starts_at=datetime.time(start),
                    ends_at=datetime.time(end),
                    capacity=6,
                    task=task,
                )
        morning = Shift.objects.filter(event=hospital, date=today).order_by("starts_at").first()
        afternoon = Shift.objects.filter(event=hospital, date=today).order_by("-starts_at").first()
        people = [m.volunteer for m in members if m.volunteer_id != getattr(demo_volunteer, "pk", None)]
        if (
            demo_volunteer is not None
            and Membership.objects.filter(unit=unit, volunteer=demo_volunteer).exists()
        ):
            events.sign_up(shift=morning, volunteer=demo_volunteer, actor=officer)
        for person in people[:4]:
            events.sign_up(shift=morning, volunteer=person, actor=officer)
        for person in people[4:8]:
            events.sign_up(shift=afternoon, volunteer=person, actor=officer)

    city = Event.objects.filter(unit=unit, title=CITY_EVENT).first()
    if city is None:
        race_day = today + datetime.timedelta(days=(6 - today.weekday()) % 7 or 7)  # the coming Sunday
        city = events.create_event(
            unit=unit,
            actor=officer,
            title=CITY_EVENT,
            venue="臺北市政府市民廣場（起終點）及沿線醫護站",
            domain=ServiceDomain.HEALTH,
            starts_on=race_day,
            ends_on=race_day,
            is_city_event=True,
            description="市府大型活動：開放所有已登錄的志工報名，報名者登錄為本隊的活動志工。",
        )
        for start, end, task, capacity in (
            (5, 9, "起點醫護站", 40),
            (8, 13, "沿線醫護站", 120),
            (11, 15, "終點醫護站", 60),
        ):
            events.add_shift(
                event=city,
                actor=officer,
                date=race_day,
                starts_at=datetime.time(start),
                ends_at=datetime.time(end),
                capacity=capacity,
                task=task,
            )
    ctx.samples["volunteer_event"] = hospital.pk
    ctx.samples["volunteer_city_event"] = city.pk
    ctx.samples["volunteer_check_in_url"] = (
        events.check_in_url(hospital) if hospital.starts_on <= today <= hospital.ends_on else ""
    )
    ctx.log(f"    demo events: {hospital.title}, {city.title}")
