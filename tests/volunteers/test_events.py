"""Events: shifts and capacity, the daily QR code, sign-in/out, insurance warnings, confirmed hours."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from tests.accounts.factories import make_user
from tests.volunteers.factories import (
    InsurancePolicyFactory,
    MembershipFactory,
    ServiceRecordFactory,
    UnitFactory,
    member_of,
    officer_of,
)
from volunteers.events import services as events
from volunteers.models import ServiceRecord, ServiceRecordSource, ShiftSignup

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return UnitFactory(approved=True)


@pytest.fixture
def officer(unit):
    return officer_of(unit)


@pytest.fixture
def event(unit, officer):
    today = timezone.localdate()
    return events.create_event(
        unit=unit,
        actor=officer,
        title="院內導引服務",
        venue="仁愛院區",
        domain="health",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
    )


@pytest.fixture
def shift(event, officer):
    return events.add_shift(
        event=event,
        actor=officer,
        date=timezone.localdate(),
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        capacity=2,
        task="掛號導引",
    )


def volunteer_with_login(unit):
    user = make_user(Role.VOLUNTEER)
    return member_of(unit, user=user), user


def test_codes_rotate_every_day_and_differ_between_events(event, unit, officer):
    today = timezone.localdate()
    other = events.create_event(
        unit=unit, actor=officer, title="x", venue="y", domain="health", starts_on=today, ends_on=today
    )
    assert events.day_code(event, today) != events.day_code(event, today - datetime.timedelta(days=1))
    assert events.day_code(event, today) != events.day_code(other, today)
    assert events.check_in_url(event, today).startswith("http")


def test_qr_sign_in_with_yesterdays_code_is_refused_and_todays_accepted(event, shift, unit):
    volunteer, user = volunteer_with_login(unit)
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    yesterday = events.day_code(event, timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="過期"):
        events.scan_check_in(event=event, code=yesterday, user=user)
    with pytest.raises(ValidationError, match="不屬於此活動"):
        events.scan_check_in(event=event, code="0" * 20, user=user)
    assert ShiftSignup.objects.get().signed_in_at is None
    signup, action, _ = events.scan_check_in(
        event=event, code=events.day_code(event, timezone.localdate()), user=user
    )
    assert action == "sign_in" and signup.signed_in_at is not None


def test_sign_out_produces_hours_rounded_to_the_nearest_quarter_and_the_officer_confirms(
    event, shift, unit, officer
):
    volunteer, user = volunteer_with_login(unit)
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    code = events.day_code(event, timezone.localdate())
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    events.scan_check_in(event=event, code=code, user=user, now=start)
    signup, action, _ = events.scan_check_in(
        event=event, code=code, user=user, now=start + datetime.timedelta(hours=3, minutes=8)
    )
    assert action == "sign_out"
    assert events.signed_hours(signup) == Decimal("3.25")  # 3 h 08 min → 3¼ h (nearest quarter)
    record = events.confirm_hours(signup=signup, actor=officer)
    assert record.hours == Decimal("3.25") and record.source == ServiceRecordSource.EVENT
    assert record.served_on == shift.date and record.domain == "health"
    with pytest.raises(ValidationError):
        events.confirm_hours(signup=signup, actor=officer)


def test_confirmed_event_hours_obey_the_24_hour_rule(event, shift, unit, officer):
    volunteer, user = volunteer_with_login(unit)
    ServiceRecordFactory(volunteer=volunteer, unit=UnitFactory(approved=True), hours=Decimal("22"))
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    signup = ShiftSignup.objects.get()
    now = timezone.now()
    events.officer_sign(signup=signup, actor=officer, action="sign_in", at=now - datetime.timedelta(hours=3))
    events.officer_sign(signup=signup, actor=officer, action="sign_out", at=now)
    with pytest.raises(ValidationError, match="24 小時"):
        events.confirm_hours(signup=signup, actor=officer)
    events.confirm_hours(signup=signup, actor=officer, hours="2")
    assert ServiceRecord.objects.filter(volunteer=volunteer).count() == 2


def test_sign_in_warns_when_the_volunteer_is_not_insured_that_day(event, shift, unit):
    volunteer, user = volunteer_with_login(unit)
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    code = events.day_code(event, timezone.localdate())
    _, _, warnings = events.scan_check_in(event=event, code=code, user=user)
    assert warnings == [events.NOT_INSURED_WARNING]


def test_no_warning_when_insured(event, shift, unit):
    volunteer, user = volunteer_with_login(unit)
    InsurancePolicyFactory(unit=unit).insured.add(volunteer)
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    _, _, warnings = events.scan_check_in(
        event=event, code=events.day_code(event, timezone.localdate()), user=user
    )
    assert warnings == []


def test_officer_sign_in_warns_about_insurance_too(event, shift, unit, officer):
    volunteer = member_of(unit)
    signup = events.sign_up(shift=shift, volunteer=volunteer, actor=officer)
    warnings = events.officer_sign(signup=signup, actor=officer, action="sign_in")
    assert warnings and "保險" in warnings[0]


def test_a_shift_is_full_at_capacity(shift, unit, officer):
    for _ in range(2):
        events.sign_up(shift=shift, volunteer=member_of(unit), actor=officer)
    with pytest.raises(ValidationError, match="額滿"):
        events.sign_up(shift=shift, volunteer=member_of(unit), actor=officer)


def test_only_members_sign_up_for_a_unit_event_but_anyone_for_a_city_event(unit, officer, shift):
    outsider = member_of(UnitFactory(approved=True))
    with pytest.raises(ValidationError):
        events.sign_up(shift=shift, volunteer=outsider, actor=officer)
    today = timezone.localdate()
    city = events.create_event(
        unit=unit,
        actor=officer,
        title="臺北馬拉松",
        venue="市府廣場",
        domain="sports",
        starts_on=today,
        ends_on=today,
        is_city_event=True,
    )
    city_shift = events.add_shift(
        event=city,
        actor=officer,
        date=today,
        starts_at=datetime.time(6),
        ends_at=datetime.time(10),
        capacity=100,
    )
    events.sign_up(shift=city_shift, volunteer=outsider, actor=officer)
    assert outsider.memberships.filter(unit=unit).exists()


def test_an_officer_of_another_unit_cannot_manage_the_event(event, shift, unit):
    stranger = officer_of(UnitFactory(approved=True))
    signup = events.sign_up(shift=shift, volunteer=member_of(unit), actor=officer_of(unit))
    with pytest.raises(PermissionDenied):
        events.officer_sign(signup=signup, actor=stranger, action="sign_in")
    with pytest.raises(PermissionDenied):
        events.add_shift(
            event=event,
            actor=stranger,
            date=timezone.localdate(),
            starts_at=datetime.time(1),
            ends_at=datetime.time(2),
            capacity=1,
        )


def test_a_volunteer_signs_up_only_themselves(shift, unit):
    _, user = volunteer_with_login(unit)
    other = member_of(unit)
    with pytest.raises(PermissionDenied):
        events.sign_up(shift=shift, volunteer=other, actor=user)


def test_codes_of_another_event_are_refused(event, shift, unit, officer):
    volunteer, user = volunteer_with_login(unit)
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    today = timezone.localdate()
    other = events.create_event(
        unit=unit, actor=officer, title="x", venue="y", domain="health", starts_on=today, ends_on=today
    )
    with pytest.raises(ValidationError):
        events.scan_check_in(event=event, code=events.day_code(other, today), user=user)


def test_qr_svg_has_no_inline_style(event):
    svg = events.qr_svg(events.check_in_url(event, timezone.localdate()))
    assert svg.startswith("<svg") and "style=" not in svg


def test_membership_factory_used(unit):
    assert MembershipFactory(unit=unit).unit == unit
