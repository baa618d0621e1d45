"""The waiting list moves up: when a place reopens (an accepted applicant withdraws, or the officer
raises the headcount) the earliest waiting applicants, as many as places reopened, are accepted,
put on their shifts, e-mailed and audited; races on PostgreSQL promote each place once."""

import threading

import pytest
from django.core import mail
from django.db import close_old_connections, connection
from django.urls import reverse

from audit.models import AuditEvent
from opportunities import applications, services
from opportunities.models import (
    APPLICATION_FLOW,
    Application,
    ApplicationAction,
    ApplicationStatus,
    ClosedReason,
    OpportunityStatus,
)
from tests.opportunities.factories import citizen, identity, open_opportunity, opportunity_fields
from volunteers.models import ShiftSignup, SignupStatus


def _apply(opportunity, n):
    user = citizen(email=f"p{n}@example.org", name=f"報名者{n}")
    shift = opportunity.shifts.first()
    return applications.apply(opportunity=opportunity, user=user, shifts=[shift], **identity(n))


def _full_with_waiting(capacity=1, waiting=2):
    """An opportunity whose places are taken, with ``waiting`` applicants on its list (in order)."""
    opportunity = open_opportunity(capacity=capacity)
    accepted = [_apply(opportunity, n) for n in range(capacity)]
    queue = [_apply(opportunity, 10 + n) for n in range(waiting)]
    for application in accepted:
        applications.decide(application=application, actor=opportunity.officer, action="accept")
    for application in queue:
        applications.decide(application=application, actor=opportunity.officer, action="waitlist")
    opportunity.refresh_from_db()
    return opportunity, accepted, queue


def _status(application):
    application.refresh_from_db()
    return application.status


def test_the_workflow_table_lets_the_portal_promote_only_waiting_applicants():
    assert APPLICATION_FLOW.can(ApplicationStatus.WAITLISTED, ApplicationAction.PROMOTE)
    for status in ("submitted", "accepted", "declined", "withdrawn"):
        assert not APPLICATION_FLOW.can(status, ApplicationAction.PROMOTE)


@pytest.mark.django_db
def test_a_withdrawal_promotes_the_earliest_waiting_applicant_and_tells_them(
    django_capture_on_commit_callbacks,
):
    opportunity, accepted, (first, second) = _full_with_waiting()
    assert opportunity.closed_reason == ClosedReason.FULL
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        applications.withdraw(application=accepted[0], actor=accepted[0].applicant)
    first.refresh_from_db()
    assert first.status == ApplicationStatus.ACCEPTED
    assert first.volunteer is not None and first.identity_number == ""
    assert _status(second) == ApplicationStatus.WAITLISTED
    # On the shift they chose, and the opportunity is full again (not reopened to the public).
    assert ShiftSignup.objects.filter(volunteer=first.volunteer, status=SignupStatus.SIGNED_UP).exists()
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.closed_reason) == (OpportunityStatus.CLOSED, ClosedReason.FULL)
    event = AuditEvent.objects.get(action="application.promoted")
    assert event.actor is None and event.changes["reopened_by"] == "withdrawal"
    assert event.changes["status"] == ["waitlisted", "accepted"]
    to_applicant = [m for m in mail.outbox if m.to == [first.applicant.email]]
    assert len(to_applicant) == 1 and "候補遞補" in to_applicant[0].subject
    assert any(first.applicant.name in m.body for m in mail.outbox if m.to != [first.applicant.email])
    assert not [m for m in mail.outbox if m.to == [second.applicant.email]]


@pytest.mark.django_db
def test_no_one_is_promoted_once_the_unit_has_ended_the_recruitment():
    """A place that frees after the officer closed the opportunity (not as full) stays free: neither a
    withdrawal nor a raised headcount accepts a waiting applicant the unit no longer wants."""
    opportunity = open_opportunity(capacity=2)
    accepted, waiting = _apply(opportunity, 1), _apply(opportunity, 2)
    applications.decide(application=accepted, actor=opportunity.officer, action="accept")
    applications.decide(application=waiting, actor=opportunity.officer, action="waitlist")
    services.close_opportunity(opportunity=opportunity, actor=opportunity.officer)
    applications.withdraw(application=accepted, actor=accepted.applicant)
    services.update_opportunity(opportunity=opportunity, actor=opportunity.officer, capacity=5)
    assert _status(waiting) == ApplicationStatus.WAITLISTED
    assert not AuditEvent.objects.filter(action="application.promoted").exists()
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.closed_reason) == (OpportunityStatus.CLOSED, ClosedReason.BY_UNIT)


@pytest.mark.django_db
def test_withdrawing_a_waiting_application_promotes_nobody():
    _opportunity, _accepted, (first, second) = _full_with_waiting()
    applications.withdraw(application=first, actor=first.applicant)
    assert _status(second) == ApplicationStatus.WAITLISTED
    assert not AuditEvent.objects.filter(action="application.promoted").exists()


@pytest.mark.django_db
def test_raising_the_headcount_promotes_as_many_as_places_reopened_in_order():
    opportunity, _accepted, queue = _full_with_waiting(capacity=1, waiting=3)
    services.update_opportunity(
        opportunity=opportunity, actor=opportunity.officer, **{**_fields(opportunity), "capacity": 3}
    )
    assert [_status(a) for a in queue] == ["accepted", "accepted", "waitlisted"]
    assert AuditEvent.objects.filter(action="application.promoted").count() == 2
    assert (
        AuditEvent.objects.get(
            pk=AuditEvent.objects.filter(action="application.promoted").first().pk
        ).changes["reopened_by"]
        == "capacity"
    )
    opportunity.refresh_from_db()
    assert opportunity.closed_reason == ClosedReason.FULL


