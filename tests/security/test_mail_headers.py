"""E-mail subjects built from what people typed (an event's, a program's title) stay one line: a
title with CR/LF from a crafted form neither adds a header (Bcc) nor makes the mail library refuse
the whole message (BadHeaderError), which would leave every recipient without it."""

import pytest
from django.core import mail

from core.notify import send_email_task, subject_line
from largeevents import services
from tests.largeevents import test_plans
from tests.largeevents.test_plans import fields

pytestmark = pytest.mark.django_db
world = test_plans.world  # the large events' fixture

INJECTED = "臺北馬拉松\r\nBcc: attacker@example.org\n\tX-Extra: 1"


def test_a_subject_with_line_breaks_is_sent_on_one_line_to_its_recipient_only():
    assert send_email_task(["reviewer@example.org"], INJECTED, "內文", "zh-hant") == 1
    (message,) = mail.outbox
    raw = message.message().as_string()
    assert message.subject == "[好日子] 臺北馬拉松 Bcc: attacker@example.org X-Extra: 1"
    assert message.recipients() == ["reviewer@example.org"]
    assert "\nBcc:" not in raw and "\nX-Extra:" not in raw
    assert subject_line("a\u2028b\x0bc") == "[好日子] a b c"


def test_an_event_title_typed_with_line_breaks_still_reaches_the_reviewing_bureau(
    world, django_capture_on_commit_callbacks
):
    """Through the officer's own event form (a CharField keeps inner line breaks) to the plan's
    e-mail to the competent bureau."""
    event = world["event"]
    event.title = INJECTED  # as the event form would store it
    event.save(update_fields=["title"])
    plan = services.create_plan(actor=world["officer"], event=event, **fields(world))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_plan(plan=plan, actor=world["officer"])
    sent = [m for m in mail.outbox if world["reviewer"].email in m.to]
    assert len(sent) == 1
    assert "\n" not in sent[0].subject and "\r" not in sent[0].subject
    assert sent[0].recipients() == [world["reviewer"].email]
    sent[0].message()  # renders without BadHeaderError


def test_the_event_form_keeps_line_breaks_inside_a_title():
    """Why the subject must be made one line: the form does not do it."""
    from volunteers.events.forms import EventForm

    field = EventForm.base_fields["title"]
    assert "\r\n" in field.clean("a\r\nb")
