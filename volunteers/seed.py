"""Demo volunteer records: the volunteer centre, about 20 units (×11 per extra ``--scale``), about 800
volunteers per scale step with training, insurance and four years of service records; the demo
volunteer (volunteer@demo.goodday.tw) with a long history; a few plans waiting for review.

Idempotent: the demo people are found by their ID hash, generated units by name (a unit that exists
already keeps what it has), so a second run adds nothing and a larger ``--scale`` only adds more.
Everything is written with ``bulk_create``; no audit events (seeding is not somebody's act).
"""

import datetime
import functools
import importlib
import random
from decimal import Decimal
from importlib.util import find_spec

from django.db import connection
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.seed import BUREAUS, DEMO_UNIT, SOCIAL_WELFARE, VOLUNTEER_CENTRE
from core.crypto import lookup_hash
from core.seeding import DEMO_EMAIL_DOMAIN, fake_national_id
from core.validators import IdentityKind

from .models import (
    Award,
    InsurancePolicy,
    Membership,
    PlanStatus,
    ServiceDomain,
    ServicePlan,
    ServiceRecord,
    ServiceRecordSource,
    ServiceRecordStatus,
    Training,
    TrainingKind,
    Volunteer,
    VolunteerUnit,
)

BASE_UNITS = 20
UNITS_PER_SCALE = 11  # Taipei had 1,099 teams: --scale 100 gives 1,100 units
VOLUNTEERS_PER_SCALE = 800  # and 80,000 volunteers
YEARS = 4
BATCH = 5000

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
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏"
GIVEN = "美玲淑芬雅婷怡君志明建宏俊傑家豪宗翰冠宇佳穎欣怡秀英麗華明德文雄國華素珍玉蘭金鳳春嬌阿滿"
ACTIVITIES = {
    ServiceDomain.SOCIAL_WELFARE: ["關懷訪視", "送餐服務", "據點共餐協助", "電話問安"],
    ServiceDomain.HEALTH: ["門診引導", "病房關懷", "掛號協助", "衛教推廣"],
    ServiceDomain.EDUCATION: ["借還書服務", "說故事", "上下學導護", "課後陪讀"],
    ServiceDomain.CULTURE: ["古蹟導覽", "展覽解說", "藝文活動協助"],
    ServiceDomain.CIVIL_SERVICE: ["服務台引導", "戶政諮詢協助", "里民活動協助"],
    ServiceDomain.LABOUR: ["求職登記協助", "就業博覽會引導"],
    ServiceDomain.POLICE: ["社區巡守", "交通疏導"],
}
SPECIAL_TITLES = {
    ServiceDomain.SOCIAL_WELFARE: "社會福利類特殊訓練",
    ServiceDomain.HEALTH: "衛生保健類特殊訓練",
    ServiceDomain.EDUCATION: "教育類特殊訓練",
    ServiceDomain.CULTURE: "文化類特殊訓練",
    ServiceDomain.CIVIL_SERVICE: "為民服務類特殊訓練",
    ServiceDomain.LABOUR: "勞動類特殊訓練",
    ServiceDomain.POLICE: "警政治安類特殊訓練",
}
INSURERS = ["富邦產物保險", "國泰世紀產物保險", "新光產物保險", "明台產物保險"]
CENTRE = "臺北市志願服務推廣中心"

DEMO_VOLUNTEER_ID = fake_national_id(900_001)
VETERANS = [  # (n, name, hours target): on the award-threshold list
    (900_011, "周秀英", 3200),
    (900_012, "潘明德", 5400),
    (900_013, "簡玉蘭", 8100),
]


def _bulk(model, objs):
    return model.objects.bulk_create(objs, batch_size=BATCH)


HOURS = [Decimal(h) for h in ("2", "2.5", "3", "3", "3.5", "4", "4", "6")]
RECORD_COLUMNS = (
    "volunteer_id",
    "unit_id",
    "served_on",
    "hours",
    "domain",
    "activity",
    "source",
    "status",
    "certified_at",
    "certified_by_id",
    "created_by_id",
)


@functools.cache
def _year_end(year):
    return timezone.make_aware(datetime.datetime(year, 12, 31, 12))


def _copy_rows(model, columns, rows):
    """Plain tuples into ``model``'s table: PostgreSQL's COPY (millions of rows at ``--scale 100``),
    ``bulk_create`` elsewhere. Returns how many rows were written."""
    count = 0
    if connection.vendor == "postgresql":
        sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    _bulk(model, objs)
    return len(objs)


