"""Applications still undecided when their opportunity has ended are declined by the daily task,
with the reason, e-mailed once, audited; a second run changes and sends nothing."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from opportunities import applications, ending, tasks
from opportunities.models import APPLICATION_FLOW, ApplicationAction, ApplicationStatus
from tests.opportunities.factories import citizen, identity, open_opportunity

pytestmark = pytest.mark.django_db


def _apply(opportunity, n):
    user = citizen(email=f"e{n}@example.org")
    return applications.apply(opportunity=opportunity, user=user, **identity(n))


def _status(application):
    application.refresh_from_db()
    return application.status


def test_the_workflow_table_lets_only_undecided_applications_expire():
    assert APPLICATION_FLOW.target("submitted", ApplicationAction.EXPIRE) == "declined"
    assert APPLICATION_FLOW.target("waitlisted", ApplicationAction.EXPIRE) == "declined"
    for status in ("accepted", "declined", "withdrawn"):
        assert not APPLICATION_FLOW.can(status, ApplicationAction.EXPIRE)


def test_undecided_applications_are_declined_once_the_opportunity_has_ended(
    django_capture_on_commit_callbacks,
):
    opportunity = open_opportunity(capacity=3)
    pending, waiting, taken = (_apply(opportunity, n) for n in range(3))
    applications.decide(application=waiting, actor=opportunity.officer, action="waitlist")
    applications.decide(application=taken, actor=opportunity.officer, action="accept")
    after = opportunity.ends_on + datetime.timedelta(days=1)
    assert ending.decline_undecided_applications(today=opportunity.ends_on) == 0  # not ended yet
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert ending.decline_undecided_applications(today=after) == 2
    for application in (pending, waiting):
        application.refresh_from_db()
        assert application.status == ApplicationStatus.DECLINED
        assert "招募期間已結束" in application.decision_message
        assert application.identity_number == "" and application.decided_by is None
    assert _status(taken) == ApplicationStatus.ACCEPTED
    assert sorted(m.to[0] for m in mail.outbox) == ["e0@example.org", "e1@example.org"]
    assert all("志工招募已結束" in m.subject for m in mail.outbox)
    events = AuditEvent.objects.filter(action="application.expired")
    assert events.count() == 2 and all(e.actor is None for e in events)
    # Idempotent: nothing more to decline, nothing more sent.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert ending.decline_undecided_applications(today=after) == 0
    assert mail.outbox == [] and events.count() == 2


def test_the_task_is_on_the_beat_schedule_and_runs_the_service():
    entry = settings.CELERY_BEAT_SCHEDULE["decline-undecided-applications"]
    assert entry["task"] == "opportunities.tasks.decline_undecided_applications"
    assert entry["task"] == tasks.decline_undecided_applications.name
    opportunity = open_opportunity(capacity=1)
    application = _apply(opportunity, 1)
    assert tasks.decline_undecided_applications() == 0  # not ended: the real "today"
    assert _status(application) == ApplicationStatus.SUBMITTED


def _my_applications(client, user):
    client.force_login(user)
    return client.get(reverse("opportunities:my_applications")).content.decode()


def test_the_portals_own_reason_is_shown_as_a_portal_note_not_as_the_units_message(client):
    opportunity = open_opportunity()
    application = _apply(opportunity, 0)
    ending.decline_undecided_applications(today=opportunity.ends_on + datetime.timedelta(days=1))
    html = _my_applications(client, application.applicant)
    assert "系統說明：招募期間已結束，這次未能錄取。" in html
    assert "運用單位的訊息" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _my_applications(client, application.applicant)
    assert "Portal note: The opportunity has ended" in english
    assert "Message from the unit" not in english


def test_an_officers_message_is_shown_under_the_units_heading(client):
    opportunity = open_opportunity()
    application = _apply(opportunity, 0)
    applications.decide(
        application=application, actor=opportunity.officer, action="decline", message="本次需要有駕照的志工。"
    )
    html = _my_applications(client, application.applicant)
    assert "運用單位的訊息：本次需要有駕照的志工。" in html
    assert "系統說明" not in html
