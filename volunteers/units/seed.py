"""Demo units and their service plans (run by volunteers/seed.py): the demo unit, and generated
units across Taipei's districts and bureaus, a few of whose current plans wait for review."""

import datetime

from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.seed import DEMO_UNIT, SOCIAL_WELFARE
from core.seeding import DEMO_EMAIL_DOMAIN

from ..hours.seed import ACTIVITIES
from ..models import PlanStatus, ServiceDomain, ServicePlan, VolunteerUnit
from ..registry.seed import person_name
from ..seedkit import bulk

BASE_UNITS = 20
UNITS_PER_SCALE = 11  # Taipei had 1,099 teams: --scale 100 gives 1,100 units

DISTRICTS = ["中正", "大同", "中山", "松山", "大安", "萬華", "信義", "士林", "北投", "內湖", "南港", "文山"]
# (kind of team, domain, competent bureau name)
KINDS = [
    ("社區關懷", ServiceDomain.SOCIAL_WELFARE, SOCIAL_WELFARE),
    ("長青服務", ServiceDomain.SOCIAL_WELFARE, SOCIAL_WELFARE),
    ("醫院", ServiceDomain.HEALTH, "臺北市政府衛生局"),
    ("圖書館", ServiceDomain.EDUCATION, "臺北市政府教育局"),
    ("國小導護", ServiceDomain.EDUCATION, "臺北市政府教育局"),
    ("文化導覽", ServiceDomain.CULTURE, "臺北市政府文化局"),
    ("區公所", ServiceDomain.CIVIL_SERVICE, "臺北市政府民政局"),
    ("就業服務", ServiceDomain.LABOUR, "臺北市政府勞動局"),
    ("守望相助", ServiceDomain.POLICE, "臺北市政府警察局"),
]


def plans(unit, years, officer, centre_user, bureau_user, today, *, current_status=PlanStatus.APPROVED):
    existing = set(unit.plans.values_list("year", flat=True))
    plans = []
    for year in years:
        if year in existing:
            continue
        status = current_status if year == today.year else PlanStatus.APPROVED
        submitted = timezone.make_aware(datetime.datetime(year - 1, 11, 20, 10))
        plan = ServicePlan(
            unit=unit,
            year=year,
            status=status,
            title=f"{year - 1911}年度志願服務計畫",
            service_items=f"{unit.organisation.name}："
            + "、".join(ACTIVITIES.get(unit.main_domain, ["志願服務"])),
            domain=unit.main_domain,
            expected_volunteers=40,
            recruitment="網路招募、社區公告與志工推薦。",
            training_plan="新進志工完成基礎訓練與特殊訓練；每年辦理成長訓練兩場。",
            insurance_plan="全體志工投保意外事故保險。",
            budget=60000,
            created_by=officer,
            submitted_at=submitted if status != PlanStatus.DRAFT else None,
        )
        if status in (PlanStatus.CENTRE_APPROVED, PlanStatus.APPROVED):
            plan.centre_reviewed_at, plan.centre_reviewed_by = (
                submitted + datetime.timedelta(days=3),
                centre_user,
            )
        if status == PlanStatus.APPROVED:
            plan.bureau_reviewed_at, plan.bureau_reviewed_by = (
                submitted + datetime.timedelta(days=9),
                bureau_user,
            )
        plans.append(plan)
    bulk(ServicePlan, plans)


def unit_names(count, taken):
    out = []
    k = 0
    while len(out) < count:
        for district in DISTRICTS:
            for kind, domain, bureau in KINDS:
                name = f"臺北市{district}{kind}志工隊" + (f"第{k + 1}分隊" if k else "")
                if name not in taken:
                    out.append((name, district, domain, bureau))
                    if len(out) == count:
                        return out
        k += 1
    return out


