"""Demo people (run by volunteers/seed.py): generated volunteers with their memberships, training
and insurance; the demo volunteer 蔡美玲 (volunteer@demo.goodday.tw) with a long history, and three
veterans past the award thresholds."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.seed import DEMO_UNIT
from core.crypto import lookup_hash
from core.seeding import fake_national_id
from core.validators import IdentityKind

from ..hours.seed import ACTIVITIES, service_days
from ..models import (
    Award,
    InsurancePolicy,
    Membership,
    ServiceDomain,
    ServiceRecord,
    ServiceRecordSource,
    ServiceRecordStatus,
    Training,
    TrainingKind,
    Volunteer,
)
from ..seedkit import bulk, copy_rows

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏"
GIVEN = "美玲淑芬雅婷怡君志明建宏俊傑家豪宗翰冠宇佳穎欣怡秀英麗華明德文雄國華素珍玉蘭金鳳春嬌阿滿"
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


def person_name(rng) -> str:
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


def generate_people(rng, batch, unit, first_n, count, today, start_year):
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
            name=person_name(rng),
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


def save_people(batch) -> None:
    """Write the gathered people; their pks are needed for the rows that follow."""
    bulk(Volunteer, batch.volunteers)
    # bulk_create sets pks on PostgreSQL and SQLite (3.35+); fetch them to be safe on others.
    if batch.volunteers and batch.volunteers[0].pk is None:
        ids = dict(
            Volunteer.objects.filter(
                identity_hash__in=[v.identity_hash for v in batch.volunteers]
            ).values_list("identity_hash", "pk")
        )
        for v in batch.volunteers:
            v.pk = ids[v.identity_hash]


def join_and_train(rng, batch, volunteer, unit, today, start_year) -> datetime.date:
    """A person's membership of the unit and their training; returns the day they joined."""
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
    return joined


def seed_insurance(rng, batch, new_units, years) -> None:
    """One policy per unit and year; nearly everyone insured."""
    policies = bulk(
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
    copy_rows(through, ("insurancepolicy_id", "volunteer_id"), batch.insured)


def seed_demo_volunteers(rng, unit, officer, user, today, new_units):
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
    bulk(
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
        for day in service_days(rng, year, today, 30):
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
            for day in service_days(rng, year, today, 8):
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
    bulk(ServiceRecord, records)
    return demo
