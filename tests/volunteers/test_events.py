"""Events: shifts and capacity, the venue's rotating QR code, the sign-in window, sign-out, insurance
warnings, confirmed hours and their flags. The clock is ours (time-machine): every test starts at
08:45 on 2026-11-20 in Taipei, a quarter of an hour before the 09:00–12:00 shift."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
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

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
DAY = datetime.date(2026, 11, 20)


def at(hour, minute=0, second=0, day=DAY):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TAIPEI)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(8, 45), tick=False)
    return time_machine


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


def scan(event, user, when, code=None):
    return events.scan_check_in(event=event, code=code or events.venue_code(event, when), user=user, now=when)


def test_the_venue_code_changes_every_minute_and_differs_between_events(event, unit, officer):
    other = events.create_event(
        unit=unit, actor=officer, title="x", venue="y", domain="health", starts_on=DAY, ends_on=DAY
    )
    now = at(9, 0, 10)
    assert events.venue_code(event, now) == events.venue_code(event, at(9, 0, 50))
    assert events.venue_code(event, now) != events.venue_code(event, at(9, 1, 10))
    assert events.venue_code(event, now) != events.venue_code(other, now)
    assert events.check_in_url(event, now).endswith(f"/{events.venue_code(event, now)}/")


def test_the_previous_code_works_for_a_short_grace_then_says_expired(event, settings):
    settings.EVENT_CODE_PERIOD_SECONDS, settings.EVENT_CODE_GRACE_SECONDS = 60, 30
    shown = events.venue_code(event, at(9, 0, 55))
    events.verify_code(event, shown, at(9, 1, 20))  # the code changed 20 s ago: still accepted
    with pytest.raises(ValidationError, match="過期"):
        events.verify_code(event, shown, at(9, 1, 31))
    with pytest.raises(ValidationError, match="過期"):  # a photo taken in the morning, used at noon
        events.verify_code(event, events.venue_code(event, at(8, 0)), at(12, 0))
    with pytest.raises(ValidationError, match="不屬於此活動"):
        events.verify_code(event, "0" * 20, at(9, 0))


def test_a_photo_of_the_code_does_not_sign_in_from_elsewhere_later(event, shift, unit, clock):
    volunteer, user = volunteer_with_login(unit)
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    photo = events.venue_code(event, at(9, 0))
    with pytest.raises(ValidationError, match="過期"):
        scan(event, user, at(9, 5), code=photo)
    assert ShiftSignup.objects.get().signed_in_at is None
    signup, action, _ = scan(event, user, at(9, 5))
    assert action == "sign_in" and signup.signed_in_at == at(9, 5)


def test_codes_of_another_day_are_refused(event, shift, unit):
    volunteer, user = volunteer_with_login(unit)
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    yesterday = events.venue_code(event, at(9, 0, day=DAY - datetime.timedelta(days=1)))
    with pytest.raises(ValidationError, match="過期"):
        scan(event, user, at(9, 0), code=yesterday)


@pytest.mark.parametrize(
    "when, accepted",
    [
        (at(3, 21), False),  # the night before the shift
        (at(8, 29), False),  # a minute before sign-in opens
        (at(8, 30), True),  # 30 minutes before the start
        (at(11, 59), True),
        (at(12, 0, 1), False),  # the shift is over
    ],
)
def test_sign_in_is_accepted_from_before_the_shift_to_its_end(event, shift, unit, when, accepted, settings):
    settings.EVENT_SIGN_IN_OPENS_MINUTES = 30
    volunteer, user = volunteer_with_login(unit)
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    if accepted:
        assert scan(event, user, when)[1] == "sign_in"
    else:
        with pytest.raises(ValidationError) as refused:
            scan(event, user, when)
        assert "08:30" in str(refused.value) or "已結束" in str(refused.value)
        assert ShiftSignup.objects.get().signed_in_at is None


def test_the_opening_of_sign_in_is_configurable(event, shift, unit, settings):
    settings.EVENT_SIGN_IN_OPENS_MINUTES = 60
    volunteer, user = volunteer_with_login(unit)
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    assert scan(event, user, at(8, 0))[1] == "sign_in"


def test_sign_out_comes_only_after_sign_in(event, shift, unit, officer):
    volunteer, user = volunteer_with_login(unit)
    signup = events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    with pytest.raises(ValidationError, match="尚未簽到"):
        events.officer_sign(signup=signup, actor=officer, action="sign_out", at=at(10))
    assert scan(event, user, at(8, 50))[1] == "sign_in"
    assert scan(event, user, at(12, 5))[1] == "sign_out"
    with pytest.raises(ValidationError):
        scan(event, user, at(12, 6))


def test_sign_out_produces_hours_rounded_to_the_nearest_quarter_and_the_officer_confirms(
    event, shift, unit, officer
):
    volunteer, user = volunteer_with_login(unit)
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    scan(event, user, at(9))
    signup, action, _ = scan(event, user, at(12, 8))
    assert action == "sign_out"
    assert events.signed_hours(signup) == Decimal("3.25")  # 3 h 08 min → 3¼ h (nearest quarter)
    assert events.hours_flags(signup) == []
    record = events.confirm_hours(signup=signup, actor=officer)
    assert record.hours == Decimal("3.25") and record.source == ServiceRecordSource.EVENT
    assert record.served_on == shift.date and record.domain == "health"
    with pytest.raises(ValidationError):
        events.confirm_hours(signup=signup, actor=officer)


def test_hours_that_do_not_fit_the_shift_are_flagged_and_confirmed_only_knowingly(
    event, shift, unit, officer
):
    """The reported case: signed in at 03:21 for a 09:00–12:00 shift, out in the same minute,
    confirmed as 4 hours."""
    volunteer, user = volunteer_with_login(unit)
    signup = events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    events.officer_sign(signup=signup, actor=officer, action="sign_in", at=at(3, 21))
    events.officer_sign(signup=signup, actor=officer, action="sign_out", at=at(3, 21, 40))
    signup.refresh_from_db()
    flags = events.hours_flags(signup, Decimal("4"))
    assert any("簽到時間 03:21" in f for f in flags)
    assert any("簽退時間 03:21" in f for f in flags)
    assert any("超過班次 09:00–12:00 的 3 小時" in f for f in flags)
    assert any("與簽到簽退的 0 小時不符" in f for f in flags)
    with pytest.raises(ValidationError, match="仍要確認"):
        events.confirm_hours(signup=signup, actor=officer, hours="4")
    assert not ServiceRecord.objects.exists()
    record = events.confirm_hours(signup=signup, actor=officer, hours="3", accept_flags=True)
    assert record.hours == Decimal("3")
    assert AuditEvent.objects.filter(action="event.hours_confirmed_despite_flags").exists()


def test_confirmed_event_hours_obey_the_24_hour_rule(event, shift, unit, officer):
    volunteer, user = volunteer_with_login(unit)
    ServiceRecordFactory(
        volunteer=volunteer, unit=UnitFactory(approved=True), hours=Decimal("22"), served_on=DAY
    )
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    signup = ShiftSignup.objects.get()
    events.officer_sign(signup=signup, actor=officer, action="sign_in", at=at(9))
    events.officer_sign(signup=signup, actor=officer, action="sign_out", at=at(12))
    with pytest.raises(ValidationError, match="24 小時"):
        events.confirm_hours(signup=signup, actor=officer)
    events.confirm_hours(signup=signup, actor=officer, hours="2", accept_flags=True)
    assert ServiceRecord.objects.filter(volunteer=volunteer).count() == 2


def test_sign_in_warns_when_the_volunteer_is_not_insured_that_day(event, shift, unit):
    volunteer, user = volunteer_with_login(unit)
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    _, _, warnings = scan(event, user, at(9))
    assert warnings == [events.NOT_INSURED_WARNING]


def test_no_warning_when_insured(event, shift, unit):
    volunteer, user = volunteer_with_login(unit)
    InsurancePolicyFactory(unit=unit, starts_on=DAY, ends_on=DAY).insured.add(volunteer)
    signup = events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    assert events.assignment_warnings(signup) == []
    assert scan(event, user, at(9))[2] == []


def test_putting_an_uninsured_volunteer_on_a_shift_warns_with_the_roc_date(shift, unit, officer):
    volunteer = member_of(unit)
    signup = events.sign_up(shift=shift, volunteer=volunteer, actor=officer)
    assert events.assignment_warnings(signup) == [
        f"{volunteer.name} 在 115.11.20 沒有有效的志工意外事故保險。"
    ]


def test_officer_sign_in_warns_about_insurance_too(event, shift, unit, officer):
    volunteer = member_of(unit)
    signup = events.sign_up(shift=shift, volunteer=volunteer, actor=officer)
    warnings = events.officer_sign(signup=signup, actor=officer, action="sign_in")
    assert warnings and "保險" in warnings[0] and "115.11.20" in warnings[0]


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
        scan(event, user, at(9), code=events.venue_code(other, at(9)))


def test_qr_svg_has_no_inline_style(event):
    svg = events.qr_svg(events.check_in_url(event))
    assert svg.startswith("<svg") and "style=" not in svg


def test_membership_factory_used(unit):
    assert MembershipFactory(unit=unit).unit == unit
