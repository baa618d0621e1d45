"""New sessions are inserted without first asking whether their random key is taken (core/sessions.py);
a taken key still never overwrites another person's session."""

from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import sessions
from core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def session_queries(queries) -> list[str]:
    return [q["sql"].split()[0].upper() for q in queries if "django_session" in q["sql"]]


def test_the_portal_keeps_sessions_in_this_store():
    assert settings.SESSION_ENGINE == "core.sessions"


def test_a_new_session_is_one_insert_and_no_select():
    store = SessionStore()
    store["donations.guest_trade_nos"] = ["GD2611301200000ABCDEF"]
    with CaptureQueriesContext(connection) as queries:
        store.save()
    assert session_queries(queries) == ["INSERT"]
    assert SessionStore(store.session_key).load() == {"donations.guest_trade_nos": ["GD2611301200000ABCDEF"]}


def test_a_taken_key_is_drawn_again_and_the_other_session_is_untouched():
    someone = SessionStore()
    someone["mine"] = "someone's"
    someone.save()
    taken, fresh = someone.session_key, "f" * 32
    store = SessionStore()
    store["mine"] = "a guest's"
    with mock.patch.object(sessions, "get_random_string", side_effect=[taken, fresh]):
        store.save()
    assert store.session_key == fresh
    assert SessionStore(taken).load() == {"mine": "someone's"}
    assert SessionStore(fresh).load() == {"mine": "a guest's"}


def test_a_guests_first_post_saves_its_session_without_a_select(client, django_user_model):
    from tests.programs.factories import ProgramFactory

    program = ProgramFactory(published=True, money_target=100000)
    page = client.get(f"/donations/give/?program={program.pk}")
    assert page.status_code == 200
    form = {
        "program": program.pk,
        "amount": 500,
        "channel": "credit",
        "donor_kind": "person",
        "donor_name": "王小明",
        "disclosure_mode": "full",
        "guest_email": "guest@example.tw",
    }
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/donations/give/", form)
    assert response.status_code == 302
    assert session_queries(queries) == ["INSERT"]
    assert client.session["donations.guest_trade_nos"]