def seed_demo_unit(start_year, years, demo_officer, centre_user, bureau_user, today):
    """The demo unit (李志豪's, unit@demo.goodday.tw) with a plan for each year."""
    demo_org = Organisation.objects.get(name=DEMO_UNIT)
    demo_org_changed = False
    if not demo_org.address:
        demo_org.address, demo_org.phone = "臺北市大同區鄭州路145號", "02-2555-3000"
        demo_org_changed = True
    if demo_org_changed:
        demo_org.save(update_fields=["address", "phone"])
    demo_unit, _ = VolunteerUnit.objects.get_or_create(
        organisation=demo_org,
        defaults={
            "main_domain": ServiceDomain.HEALTH,
            "contact_person": "李志豪",
            "description": "臺北市立聯合醫院各院區的門診引導、病房關懷與衛教志工。",
            "registration_number": f"北市志備字第{start_year - 1911:03d}000001號",
        },
    )
    plans(demo_unit, years, demo_officer, centre_user, bureau_user, today)

    return demo_unit


def seed_generated_units(rng, *, scale, years, today, social_welfare, bureaus, centre_user, bureau_user):
    """The generated units (the first ``wanted`` names of a fixed sequence; only the missing ones
    are added), each with an officer and its plans. Returns (new units, officer by organisation id,
    the fixed sequence's index by name)."""
    new_units, officer_of = [], {}
    # Generated units: the first ``wanted`` names of a fixed sequence; only the missing ones are added.
    wanted = BASE_UNITS + UNITS_PER_SCALE * (scale - 1)
    candidates = unit_names(wanted, set())
    index_of = {spec[0]: i for i, spec in enumerate(candidates)}
    present = set(Organisation.objects.filter(name__in=index_of).values_list("name", flat=True))
    specs = [spec for spec in candidates if spec[0] not in present]
    if specs:
        orgs = bulk(
            Organisation,
            [
                Organisation(
                    name=name,
                    kind=OrganisationKind.VOLUNTEER_UNIT,
                    competent_bureau=bureaus.get(bureau, social_welfare),
                    address=f"臺北市{district}區",
                    phone=f"02-{rng.randint(2000, 2999)}-{rng.randint(1000, 9999)}",
                )
                for name, district, _, bureau in specs
            ],
        )
        orgs = list(Organisation.objects.filter(name__in=[s[0] for s in specs]).order_by("pk"))
        by_name = {o.name: o for o in orgs}
        bulk(
            VolunteerUnit,
            [
                VolunteerUnit(
                    organisation=by_name[name],
                    main_domain=domain,
                    contact_person=person_name(rng),
                    description=f"{district}區的{dict(ServiceDomain.choices)[domain]}志工團隊。",
                )
                for name, district, domain, _ in specs
            ],
        )
        new_units = list(
            VolunteerUnit.objects.filter(organisation__in=orgs).select_related("organisation").order_by("pk")
        )
        officers = []
        for unit in new_units:
            user = User(
                email=f"officer{unit.organisation_id}@units.{DEMO_EMAIL_DOMAIN}",
                name=unit.contact_person,
                role=Role.UNIT_OFFICER,
                organisation=unit.organisation,
            )
            user.set_unusable_password()
            officers.append(user)
        bulk(User, [u for u in officers if not User.objects.filter(email=u.email).exists()])
        officer_of = {
            u.organisation_id: u
            for u in User.objects.filter(organisation__in=orgs, role=Role.UNIT_OFFICER).order_by("pk")
        }
        for unit in new_units:
            # Two plans wait for review (one at the centre, one at the bureau); one was returned.
            i = index_of[unit.organisation.name]
            status = {1: PlanStatus.SUBMITTED, 2: PlanStatus.CENTRE_APPROVED, 3: PlanStatus.RETURNED}.get(
                i, PlanStatus.APPROVED
            )
            plans(
                unit,
                years,
                officer_of[unit.organisation_id],
                centre_user,
                bureau_user,
                today,
                current_status=status,
            )
            if status == PlanStatus.RETURNED:
                ServicePlan.objects.filter(unit=unit, year=today.year).update(
                    return_reason="請補充特殊訓練的辦理方式與時數。"
                )

    return new_units, officer_of, index_of
