"""Demo volunteer records: the volunteer centre, about 20 units (×11 per extra ``--scale``), about 800
volunteers per scale step with training, insurance and four years of service records; the demo
volunteer (volunteer@demo.goodday.tw) with a long history; a few plans waiting for review.

Idempotent: the demo people are found by their ID hash, generated units by name (a unit that exists
already keeps what it has), so a second run adds nothing and a larger ``--scale`` only adds more.
Everything is written with ``bulk_create``; no audit events (seeding is not somebody's act).
"""

import datetime
import importlib
import random
from decimal import Decimal
from importlib.util import find_spec

from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.seed import BUREAUS, SOCIAL_WELFARE, VOLUNTEER_CENTRE
from core.seeding import DEMO_EMAIL_DOMAIN

from .hours.seed import insert_records, service_days, service_history
from .models import (
    Membership,
    PlanStatus,
    ServicePlan,
    ServiceRecordSource,
    ServiceRecordStatus,
    Training,
)
from .registry.seed import (
    generate_people,
    join_and_train,
    save_people,
    seed_demo_volunteers,
    seed_insurance,
)
from .seedkit import Batch, bulk
from .units.seed import BASE_UNITS, UNITS_PER_SCALE, seed_demo_unit, seed_generated_units

VOLUNTEERS_PER_SCALE = 800  # and 80,000 volunteers (with 1,100 units at --scale 100)
YEARS = 4


def seed(ctx):
    """Units and plans (``units/seed.py``), people with training and insurance
    (``registry/seed.py``), service records (``hours/seed.py``), then events (``events/seed.py``):
    one random sequence through them all, so the demo is the same every time."""
    rng = random.Random(20221)
    today = timezone.localdate()
    start_year = today.year - YEARS + 1
    years = list(range(start_year, today.year + 1))

    centre_org, _created = Organisation.objects.get_or_create(
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

    demo_unit = seed_demo_unit(start_year, years, demo_officer, centre_user, bureau_user, today)
    new_units, officer_of, index_of = seed_generated_units(
        rng,
        scale=ctx.scale,
        years=years,
        today=today,
        social_welfare=social_welfare,
        bureaus=bureaus,
        centre_user=centre_user,
        bureau_user=bureau_user,
    )
    if new_units:
        batch = Batch()
        wanted = BASE_UNITS + UNITS_PER_SCALE * (ctx.scale - 1)
        per_unit = max(1, (VOLUNTEERS_PER_SCALE * ctx.scale) // wanted)
        for unit in new_units:
            unit_index = index_of[unit.organisation.name]
            unit._people = generate_people(
                rng, batch, unit, 1_000_000 + unit_index * 1000, per_unit, today, start_year
            )
        save_people(batch)
        records_written = 0
        for unit in new_units:
            officer = officer_of[unit.organisation_id]
            for volunteer in unit._people:
                joined = join_and_train(rng, batch, volunteer, unit, today, start_year)
                service_history(rng, batch, volunteer, unit, today, start_year, joined, officer)
            if len(batch.records) > 100_000:  # keep memory flat at --scale 100
                records_written += insert_records(batch.records)
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
                for day in service_days(rng, today.year, today, 3):
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
        bulk(Membership, batch.memberships)
        bulk(Training, batch.trainings)
        records_written += insert_records(batch.records)
        seed_insurance(rng, batch, new_units, years)
        ctx.log(
            f"    {len(new_units)} units, {len(batch.volunteers)} volunteers, {records_written} service records"
        )

    demo = seed_demo_volunteers(rng, demo_unit, demo_officer, demo_volunteer_user, today, new_units)
    ctx.samples["volunteer_unit"] = demo_unit.pk
    ctx.samples["volunteer"] = demo.pk
    pending = ServicePlan.objects.filter(status=PlanStatus.SUBMITTED).order_by("pk").first()
    if pending:
        ctx.samples["volunteer_plan_submitted"] = pending.pk

    if find_spec("volunteers.events.seed") is not None:
        importlib.import_module("volunteers.events.seed").seed(ctx)
