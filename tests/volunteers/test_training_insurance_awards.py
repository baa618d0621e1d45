"""Training, accident insurance and awards (with the hour-threshold list for nominations)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import make_user
from tests.volunteers.factories import (
    AwardFactory,
    InsurancePolicyFactory,
    ServiceRecordFactory,
    UnitFactory,
    centre_staff,
    member_of,
    officer_of,
)
from volunteers.models import Training
from volunteers.registry import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return UnitFactory(approved=True)


@pytest.fixture
def officer(unit):
    return officer_of(unit)


TRAINING = {
    "kind": "special",
    "domain": "health",
    "title": "衛生保健類特殊訓練",
    "provider": "臺北市立聯合醫院",
    "completed_on": datetime.date(2024, 3, 1),
    "hours": Decimal("6"),
}


def test_special_training_needs_a_domain(unit, officer):
    volunteer = member_of(unit)
    with pytest.raises(ValidationError) as exc:
        services.add_training(volunteer=volunteer, actor=officer, unit=unit, **{**TRAINING, "domain": ""})
    assert "domain" in exc.value.message_dict
    services.add_training(volunteer=volunteer, actor=officer, unit=unit, **TRAINING)
    assert Training.objects.get().recorded_by_unit == unit


def test_training_only_by_an_officer_of_a_unit_the_volunteer_serves(unit):
    volunteer = member_of(unit)
    other = UnitFactory()
    with pytest.raises(PermissionDenied):
        services.add_training(volunteer=volunteer, actor=officer_of(other), unit=other, **TRAINING)


def test_training_through_the_form(client, unit, officer):
    volunteer = member_of(unit)
    client.force_login(officer)
    response = client.post(
        reverse("volunteers:training_add", args=[volunteer.pk]),
        {**TRAINING, "completed_on": "2024-03-01", "hours": "6"},
    )
    assert response.status_code == 302
    assert (
        "衛生保健類特殊訓練"
        in client.get(reverse("volunteers:volunteer_detail", args=[volunteer.pk])).content.decode()
    )


def test_policy_period_and_insured_members_only(unit, officer):
    with pytest.raises(ValidationError):
        services.create_policy(
            unit=unit,
            actor=officer,
            insurer="富邦",
            policy_number="P1",
            starts_on=datetime.date(2024, 12, 31),
            ends_on=datetime.date(2024, 1, 1),
        )
    policy = services.create_policy(
        unit=unit,
        actor=officer,
        insurer="富邦",
        policy_number="P1",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    mine = member_of(unit)
    stranger = member_of(UnitFactory())
    with pytest.raises(ValidationError):
        services.set_insured(policy=policy, actor=officer, volunteers=[mine, stranger])
    services.set_insured(policy=policy, actor=officer, volunteers=[mine])
    assert selectors.is_insured(mine, datetime.date(2024, 6, 1))
    assert not selectors.is_insured(mine, datetime.date(2025, 1, 1))
    assert selectors.insured_ids([mine.pk, stranger.pk], datetime.date(2024, 6, 1)) == {mine.pk}


def test_a_units_coverage_counts_its_serving_volunteers_under_its_own_policies_that_day(unit):
    from volunteers.models import Membership

    day = datetime.date(2024, 6, 1)
    own = InsurancePolicyFactory(
        unit=unit, starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31)
    )
    expired = InsurancePolicyFactory(
        unit=unit, starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 12, 31)
    )
    elsewhere = InsurancePolicyFactory(
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31)
    )
    covered, _uninsured, lapsed, by_another_unit, left = (member_of(unit) for _ in range(5))
    own.insured.add(covered, left)
    expired.insured.add(lapsed)
    elsewhere.insured.add(by_another_unit)
    Membership.objects.filter(volunteer=left, unit=unit).update(left_on=datetime.date(2024, 3, 1))
    assert selectors.unit_coverage(unit, day) == (4, 1)  # serving: all but `left`; covered: `covered`
    assert selectors.unit_coverage(UnitFactory(), day) == (0, 0)


def test_another_units_officer_cannot_change_a_policy(client, unit):
    policy = InsurancePolicyFactory(unit=unit)
    client.force_login(officer_of(UnitFactory()))
    assert client.get(reverse("volunteers:insurance_detail", args=[policy.pk])).status_code == 404
    assert client.post(reverse("volunteers:insurance_list", args=[unit.pk]), {}).status_code == 404


def test_award_threshold_list_groups_people_by_the_highest_threshold_reached(unit):
    def with_hours(total):
        person = member_of(unit)
        for k in range(int(total // 20)):
            ServiceRecordFactory(
                volunteer=person,
                unit=unit,
                served_on=datetime.date(2000, 1, 1) + datetime.timedelta(days=k),
                hours=Decimal("20"),
            )
        return person

    below, three, five, eight = with_hours(2980), with_hours(3000), with_hours(5020), with_hours(8000)
    AwardFactory(volunteer=eight, title="金牌獎")
    people = selectors.volunteers_reaching((3000, 5000, 8000))
    assert [(p.pk, p.threshold) for p in people] == [(eight.pk, 8000), (five.pk, 5000), (three.pk, 3000)]
    assert below.pk not in {p.pk for p in people}


def test_award_thresholds_page_for_the_centre_only(client, unit, django_assert_max_num_queries):
    person = member_of(unit, name="老志工")
    ServiceRecordFactory(volunteer=person, unit=unit, hours=Decimal("24"))
    from volunteers.models import ServiceRecord

    ServiceRecord.objects.bulk_create(
        [
            ServiceRecord(
                volunteer=person, unit=unit, served_on=datetime.date(2001, 1, 1) + datetime.timedelta(days=k),
                hours=Decimal("24"), domain="health", source="paper",
            )
            for k in range(130)
        ]
    )  # fmt: skip
    client.force_login(centre_staff())
    with django_assert_max_num_queries(20):
        body = client.get(reverse("volunteers:award_thresholds")).content.decode()
    assert "老志工" in body
    client.force_login(make_user(Role.DONOR))
    assert client.get(reverse("volunteers:award_thresholds")).status_code == 403


def test_awards_are_recorded_by_the_unit_or_the_centre(unit, officer):
    volunteer = member_of(unit)
    services.record_award(
        volunteer=volunteer,
        actor=officer,
        title="服務績優",
        grantor="本隊",
        awarded_on=datetime.date(2024, 1, 1),
    )
    services.record_award(
        volunteer=volunteer,
        actor=centre_staff(),
        title="金質獎",
        grantor="市府",
        awarded_on=datetime.date(2024, 2, 1),
    )
    with pytest.raises(PermissionDenied):
        services.record_award(
            volunteer=volunteer,
            actor=officer_of(UnitFactory()),
            title="x",
            grantor="y",
            awarded_on=datetime.date(2024, 1, 1),
        )
    with pytest.raises(ValidationError):
        services.record_award(volunteer=volunteer, actor=officer, title="", grantor="", awarded_on=None)
    assert volunteer.awards.count() == 2
