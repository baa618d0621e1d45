"""Demo opportunities (after the volunteer units exist): 臺北市立聯合醫院志工隊 recruits in several
districts, one-off and regular, for families, youth, seniors and company groups, so `make run`
shows the board and the welfare map; the demo citizen (donor@demo.goodday.tw) has applied to one.
Idempotent: an opportunity already there (by unit and title) is left alone."""

import datetime

from django.utils import timezone

from accounts.models import User
from accounts.seed import DEMO_UNIT
from core.seeding import DEMO_EMAIL_DOMAIN, fake_national_id
from volunteers.models import ServiceDomain, VolunteerUnit

from . import applications, services
from .models import Opportunity, OpportunityKind

# title, domain, kind, start offset, days, venue, capacity, suits, training (basic, special)
DEMO = [
    (
        "仁愛院區門診導引志工",
        ServiceDomain.HEALTH,
        "regular",
        3,
        90,
        "臺北市大安區仁愛路四段10號",
        12,
        ("senior", "youth"),
        (True, False),
    ),
    (
        "社區長者共餐陪伴",
        ServiceDomain.SOCIAL_WELFARE,
        "regular",
        5,
        120,
        "臺北市萬華區西園路二段261巷12弄",
        8,
        ("family", "senior"),
        (True, False),
    ),
    (
        "親子淨灘日",
        ServiceDomain.ENVIRONMENT,
        "one_off",
        10,
        0,
        "臺北市北投區關渡自然公園",
        40,
        ("family", "company"),
        (False, False),
    ),
    (
        "青年課輔小老師",
        ServiceDomain.EDUCATION,
        "regular",
        7,
        150,
        "臺北市中正區南昌路一段",
        10,
        ("youth",),
        (True, True),
    ),
    (
        "企業志工日：物資整理包裝",
        ServiceDomain.SOCIAL_WELFARE,
        "one_off",
        14,
        0,
        "臺北市內湖區民權東路六段",
        30,
        ("company",),
        (False, False),
    ),
    (
        "圖書館說故事志工",
        ServiceDomain.CULTURE,
        "regular",
        4,
        180,
        "臺北市信義區松仁路",
        6,
        ("senior", "family"),
        (True, False),
    ),
]


def seed(ctx):
    unit = VolunteerUnit.objects.filter(organisation__name=DEMO_UNIT).first()
    officer = User.objects.filter(email=f"unit@{DEMO_EMAIL_DOMAIN}").first()
    if unit is None or officer is None:
        ctx.log("    demo opportunities skipped (no demo unit or officer)")
        return
    today = timezone.localdate()
    made = []
    for title, domain, kind, offset, days, venue, capacity, suits, training in DEMO:
        if Opportunity.objects.filter(unit=unit, title=title).exists():
            continue
        starts = today + datetime.timedelta(days=offset)
        opportunity = services.create_opportunity(
            unit=unit,
            actor=officer,
            title=title,
            description=f"{title}：協助現場服務與引導，並由資深志工帶領；首次參加者提供行前說明。",
            domain=domain,
            kind=kind,
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=days),
            schedule="每週二、四 09:00–12:00" if kind == OpportunityKind.REGULAR else "09:00–12:00",
            capacity=capacity,
            venue=venue,
            district="",
            latitude=None,
            longitude=None,
            requires_basic_training=training[0],
            requires_special_training=training[1],
            min_age=16 if "youth" in suits else None,
            max_age=None,
            conditions="",
            suits_family="family" in suits,
            suits_youth="youth" in suits,
            suits_senior="senior" in suits,
            suits_company="company" in suits,
            question="請簡述您的志工經驗，或想參加的原因。",
            contact_name="李志豪",
            contact_phone="02-2555-3000",
            contact_email=f"unit@{DEMO_EMAIL_DOMAIN}",
        )
        for week in range(2 if kind == OpportunityKind.REGULAR else 1):
            services.add_shift(
                opportunity=opportunity,
                actor=officer,
                date=starts + datetime.timedelta(days=7 * week),
                starts_at=datetime.time(9),
                ends_at=datetime.time(12),
                capacity=min(capacity, 20),
                task="現場服務",
            )
        services.publish_opportunity(opportunity=opportunity, actor=officer)
        made.append(opportunity)
    citizen = User.objects.filter(email=f"donor@{DEMO_EMAIL_DOMAIN}").first()
    if made and citizen is not None:
        first = made[2] if len(made) > 2 else made[0]
        applications.apply(
            opportunity=first,
            user=citizen,
            phone="0912-345-678",
            answer="想帶孩子一起參加。",
            shifts=list(first.event.shifts.all()),
            identity_kind="national_id",
            identity_number=fake_national_id(9_000_001, sex="M"),
            birth_date=datetime.date(1985, 3, 2),
            sex="M",
        )
    board = Opportunity.objects.filter(unit=unit, status="published").first()
    if board is not None:
        ctx.samples["opportunity_id"] = board.pk
    ctx.log(f"    {len(made)} demo opportunities")
