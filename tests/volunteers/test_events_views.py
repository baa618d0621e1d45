"""Event pages: the officer runs an event; the phone page from the QR code signs in and out.
The clock is ours (time-machine): 08:45 on 2026-11-20 in Taipei, before the 09:00–12:00 shift."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from tests.accounts.factories import make_user
from tests.volunteers.factories import UnitFactory, member_of, officer_of
from volunteers.events import services as events
from volunteers.models import Event, ServiceRecord, ShiftSignup

pytestmark = pytest.mark.django_db

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
DAY = datetime.date(2026, 11, 20)


def at(hour, minute=0, second=0, day=DAY):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TAIPEI)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(8, 45), tick=False)
    return time_machine


def check_in(shift):
    return reverse(
        "volunteers:event_check_in", kwargs={"pk": shift.event_id, "code": events.venue_code(shift.event)}
    )


@pytest.fixture
def unit():
    return UnitFactory(approved=True)


@pytest.fixture
def officer(unit):
    return officer_of(unit)


@pytest.fixture
def shift(unit, officer):
    today = timezone.localdate()
    event = events.create_event(
        unit=unit,
        actor=officer,
        title="健康講座",
        venue="中興院區",
        domain="health",
        starts_on=today,
        ends_on=today,
    )
    return events.add_shift(
        event=event,
        actor=officer,
        date=today,
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        capacity=5,
    )


def test_an_officer_creates_an_event_and_a_shift(client, officer):
    client.force_login(officer)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("volunteers:event_create"),
        {"title": "院慶", "venue": "仁愛院區", "domain": "health", "starts_on": today, "ends_on": today},
    )
    event = Event.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("volunteers:shift_create", kwargs={"pk": event.pk}),
        {"date": today, "starts_at": "08:00", "ends_at": "12:00", "capacity": 3, "task": "接待"},
    )
    assert response.status_code == 302 and event.shifts.count() == 1
    page = client.get(reverse("volunteers:event_qr", kwargs={"pk": event.pk})).content.decode()
    assert "<svg" in page and events.venue_code(event) in page


def test_the_phone_page_signs_in_then_out_and_the_officer_confirms(client, unit, officer, shift, clock):
    user = make_user(Role.VOLUNTEER)
    volunteer = member_of(unit, user=user)
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    client.force_login(user)
    url = check_in(shift)
    assert "確認簽到" in client.get(url).content.decode()
    page = client.post(url, follow=True).content.decode()
    assert "簽到成功（08:45）" in page and "保險" in page and "確認簽退" in page
    clock.move_to(at(10, 45), tick=False)
    assert "簽退成功（10:45）" in client.post(check_in(shift), follow=True).content.decode()
    signup = ShiftSignup.objects.get()
    client.force_login(officer)
    detail = client.get(reverse("volunteers:event_detail", kwargs={"pk": shift.event_id})).content.decode()
    assert "確認時數" in detail and "⚠" not in detail
    client.post(
        reverse("volunteers:signup_act", kwargs={"pk": signup.pk}), {"action": "confirm", "hours": ""}
    )
    assert ServiceRecord.objects.get().hours == 2


def test_the_phone_page_says_when_sign_in_opens(client, unit, shift, clock):
    user = make_user(Role.VOLUNTEER)
    events.sign_up(shift=shift, volunteer=member_of(unit, user=user), actor=user)
    clock.move_to(at(7, 0), tick=False)
    client.force_login(user)
    page = client.get(check_in(shift)).content.decode()
    assert "08:30 起開放" in page and "確認簽到" not in page
    response = client.post(check_in(shift))
    assert response.status_code == 400 and ShiftSignup.objects.get().signed_in_at is None


def test_a_code_from_a_minute_and_a_half_ago_shows_expired(client, unit, shift, clock):
    user = make_user(Role.VOLUNTEER)
    events.sign_up(shift=shift, volunteer=member_of(unit, user=user), actor=user)
    client.force_login(user)
    url = check_in(shift)
    clock.shift(datetime.timedelta(seconds=150))
    assert "過期" in client.get(url).content.decode()
    assert client.post(url).status_code == 400
    assert ShiftSignup.objects.get().signed_in_at is None


def test_the_venue_page_fetches_the_new_code_itself(client, officer, shift, clock):
    client.force_login(officer)
    url = reverse("volunteers:event_qr", kwargs={"pk": shift.event_id})
    first = client.get(url)
    html = first.content.decode()
    assert 'hx-trigger="every 20s"' in html and 'hx-select="#venue-code"' in html
    assert first["Cache-Control"] == "no-store"
    clock.shift(datetime.timedelta(seconds=60))
    later = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert events.venue_code(shift.event) in later and events.venue_code(shift.event) not in html


def test_the_officer_is_warned_when_putting_an_uninsured_volunteer_on_a_shift(client, unit, officer, shift):
    volunteer = member_of(unit)
    client.force_login(officer)
    page = client.post(
        reverse("volunteers:signup_add", kwargs={"pk": shift.event_id}),
        {"shift": shift.pk, "volunteer": volunteer.pk},
        follow=True,
    ).content.decode()
    assert "沒有有效的志工意外事故保險" in page and "115.11.20" in page


def test_the_volunteer_is_warned_when_signing_up_uninsured(client, unit, shift):
    user = make_user(Role.VOLUNTEER)
    member_of(unit, user=user)
    client.force_login(user)
    page = client.post(
        reverse("volunteers:shift_sign_up", kwargs={"pk": shift.pk}), {"action": "sign_up"}, follow=True
    ).content.decode()
    assert "已報名「健康講座」115.11.20 09:00 班次" in page and "沒有有效的志工意外事故保險" in page


def test_the_officer_sees_the_flags_and_must_tick_to_confirm_them(client, unit, officer, shift):
    signup = events.sign_up(shift=shift, volunteer=member_of(unit), actor=officer)
    events.officer_sign(signup=signup, actor=officer, action="sign_in", at=at(3, 21))
    events.officer_sign(signup=signup, actor=officer, action="sign_out", at=at(3, 21, 30))
    client.force_login(officer)
    detail = client.get(reverse("volunteers:event_detail", kwargs={"pk": shift.event_id})).content.decode()
    assert "⚠" in detail and "簽到時間 03:21" in detail
    act = reverse("volunteers:signup_act", kwargs={"pk": signup.pk})
    page = client.post(act, {"action": "confirm", "hours": "4"}, follow=True).content.decode()
    assert "仍要確認" in page and not ServiceRecord.objects.exists()
    client.post(act, {"action": "confirm", "hours": "3", "accept_flags": "1"})
    assert ServiceRecord.objects.get().hours == 3


def test_yesterdays_code_shows_a_clear_message(client, unit, shift):
    user = make_user(Role.VOLUNTEER)
    volunteer = member_of(unit, user=user)
    events.sign_up(shift=shift, volunteer=volunteer, actor=user)
    event = shift.event
    Event.objects.filter(pk=event.pk).update(starts_on=event.starts_on - datetime.timedelta(days=1))
    event.refresh_from_db()
    old = events.venue_code(event, at(9, day=DAY - datetime.timedelta(days=1)))
    client.force_login(user)
    url = reverse("volunteers:event_check_in", kwargs={"pk": event.pk, "code": old})
    assert "過期" in client.get(url).content.decode()
    assert client.post(url).status_code == 400
    assert ShiftSignup.objects.get().signed_in_at is None


def test_the_check_in_page_needs_a_login(client, shift):
    url = reverse("volunteers:event_check_in", kwargs={"pk": shift.event_id, "code": "x"})
    assert client.get(url).status_code == 302


def test_an_officer_of_another_unit_gets_404(client, shift):
    client.force_login(officer_of(UnitFactory(approved=True)))
    assert client.get(reverse("volunteers:event_detail", kwargs={"pk": shift.event_id})).status_code == 404
    signup = events.sign_up(
        shift=shift, volunteer=member_of(shift.event.unit), actor=officer_of(shift.event.unit)
    )
    assert (
        client.post(
            reverse("volunteers:signup_act", kwargs={"pk": signup.pk}), {"action": "sign_in"}
        ).status_code
        == 404
    )
    assert ShiftSignup.objects.get().signed_in_at is None


def test_a_volunteer_signs_up_on_the_open_events_page(client, unit, shift):
    user = make_user(Role.VOLUNTEER)
    member_of(unit, user=user)
    client.force_login(user)
    assert "健康講座" in client.get(reverse("volunteers:open_events")).content.decode()
    client.post(reverse("volunteers:shift_sign_up", kwargs={"pk": shift.pk}), {"action": "sign_up"})
    assert ShiftSignup.objects.filter(shift=shift).count() == 1


def test_the_event_list_makes_few_queries(client, unit, officer, django_assert_max_num_queries):
    today = timezone.localdate()
    for n in range(15):
        events.create_event(
            unit=unit,
            actor=officer,
            title=f"活動{n}",
            venue="x",
            domain="health",
            starts_on=today,
            ends_on=today,
        )
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("volunteers:event_list")).status_code == 200


def test_the_event_page_makes_few_queries(client, unit, officer, shift, django_assert_max_num_queries):
    for _ in range(5):
        events.sign_up(shift=shift, volunteer=member_of(unit), actor=officer)
    events.add_shift(
        event=shift.event,
        actor=officer,
        date=shift.date,
        starts_at=datetime.time(13),
        ends_at=datetime.time(17),
        capacity=5,
    )
    client.force_login(officer)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("volunteers:event_detail", kwargs={"pk": shift.event_id}))
    assert page.status_code == 200
