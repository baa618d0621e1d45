"""Honor-card staff lists at Taipei's size (issue 21): paginated, their number of queries flat however
many rows there are, and the eligible list's checks read for the whole page at once."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from honorcards import selectors
from honorcards.models import RecordCorrection
from tests.core.test_staff_list_queries import assert_paginated_and_flat
from tests.honorcards.factories import World, eligible_volunteer, history
from tests.volunteers.factories import member_of, special_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def serving_volunteer(unit, today, n):
    """A volunteer with a few years of records and a special training; every third one not enough."""
    start = today - datetime.timedelta(days=365 * 3 + 40 * (n % 5))
    volunteer = member_of(unit, service_started_on=start)
    special_training(volunteer, completed_on=start - datetime.timedelta(days=30))
    hours = 320 if n % 3 else 40
    history(volunteer, unit, start=start, last=today - datetime.timedelta(days=10 + n % 7), total_hours=hours)
    return volunteer


def test_the_eligible_list_is_paginated_with_a_fixed_number_of_queries(client, world):
    today = timezone.localdate()
    client.force_login(world.officer)
    assert_paginated_and_flat(
        client,
        reverse("honorcards:eligible") + "?show=all",
        lambda n: [serving_volunteer(world.unit, today, i) for i in range(n)],
    )


def test_the_eligible_lists_checks_are_each_volunteers_own_check(world):
    today = timezone.localdate()
    renewed = world.issue()  # a card holder: its records no longer count, the card is the previous one
    people = [serving_volunteer(world.unit, today, i) for i in range(6)] + [renewed.volunteer]
    people.append(eligible_volunteer(world.unit, trained=False))
    batched = selectors.with_checks(people, as_of=today)
    assert [v for v, _ in batched] == people
    for volunteer, result in batched:
        assert result == selectors.check_eligibility(volunteer, as_of=today), volunteer.name
    assert any(r.eligible for _, r in batched) and any(not r.eligible for _, r in batched)


def test_the_applications_list_is_paginated_with_a_fixed_number_of_queries(client, world):
    client.force_login(world.reviewer)
    assert_paginated_and_flat(
        client,
        reverse("honorcards:applications"),
        lambda n: [world.apply(eligible_volunteer(world.unit, hours=320 + i)) for i in range(n)],
    )


def test_the_record_corrections_waiting_are_paginated_with_a_fixed_number_of_queries(client, world):
    card = world.issue(eligible_volunteer(world.unit, hours=1400))  # 70 records: one pending each
    records = iter(card.service_records.order_by("pk"))

    def add(n):
        for _ in range(n):
            record = next(records)
            RecordCorrection.objects.create(
                card=card,
                record=record,
                before={"hours": str(record.hours)},
                proposed={"hours": str(record.hours - Decimal("0.25"))},
                reason="誤植",
                requested_by=world.officer,
            )

    client.force_login(world.centre)
    assert_paginated_and_flat(client, reverse("honorcards:corrections"), add)
