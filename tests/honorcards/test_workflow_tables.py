"""The honor-card workflow tables (honorcards/workflows.py): every allowed move succeeds through its
service, and a move the table does not allow is refused and changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from honorcards import corrections, services
from honorcards.models import (
    Application,
    ApplicationStatus,
    BatchStatus,
    CardStatus,
    CorrectionStatus,
    HonorCard,
    PrintBatch,
    RecordCorrection,
)
from honorcards.workflows import APPLICATION_FLOW, BATCH_FLOW, CARD_FLOW, CORRECTION_FLOW
from tests.honorcards.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def pairs(flow, allowed=True):
    """(action, status) for every status the table allows (or refuses) each action from."""
    return [
        (action, status)
        for action, move in flow.moves.items()
        for status in flow.statuses.values
        if (status in move.sources) == allowed
    ]


def _reviewer(world, status):
    return world.reviewer if status == ApplicationStatus.CENTRE_APPROVED else world.centre


APPLICATION_SERVICES = {
    "centre_approve": lambda w, a: services.centre_approve(application=a, actor=w.centre),
    "approve": lambda w, a: services.final_approve(application=a, actor=w.reviewer),
    "return": lambda w, a: services.return_application(
        application=a, actor=_reviewer(w, a.status), reason="缺頁"
    ),
    "resubmit": lambda w, a: services.resubmit_application(
        application=a, actor=w.officer, record_book_number="B-2"
    ),
}


def application_in(world, status):
    application = world.apply()
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


def test_every_application_action_has_a_service():
    assert set(APPLICATION_SERVICES) == set(APPLICATION_FLOW.moves)


@pytest.mark.parametrize(("action", "status"), pairs(APPLICATION_FLOW))
def test_an_allowed_application_move_succeeds_and_is_audited(world, action, status):
    application = application_in(world, status)
    before = AuditEvent.objects.count()
    APPLICATION_SERVICES[action](world, application)
    application.refresh_from_db()
    assert application.status == APPLICATION_FLOW.moves[action].target
    assert AuditEvent.objects.count() > before


@pytest.mark.parametrize(("action", "status"), pairs(APPLICATION_FLOW, allowed=False))
def test_an_application_move_the_table_refuses_changes_nothing(world, action, status):
    application = application_in(world, status)
    with pytest.raises(ValidationError):
        APPLICATION_SERVICES[action](world, application)
    application.refresh_from_db()
    assert application.status == status
    assert not HonorCard.objects.filter(application=application).exists()


CARD_SERVICES = {
    "revoke": lambda w, c: services.revoke_card(card=c, actor=w.reviewer, reason="資格不符"),
    "reissue": lambda w, c: services.reissue_card(card=c, actor=w.reviewer, reason="姓名更正"),
}


@pytest.mark.parametrize(("action", "status"), pairs(CARD_FLOW) + pairs(CARD_FLOW, allowed=False))
def test_card_moves_follow_the_table(world, action, status):
    card = world.issue()
    HonorCard.objects.filter(pk=card.pk).update(status=status)
    card.refresh_from_db()
    cards_before = HonorCard.objects.count()
    if CARD_FLOW.can(status, action):
        CARD_SERVICES[action](world, card)
        card.refresh_from_db()
        assert card.status == CARD_FLOW.moves[action].target
    else:
        with pytest.raises(ValidationError):
            CARD_SERVICES[action](world, card)
        card.refresh_from_db()
        assert card.status == status and HonorCard.objects.count() == cards_before


def test_every_card_action_has_a_service():
    assert set(CARD_SERVICES) == set(CARD_FLOW.moves)


def _batch(world, status):
    return PrintBatch.objects.create(created_by=world.reviewer, status=status, total=0)


@pytest.mark.parametrize("status", BatchStatus.values)
def test_a_batch_is_built_only_from_a_status_the_table_lets_start(world, status):
    batch = services.build_batch(_batch(world, status).pk)
    if BATCH_FLOW.can(status, "start"):
        assert batch.status == BATCH_FLOW.moves["finish"].target and batch.pdf
    else:
        assert batch.status == status and not batch.pdf


@pytest.mark.parametrize("status", BatchStatus.values)
def test_only_a_failed_batch_may_be_retried(world, status):
    batch = _batch(world, status)
    if BATCH_FLOW.can(status, "retry"):
        assert services.retry_batch(batch=batch, actor=world.reviewer).status == BatchStatus.PENDING
    else:
        with pytest.raises(ValidationError):
            services.retry_batch(batch=batch, actor=world.reviewer)
        batch.refresh_from_db()
        assert batch.status == status


CORRECTION_SERVICES = {
    "confirm": lambda w, c: corrections.confirm_correction(correction=c, actor=w.centre),
    "refuse": lambda w, c: corrections.refuse_correction(correction=c, actor=w.centre, note="紀錄無誤"),
}


@pytest.mark.parametrize(("action", "status"), pairs(CORRECTION_FLOW) + pairs(CORRECTION_FLOW, allowed=False))
def test_correction_moves_follow_the_table(world, action, status):
    card = world.issue()
    record = card.service_records.order_by("pk").first()
    hours_before = record.hours
    correction = corrections.request_correction(
        record=record, actor=world.officer, reason="誤植", hours=record.hours - 1
    )
    RecordCorrection.objects.filter(pk=correction.pk).update(status=status)
    correction.refresh_from_db()
    if CORRECTION_FLOW.can(status, action):
        CORRECTION_SERVICES[action](world, correction)
        correction.refresh_from_db()
        assert correction.status == CORRECTION_FLOW.moves[action].target
    else:
        with pytest.raises(ValidationError):
            CORRECTION_SERVICES[action](world, correction)
        correction.refresh_from_db()
        record.refresh_from_db()
        assert correction.status == status and correction.decided_at is None
        assert record.hours == hours_before


def test_every_correction_action_has_a_service():
    assert set(CORRECTION_SERVICES) == set(CORRECTION_FLOW.moves)


def test_the_statuses_the_tables_name_are_the_models():
    assert APPLICATION_FLOW.statuses is ApplicationStatus
    assert CARD_FLOW.statuses is CardStatus
    assert CORRECTION_FLOW.statuses is CorrectionStatus
