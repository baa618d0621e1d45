"""Service records: quarter hours, the 24-hour day across units, plans, corrections, the week grid."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from tests.volunteers.factories import (
    MembershipFactory,
    ServiceRecordFactory,
    UnitFactory,
    member_of,
    officer_of,
)
from volunteers.hours import services as hours
from volunteers.models import ServiceRecord, ServiceRecordSource, ServiceRecordStatus

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


@pytest.fixture
def unit():
    return UnitFactory(approved=True)


@pytest.fixture
def officer(unit):
    return officer_of(unit)


def record(unit, officer, volunteer, h, day=None, **kwargs):
    return hours.record_service(
        unit=unit,
        actor=officer,
        volunteer=volunteer,
        served_on=day or timezone.localdate(),
        hours=h,
        domain="social_welfare",
        activity="關懷訪視",
        **kwargs,
    )


def test_an_officer_records_hours_and_it_is_audited(unit, officer):
    volunteer = member_of(unit)
    r = record(unit, officer, volunteer, "2.5")
    assert r.hours == Decimal("2.50")
    assert r.source == ServiceRecordSource.FORM
    assert r.status == ServiceRecordStatus.RECORDED
    assert AuditEvent.objects.filter(action="service_record.created", target_id=str(r.pk)).exists()


@pytest.mark.parametrize("bad", ["0", "-1", "1.1", "0.3", "24.25", "abc", "NaN"])
def test_hours_must_be_quarter_hours_between_a_quarter_and_24(unit, officer, bad):
    volunteer = member_of(unit)
    with pytest.raises(ValidationError):
        record(unit, officer, volunteer, bad)
    assert not ServiceRecord.objects.exists()


def test_the_day_is_24_hours_across_all_units(unit, officer):
    other_unit = UnitFactory(approved=True)
    volunteer = member_of(unit)
    MembershipFactory(unit=other_unit, volunteer=volunteer)
    record(other_unit, officer_of(other_unit), volunteer, "23.75")
    record(unit, officer, volunteer, "0.25")
    with pytest.raises(ValidationError, match="24 小時"):
        record(unit, officer, volunteer, "0.25")
    assert ServiceRecord.objects.filter(volunteer=volunteer).count() == 2


def test_another_day_is_not_counted(unit, officer):
    volunteer = member_of(unit)
    record(unit, officer, volunteer, "24", day=timezone.localdate() - datetime.timedelta(days=1))
    assert record(unit, officer, volunteer, "24").hours == 24


def test_a_unit_without_an_approved_plan_cannot_record_hours():
    unit = UnitFactory()
    volunteer = member_of(unit)
    with pytest.raises(ValidationError, match="核備"):
        record(unit, officer_of(unit), volunteer, "1")


def test_an_officer_of_another_unit_is_refused(unit):
    volunteer = member_of(unit)
    stranger = officer_of(UnitFactory(approved=True))
    with pytest.raises(PermissionDenied):
        record(unit, stranger, volunteer, "1")


def test_hours_of_a_volunteer_not_serving_in_the_unit_are_refused(unit, officer):
    outsider = member_of(UnitFactory(approved=True))
    with pytest.raises(ValidationError, match="隊員"):
        record(unit, officer, outsider, "1")


def test_future_dates_are_refused(unit, officer):
    with pytest.raises(ValidationError, match="晚於今天"):
        record(unit, officer, member_of(unit), "1", day=timezone.localdate() + datetime.timedelta(days=1))


def test_certifying_marks_only_the_units_records(unit, officer):
    mine = record(unit, officer, member_of(unit), "2")
    theirs = ServiceRecordFactory()
    assert hours.certify_records(unit=unit, actor=officer, record_ids=[mine.pk, theirs.pk]) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == ServiceRecordStatus.CERTIFIED and mine.certified_by == officer
    assert theirs.status == ServiceRecordStatus.RECORDED


def test_correcting_a_certified_record_keeps_the_old_value_in_the_audit_trail(unit, officer):
    r = record(unit, officer, member_of(unit), "2")
    hours.certify_records(unit=unit, actor=officer, record_ids=[r.pk])
    with pytest.raises(ValidationError, match="原因"):
        hours.correct_record(record=r, actor=officer, hours="3")
    hours.correct_record(record=r, actor=officer, hours="3", reason="紀錄冊抄錄錯誤")
    r.refresh_from_db()
    assert r.hours == 3
    event = AuditEvent.objects.get(action="service_record.corrected", target_id=str(r.pk))
    assert event.changes["hours"] == ["2.00", "3.00"]
    assert event.reason == "紀錄冊抄錄錯誤"


def test_a_correction_obeys_the_24_hour_rule(unit, officer):
    volunteer = member_of(unit)
    record(unit, officer, volunteer, "20")
    r = record(unit, officer, volunteer, "2")
    with pytest.raises(ValidationError, match="24 小時"):
        hours.correct_record(record=r, actor=officer, hours="4.25")
    hours.correct_record(record=r, actor=officer, hours="4")


def test_an_officer_of_another_unit_cannot_correct(unit, officer):
    r = record(unit, officer, member_of(unit), "2")
    with pytest.raises(PermissionDenied):
        hours.correct_record(record=r, actor=officer_of(UnitFactory(approved=True)), hours="1")


def _monday():
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 7)


def test_the_week_grid_saves_a_week_for_many_volunteers(unit, officer):
    people = [member_of(unit) for _ in range(5)]
    monday = _monday()
    cells = {(v.pk, monday + datetime.timedelta(days=d)): "2" for v in people for d in range(7)}
    counts = hours.record_week_grid(unit=unit, actor=officer, week_start=monday, cells=cells, domain="health")
    assert counts == {"created": 35, "updated": 0, "deleted": 0}
    assert ServiceRecord.objects.filter(source=ServiceRecordSource.GRID).count() == 35
    cells[(people[0].pk, monday)] = "3"
    cells[(people[1].pk, monday)] = ""
    counts = hours.record_week_grid(unit=unit, actor=officer, week_start=monday, cells=cells, domain="health")
    assert counts == {"created": 0, "updated": 1, "deleted": 1}


def test_the_week_grid_obeys_the_24_hour_rule_across_units_and_saves_nothing_on_error(unit, officer):
    other_unit = UnitFactory(approved=True)
    volunteer = member_of(unit)
    fine = member_of(unit)
    MembershipFactory(unit=other_unit, volunteer=volunteer)
    monday = _monday()
    record(other_unit, officer_of(other_unit), volunteer, "23.75", day=monday)
    cells = {(fine.pk, monday): "8", (volunteer.pk, monday): "0.5"}
    with pytest.raises(ValidationError) as exc:
        hours.record_week_grid(unit=unit, actor=officer, week_start=monday, cells=cells, domain="health")
    assert "24 小時" in " ".join(exc.value.messages)
    assert not ServiceRecord.objects.filter(unit=unit).exists()
    cells[(volunteer.pk, monday)] = "0.25"
    hours.record_week_grid(unit=unit, actor=officer, week_start=monday, cells=cells, domain="health")
    assert ServiceRecord.objects.filter(unit=unit).count() == 2


def test_the_week_grid_does_not_change_certified_cells(unit, officer):
    volunteer = member_of(unit)
    monday = _monday()
    hours.record_week_grid(
        unit=unit, actor=officer, week_start=monday, cells={(volunteer.pk, monday): "2"}, domain="health"
    )
    r = ServiceRecord.objects.get()
    hours.certify_records(unit=unit, actor=officer, record_ids=[r.pk])
    with pytest.raises(ValidationError, match="更正"):
        hours.record_week_grid(
            unit=unit, actor=officer, week_start=monday, cells={(volunteer.pk, monday): "3"}, domain="health"
        )


@pytest.mark.django_db(transaction=True)
def test_two_units_saving_at_once_cannot_pass_24_hours_together():
    import threading

    from django.db import close_old_connections

    first, second = UnitFactory(approved=True), UnitFactory(approved=True)
    volunteer = member_of(first)
    MembershipFactory(unit=second, volunteer=volunteer)
    officers = {first.pk: officer_of(first), second.pk: officer_of(second)}
    barrier = threading.Barrier(2)
    outcomes = []

    def save(unit):
        try:
            barrier.wait()
            record(unit, officers[unit.pk], volunteer, "13")
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=save, args=(u,)) for u in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert ServiceRecord.objects.filter(volunteer=volunteer).count() == 1