def _insert_records(rows) -> int:
    now = timezone.now()
    return _copy_rows(
        ServiceRecord, (*RECORD_COLUMNS, "created_at", "updated_at"), ((*row, now, now) for row in rows)
    )


def _name(rng) -> str:
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.03:  # a few names of other lengths: one character, or a transliterated one
        return rng.choice(
            [surname + "丹", "歐陽" + GIVEN[rng.randrange(0, len(GIVEN) - 1, 2)], "瑪麗亞．桑托斯"]
        )
    i = rng.randrange(0, len(GIVEN) - 1, 2)
    return surname + GIVEN[i : i + 2]


def _birth_date(rng, today) -> datetime.date:
    # About a quarter 65 or older (the plan's target is 21%).
    age = rng.randint(65, 85) if rng.random() < 0.24 else rng.randint(18, 64)
    return datetime.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))


def _service_days(rng, year, today, count):
    last = today if year == today.year else datetime.date(year, 12, 31)
    first = datetime.date(year, 1, 1)
    span = (last - first).days
    if span < 0:
        return []
    return sorted({first + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count)})


def _plans(unit, years, officer, centre_user, bureau_user, today, *, current_status=PlanStatus.APPROVED):
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
    _bulk(ServicePlan, plans)


class _Batch:
    """Rows gathered for one bulk insert per table."""

    def __init__(self):
        self.volunteers, self.memberships, self.trainings, self.records, self.insured = [], [], [], [], []


def _generate_people(rng, batch, unit, first_n, count, today, start_year):
    """``count`` new people for a new unit, numbered from ``first_n``; returns (volunteer, n) pairs."""
    people = []
    for j in range(count):
        n = first_n + j
        sex = "F" if rng.random() < 0.68 else "M"
        number = fake_national_id(n, sex=sex)
        has_book = rng.random() < 0.93
        started = datetime.date(
            rng.randint(start_year - 6, today.year), rng.randint(1, 12), rng.randint(1, 28)
        )
        started = min(started, today)
        volunteer = Volunteer(
            name=_name(rng),
            identity_kind=IdentityKind.NATIONAL_ID,
            identity_number=number,
            identity_hash=lookup_hash(number),
            birth_date=_birth_date(rng, today),
            sex=sex,
            phone=f"09{rng.randint(10_000_000, 99_999_999)}",
            record_book_number=f"北市志字第{n:07d}號" if has_book else "",
            record_book_issued_on=started if has_book else None,
            service_started_on=started,
        )
        batch.volunteers.append(volunteer)
        people.append(volunteer)
    return people


def _history(rng, batch, volunteer, unit, today, start_year, officer):
    """Training and service records for one person in one unit."""
    joined = volunteer.service_started_on or datetime.date(start_year, 1, 1)
    batch.memberships.append(
        Membership(
            unit=unit,
            volunteer=volunteer,
            joined_on=joined,
            main_domain=unit.main_domain,
            left_on=None if rng.random() < 0.95 else today - datetime.timedelta(days=rng.randint(10, 200)),
        )
    )
    basic_on = max(datetime.date(2000, 1, 1), joined - datetime.timedelta(days=20))
    batch.trainings.append(
        Training(
            volunteer=volunteer,
            kind=TrainingKind.BASIC,
            title="志願服務基礎訓練",
            provider=CENTRE,
            completed_on=basic_on,
            hours=Decimal("6"),
            certificate_number=f"北市志基字第{volunteer.pk:07d}號",
            recorded_by_unit=unit,
        )
    )
    if rng.random() < 0.6:
        batch.trainings.append(
            Training(
                volunteer=volunteer,
                kind=TrainingKind.SPECIAL,
                domain=unit.main_domain,
                title=SPECIAL_TITLES.get(unit.main_domain, "特殊訓練"),
                provider=unit.organisation.name,
                completed_on=basic_on + datetime.timedelta(days=10),
                hours=Decimal("6"),
                recorded_by_unit=unit,
            )
        )
    activities = ACTIVITIES.get(unit.main_domain, ["志願服務"])
    for year in range(max(start_year, joined.year), today.year + 1):
        for day in _service_days(rng, year, today, rng.randint(4, 14)):
            if day < joined:
                continue
            certified = day.year < today.year
            batch.records.append(
                (
                    volunteer.pk,
                    unit.pk,
                    day,
                    HOURS[rng.randrange(len(HOURS))],
                    unit.main_domain,
                    rng.choice(activities),
                    ServiceRecordSource.FORM,
                    ServiceRecordStatus.CERTIFIED if certified else ServiceRecordStatus.RECORDED,
                    _year_end(day.year) if certified else None,
                    officer.pk if certified else None,
                    officer.pk,
                )
            )