@pytest.mark.django_db
def test_more_places_than_waiting_applicants_reopen_the_board():
    opportunity, _accepted, queue = _full_with_waiting(capacity=1, waiting=1)
    services.update_opportunity(
        opportunity=opportunity, actor=opportunity.officer, **{**_fields(opportunity), "capacity": 3}
    )
    assert _status(queue[0]) == ApplicationStatus.ACCEPTED
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED and opportunity.closed_reason == ""


@pytest.mark.django_db
def test_an_applicant_the_register_refuses_is_skipped_and_the_next_one_promoted():
    _opportunity, accepted, (first, second) = _full_with_waiting()
    Application.objects.filter(pk=first.pk).update(identity_number="")  # cannot be registered
    applications.withdraw(application=accepted[0], actor=accepted[0].applicant)
    assert _status(first) == ApplicationStatus.WAITLISTED
    assert _status(second) == ApplicationStatus.ACCEPTED
    assert AuditEvent.objects.filter(action="application.promotion_skipped", target_id=str(first.pk)).exists()


def _fields(opportunity):
    return {name: getattr(opportunity, name) for name in opportunity_fields()}


@pytest.mark.django_db(transaction=True)
def test_two_withdrawals_at_once_promote_two_different_waiting_applicants():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    _opportunity, accepted, queue = _full_with_waiting(capacity=2, waiting=3)
    barrier = threading.Barrier(2)
    errors = []

    def withdraw(application):
        try:
            barrier.wait()
            applications.withdraw(application=application, actor=application.applicant)
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=withdraw, args=(a,)) for a in accepted]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert [_status(a) for a in queue] == ["accepted", "accepted", "waitlisted"]
    assert Application.objects.filter(status=ApplicationStatus.ACCEPTED).count() == 2
    assert AuditEvent.objects.filter(action="application.promoted").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_while_the_officer_accepts_someone_never_overfills():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    opportunity, accepted, (_first, second) = _full_with_waiting(capacity=1, waiting=2)
    barrier = threading.Barrier(2)
    outcomes = []

    def withdraw():
        try:
            barrier.wait()
            applications.withdraw(application=accepted[0], actor=accepted[0].applicant)
            outcomes.append("withdrawn")
        finally:
            close_old_connections()

    def accept():
        try:
            barrier.wait()
            applications.decide(application=second, actor=opportunity.officer, action="accept")
            outcomes.append("accepted")
        except Exception:  # refused: the place went to the list's first
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=withdraw), threading.Thread(target=accept)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert "withdrawn" in outcomes
    assert Application.objects.filter(opportunity=opportunity, status=ApplicationStatus.ACCEPTED).count() == 1


@pytest.mark.django_db
def test_the_officer_sees_the_waiting_order_and_the_rule(client):
    opportunity, _accepted, (first, second) = _full_with_waiting()
    client.force_login(opportunity.officer)
    body = client.get(reverse("opportunities:manage_detail", args=[opportunity.pk])).content.decode()
    assert "依報名先後錄取候補者" in body
    assert body.index(first.applicant.name) < body.index("（第 1 位）") < body.index(second.applicant.name)
    assert "（第 2 位）" in body


@pytest.mark.django_db
def test_a_promoted_applicant_sees_the_portals_note_not_the_stale_waiting_list_message(client, settings):
    opportunity = open_opportunity(capacity=1)
    accepted, waiting = _apply(opportunity, 0), _apply(opportunity, 10)
    applications.decide(application=accepted, actor=opportunity.officer, action="accept")
    applications.decide(
        application=waiting, actor=opportunity.officer, action="waitlist", message="目前額滿，已列入候補。"
    )
    applications.withdraw(application=accepted, actor=accepted.applicant)
    assert _status(waiting) == ApplicationStatus.ACCEPTED
    client.force_login(waiting.applicant)
    html = client.get(reverse("opportunities:my_applications")).content.decode()
    assert "系統說明：有名額釋出，您已從候補名單遞補錄取。" in html
    assert "目前額滿" not in html and "運用單位的訊息" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("opportunities:my_applications")).content.decode()
    assert "Portal note: A place opened and you were accepted from the waiting list." in english
    assert "Message from the unit" not in english


@pytest.mark.django_db
def test_the_officers_waiting_list_message_a_promotion_replaces_is_kept_in_the_trail():
    from audit.models import AuditEvent

    opportunity = open_opportunity(capacity=1)
    accepted, waiting = _apply(opportunity, 0), _apply(opportunity, 10)
    applications.decide(application=accepted, actor=opportunity.officer, action="accept")
    applications.decide(
        application=waiting, actor=opportunity.officer, action="waitlist", message="目前額滿，已列入候補。"
    )
    applications.withdraw(application=accepted, actor=accepted.applicant)
    event = AuditEvent.objects.get(action="application.promoted", target_id=str(waiting.pk))
    assert event.changes["waitlisted_with"] == {
        "message": "目前額滿，已列入候補。",
        "decided_by": opportunity.officer.pk,
    }
