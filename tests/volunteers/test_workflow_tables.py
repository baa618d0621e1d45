"""The volunteer workflow tables (volunteers/workflows.py): every allowed move succeeds through its
service, and a move the table does not allow is refused and changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from tests.volunteers.factories import (
    PlanFactory,
    ServiceRecordFactory,
    UnitFactory,
    bureau_caseworker_of,
    centre_staff,
    member_of,
    officer_of,
)
from volunteers.events import services as events
from volunteers.hours import services as hours
from volunteers.imports import services as imports
from volunteers.models import (
    ImportBatch,
    ImportKind,
    ImportStatus,
    PlanStatus,
    ServicePlan,
    ServiceRecordStatus,
    ShiftSignup,
    SignupStatus,
)
from volunteers.units import services as units
from volunteers.workflows import IMPORT_FLOW, PLAN_FLOW, SERVICE_RECORD_FLOW, SIGNUP_FLOW, plan_stage

pytestmark = pytest.mark.django_db


def pairs(flow, allowed=True):
    return [
        (action, status)
        for action, move in flow.moves.items()
        for status in flow.statuses.values
        if (status in move.sources) == allowed
    ]


@pytest.fixture
def unit():
    return UnitFactory()


def _return(plan):
    actor = centre_staff() if plan_stage(plan) == "first" else bureau_caseworker_of(plan.unit)
    return units.return_plan(plan=plan, actor=actor, reason="請補充服務項目")


PLAN_SERVICES = {
    "submit": lambda plan: units.submit_plan(plan=plan, actor=officer_of(plan.unit)),
    "approve_first": lambda plan: units.approve_plan_first_review(plan=plan, actor=centre_staff()),
    "approve_second": lambda plan: units.approve_plan_second_review(
        plan=plan, actor=bureau_caseworker_of(plan.unit)
    ),
    "return": _return,
}


def test_every_plan_action_has_a_service():
    assert set(PLAN_SERVICES) == set(PLAN_FLOW.moves)


@pytest.mark.parametrize(("action", "status"), pairs(PLAN_FLOW))
def test_an_allowed_plan_move_succeeds_and_is_audited(unit, action, status):
    plan = PlanFactory(unit=unit, status=status)
    PLAN_SERVICES[action](plan)
    plan.refresh_from_db()
    assert plan.status == PLAN_FLOW.moves[action].target
    assert AuditEvent.objects.filter(target_type="volunteers.serviceplan", target_id=str(plan.pk)).exists()


@pytest.mark.parametrize(("action", "status"), pairs(PLAN_FLOW, allowed=False))
def test_a_plan_move_the_table_refuses_changes_nothing(unit, action, status):
    plan = PlanFactory(unit=unit, status=status)
    with pytest.raises((ValidationError, PermissionDenied)):
        PLAN_SERVICES[action](plan)
    assert ServicePlan.objects.get(pk=plan.pk).status == status
    assert not AuditEvent.objects.filter(
        target_type="volunteers.serviceplan", target_id=str(plan.pk)
    ).exists()


def test_plan_stage_follows_the_table():
    assert plan_stage(ServicePlan(status=PlanStatus.SUBMITTED)) == "first"
    assert plan_stage(ServicePlan(status=PlanStatus.CENTRE_APPROVED)) == "second"


@pytest.mark.parametrize("status", ServiceRecordStatus.values)
def test_certifying_takes_only_the_records_the_table_allows(status):
    unit = UnitFactory(approved=True)
    record = ServiceRecordFactory(unit=unit, volunteer=member_of(unit), status=status)
    count = hours.certify_records(unit=unit, actor=officer_of(unit), record_ids=[record.pk])
    record.refresh_from_db()
    if SERVICE_RECORD_FLOW.can(status, "certify"):
        assert count == 1 and record.status == ServiceRecordStatus.CERTIFIED and record.certified_at
    else:
        assert count == 0 and record.status == status and record.certified_at is None


@pytest.fixture
def signup():
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    today = timezone.localdate()
    event = events.create_event(
        unit=unit,
        actor=officer,
        title="院內導引服務",
        venue="仁愛院區",
        domain="health",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=3),
    )
    shift = events.add_shift(
        event=event,
        actor=officer,
        date=today + datetime.timedelta(days=1),
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        capacity=2,
        task="掛號導引",
    )
    return events.sign_up(shift=shift, volunteer=member_of(unit), actor=officer)


SIGNUP_SERVICES = {
    "cancel": lambda s, officer: events.cancel_signup(signup=s, actor=officer),
    "sign_up_again": lambda s, officer: events.sign_up(shift=s.shift, volunteer=s.volunteer, actor=officer),
}


@pytest.mark.parametrize(("action", "status"), pairs(SIGNUP_FLOW) + pairs(SIGNUP_FLOW, allowed=False))
def test_signup_moves_follow_the_table(signup, action, status):
    ShiftSignup.objects.filter(pk=signup.pk).update(status=status)
    signup.refresh_from_db()
    officer = officer_of(signup.shift.event.unit)
    if SIGNUP_FLOW.can(status, action):
        SIGNUP_SERVICES[action](signup, officer)
        assert ShiftSignup.objects.get(pk=signup.pk).status == SIGNUP_FLOW.moves[action].target
    else:
        with pytest.raises(ValidationError):
            SIGNUP_SERVICES[action](signup, officer)
        assert ShiftSignup.objects.get(pk=signup.pk).status == status


def test_every_signup_action_has_a_service():
    assert set(SIGNUP_SERVICES) == set(SIGNUP_FLOW.moves)
    assert SIGNUP_FLOW.statuses is SignupStatus


def _batch(unit, status, errors=()):
    return ImportBatch.objects.create(
        unit=unit,
        kind=ImportKind.SERVICE_RECORDS,
        original_name="hours.csv",
        created_by=officer_of(unit),
        status=status,
        errors=list(errors),
    )


@pytest.mark.parametrize(
    "status", sorted(set(ImportStatus.values) - set(IMPORT_FLOW.moves["validate"].sources))
)
def test_a_finished_import_is_left_alone_by_a_redelivered_run(status):
    batch = _batch(UnitFactory(approved=True), status)
    assert imports.run_import(batch.pk).status == status


@pytest.mark.parametrize("status", ImportStatus.values)
def test_only_a_stalled_failed_import_may_be_retried(status):
    unit = UnitFactory(approved=True)
    batch = _batch(unit, status, errors=[{"row": None, "column": "", "message": "中斷", "stalled": True}])
    if IMPORT_FLOW.can(status, "retry"):
        retried = imports.retry_import(batch=batch, actor=batch.created_by)
        assert retried.status == IMPORT_FLOW.moves["retry"].target
        assert AuditEvent.objects.filter(action="import.retried").exists()
    else:
        with pytest.raises(ValidationError):
            imports.retry_import(batch=batch, actor=batch.created_by)
        assert ImportBatch.objects.get(pk=batch.pk).status == status