def _unit_names(count, taken):
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


def seed(ctx):
    rng = random.Random(20221)
    today = timezone.localdate()
    start_year = today.year - YEARS + 1
    years = list(range(start_year, today.year + 1))

    centre_org, _ = Organisation.objects.get_or_create(
        name=VOLUNTEER_CENTRE, defaults={"kind": OrganisationKind.VOLUNTEER_CENTRE, "short_name": "志推中心"}
    )
    social_welfare = Organisation.objects.get(name=SOCIAL_WELFARE)
    bureaus = {o.name: o for o in Organisation.objects.filter(name__in=[SOCIAL_WELFARE, *BUREAUS])}
    centre_user = User.objects.filter(role=Role.CENTRE_STAFF, organisation=centre_org).order_by("pk").first()
    bureau_user = (
        User.objects.filter(role=Role.CASEWORKER, organisation=social_welfare).order_by("pk").first()
    )
    demo_officer = User.objects.get(email=f"unit@{DEMO_EMAIL_DOMAIN}")
    demo_volunteer_user = User.objects.get(email=f"volunteer@{DEMO_EMAIL_DOMAIN}")

    # --- The demo unit (李志豪's) and its people -------------------------------------------
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
    _plans(demo_unit, years, demo_officer, centre_user, bureau_user, today)

    batch = _Batch()
    new_units = []
    # Generated units: the first ``wanted`` names of a fixed sequence; only the missing ones are added.
    wanted = BASE_UNITS + UNITS_PER_SCALE * (ctx.scale - 1)
    candidates = _unit_names(wanted, set())
    index_of = {spec[0]: i for i, spec in enumerate(candidates)}
    present = set(Organisation.objects.filter(name__in=index_of).values_list("name", flat=True))
    specs = [spec for spec in candidates if spec[0] not in present]
    if specs:
        orgs = _bulk(
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
        _bulk(
            VolunteerUnit,
            [
                VolunteerUnit(
                    organisation=by_name[name],
                    main_domain=domain,
                    contact_person=_name(rng),
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
        _bulk(User, [u for u in officers if not User.objects.filter(email=u.email).exists()])
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
            _plans(
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

        per_unit = max(1, (VOLUNTEERS_PER_SCALE * ctx.scale) // wanted)
        for unit in new_units:
            unit_index = index_of[unit.organisation.name]
            people = _generate_people(
                rng, batch, unit, 1_000_000 + unit_index * 1000, per_unit, today, start_year
            )
            unit._people = people
        _bulk(Volunteer, batch.volunteers)
        # bulk_create sets pks on PostgreSQL and SQLite (3.35+); fetch them to be safe on others.
        if batch.volunteers and batch.volunteers[0].pk is None:
            ids = dict(
                Volunteer.objects.filter(
                    identity_hash__in=[v.identity_hash for v in batch.volunteers]
                ).values_list("identity_hash", "pk")
            )
            for v in batch.volunteers:
                v.pk = ids[v.identity_hash]
        records_written = 0
        for unit in new_units:
            officer = officer_of[unit.organisation_id]
            for volunteer in unit._people:
                _history(rng, batch, volunteer, unit, today, start_year, officer)
            if len(batch.records) > 100_000:  # keep memory flat at --scale 100
                records_written += _insert_records(batch.records)
                batch.records = []
        # About one in twelve also serves a second (neighbouring) unit: the record follows the person.
        for i, unit in enumerate(new_units):
            other = new_units[(i + 1) % len(new_units)]
            if other is unit:
                continue
            for volunteer in unit._people[::12]:
                batch.memberships.append(
                    Membership(
                        unit=other,
                        volunteer=volunteer,
                        joined_on=max(volunteer.service_started_on, datetime.date(start_year, 1, 1)),
                        main_domain=other.main_domain,
                    )
                )
                for day in _service_days(rng, today.year, today, 3):
                    batch.records.append(
                        (
                            volunteer.pk,
                            other.pk,
                            day,
                            Decimal("3"),
                            other.main_domain,
                            "支援服務",
                            ServiceRecordSource.EVENT,
                            ServiceRecordStatus.RECORDED,
                            None,
                            None,
                            officer_of[other.organisation_id].pk,
                        )
                    )
        _bulk(Membership, batch.memberships)
        _bulk(Training, batch.trainings)
        records_written += _insert_records(batch.records)
        # Insurance: one policy per unit and year; nearly everyone insured.
        policies = _bulk(
            InsurancePolicy,
            [
                InsurancePolicy(
                    unit=unit,
                    insurer=rng.choice(INSURERS),
                    policy_number=f"VA{year}{unit.pk:06d}",
                    starts_on=datetime.date(year, 1, 1),
                    ends_on=datetime.date(year, 12, 31),
                    coverage="意外身故及失能 300 萬元、意外醫療 3 萬元",
                )
                for unit in new_units
                for year in years
            ],
        )
        if policies[0].pk is None:
            policies = list(InsurancePolicy.objects.filter(unit__in=new_units))
        members = {}
        for m in batch.memberships:
            members.setdefault(m.unit_id, []).append(m.volunteer_id)
        through = InsurancePolicy.insured.through
        for policy in policies:
            for volunteer_id in members.get(policy.unit_id, []):
                if rng.random() < 0.97:
                    batch.insured.append((policy.pk, volunteer_id))
        _copy_rows(through, ("insurancepolicy_id", "volunteer_id"), batch.insured)
        ctx.log(
            f"    {len(new_units)} units, {len(batch.volunteers)} volunteers, {records_written} service records"
        )

    demo = _seed_demo_volunteers(rng, demo_unit, demo_officer, demo_volunteer_user, today, new_units)
    ctx.samples["volunteer_unit"] = demo_unit.pk
    ctx.samples["volunteer"] = demo.pk
    pending = ServicePlan.objects.filter(status=PlanStatus.SUBMITTED).order_by("pk").first()
    if pending:
        ctx.samples["volunteer_plan_submitted"] = pending.pk

    if find_spec("volunteers.events.seed") is not None:
        importlib.import_module("volunteers.events.seed").seed(ctx)


def _seed_demo_volunteers(rng, unit, officer, user, today, new_units):
    """蔡美玲 (volunteer@demo.goodday.tw): serving since 2018 at the hospital, special training, >300 h,
    insured; and three veterans past the award thresholds. Created once; found by ID hash later."""
    digest = lookup_hash(DEMO_VOLUNTEER_ID)
    demo = Volunteer.objects.filter(identity_hash=digest).first()
    if demo is not None:
        if demo.user_id is None and not Volunteer.objects.filter(user=user).exists():
            demo.user = user
            demo.save(update_fields=["user"])
        return demo
    started = datetime.date(2018, 3, 1)
    demo = Volunteer.objects.create(
        name="蔡美玲",
        identity_kind=IdentityKind.NATIONAL_ID,
        identity_number=DEMO_VOLUNTEER_ID,
        identity_hash=digest,
        birth_date=datetime.date(1958, 4, 12),
        sex="F",
        phone="0912345678",
        email=user.email,
        address="臺北市大同區民生西路100號",
        record_book_number="北市志字第0107281號",
        record_book_issued_on=datetime.date(2018, 5, 2),
        service_started_on=started,
        user=user if not Volunteer.objects.filter(user=user).exists() else None,
    )
    Membership.objects.create(unit=unit, volunteer=demo, joined_on=started, main_domain=ServiceDomain.HEALTH)
    _bulk(
        Training,
        [
            Training(volunteer=demo, kind=TrainingKind.BASIC, title="志願服務基礎訓練", provider=CENTRE,
                     completed_on=datetime.date(2018, 2, 10), hours=Decimal("6"),
                     certificate_number="北市志基字第1070210號", recorded_by_unit=unit),
            Training(volunteer=demo, kind=TrainingKind.SPECIAL, domain=ServiceDomain.HEALTH,
                     title="衛生保健類特殊訓練", provider=DEMO_UNIT, completed_on=datetime.date(2018, 2, 24),
                     hours=Decimal("6"), certificate_number="北市聯醫志特字第107024號", recorded_by_unit=unit),
            Training(volunteer=demo, kind=TrainingKind.SPECIAL, domain=ServiceDomain.SOCIAL_WELFARE,
                     title="社會福利類特殊訓練", provider=CENTRE, completed_on=datetime.date(2021, 9, 4),
                     hours=Decimal("6"), recorded_by_unit=unit),
            Training(volunteer=demo, kind=TrainingKind.IN_SERVICE, title="志工的自我照顧與情緒支持",
                     provider=CENTRE, completed_on=datetime.date(2023, 6, 17), hours=Decimal("3"),
                     recorded_by_unit=unit),
        ],
    )  # fmt: skip
    records = []
    for year in range(2018, today.year + 1):
        for day in _service_days(rng, year, today, 30):
            if day < started:
                continue
            certified = day.year < today.year
            records.append(
                ServiceRecord(
                    volunteer=demo, unit=unit, served_on=day, hours=Decimal("3.5"), domain=ServiceDomain.HEALTH,
                    activity=rng.choice(ACTIVITIES[ServiceDomain.HEALTH]), source=ServiceRecordSource.FORM,
                    status=ServiceRecordStatus.CERTIFIED if certified else ServiceRecordStatus.RECORDED,
                    certified_by=officer if certified else None,
                    certified_at=timezone.make_aware(datetime.datetime(day.year, 12, 31, 12)) if certified else None,
                    created_by=officer,
                )
            )  # fmt: skip
    # She also helps a community team since 2021 (social welfare, after its special training).
    community = next((u for u in new_units if u.main_domain == ServiceDomain.SOCIAL_WELFARE), None)
    if community is not None:
        Membership.objects.create(
            unit=community,
            volunteer=demo,
            joined_on=datetime.date(2021, 10, 1),
            main_domain=ServiceDomain.SOCIAL_WELFARE,
        )
        for year in range(2022, today.year + 1):
            for day in _service_days(rng, year, today, 8):
                records.append(
                    ServiceRecord(volunteer=demo, unit=community, served_on=day, hours=Decimal("3"),
                                  domain=ServiceDomain.SOCIAL_WELFARE, activity="關懷訪視",
                                  source=ServiceRecordSource.FORM, created_by=officer)
                )  # fmt: skip
    policy = InsurancePolicy.objects.filter(unit=unit, starts_on__year=today.year).first()
    if policy is None:
        policy = InsurancePolicy.objects.create(
            unit=unit, insurer="富邦產物保險", policy_number=f"VA{today.year}DEMO01",
            starts_on=datetime.date(today.year, 1, 1), ends_on=datetime.date(today.year, 12, 31),
            coverage="意外身故及失能 300 萬元、意外醫療 3 萬元",
        )  # fmt: skip
    policy.insured.add(demo)
    Award.objects.create(
        volunteer=demo, title="績優志工服務獎", grantor="臺北市立聯合醫院", awarded_on=datetime.date(2022, 12, 5),
        recorded_by=officer,
    )  # fmt: skip

    for n, name, target in VETERANS:
        number = fake_national_id(n)
        veteran = Volunteer.objects.create(
            name=name, identity_kind=IdentityKind.NATIONAL_ID, identity_number=number,
            identity_hash=lookup_hash(number), birth_date=datetime.date(1948 + n % 7, 6, 1), sex="F",
            record_book_number=f"北市志字第{n:07d}號", record_book_issued_on=datetime.date(2005, 3, 1),
            service_started_on=datetime.date(2005, 3, 1),
        )  # fmt: skip
        Membership.objects.create(
            unit=unit,
            volunteer=veteran,
            joined_on=datetime.date(2005, 3, 1),
            main_domain=ServiceDomain.HEALTH,
        )
        policy.insured.add(veteran)
        days = int(target / 8) + 1
        first = datetime.date(2005, 3, 1)
        span = (today - first).days
        step = max(1, span // days)
        for k in range(days):
            day = first + datetime.timedelta(days=k * step)
            if day > today:
                break
            records.append(
                ServiceRecord(volunteer=veteran, unit=unit, served_on=day, hours=Decimal("8"),
                              domain=ServiceDomain.HEALTH, activity="門診引導", source=ServiceRecordSource.PAPER,
                              status=ServiceRecordStatus.CERTIFIED, created_by=officer)
            )  # fmt: skip
    _bulk(ServiceRecord, records)
    return demo
