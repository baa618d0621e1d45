"""A fuzz run of the public API with schemathesis against our own OpenAPI schema: whatever it
generates (valid and invalid ids, dates, bodies, with and without a unit's key), no answer is a 500.

The app is called in-process (WSGI), inside the test's database transaction.
"""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def api_world(db, make_user):
    """Published disclosure months, a unit with a volunteer and an API key (when those apps offer them)."""
    from disclosure.services import build_report

    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    build_report(last_month.year, last_month.month)
    headers = {}
    try:
        from tests.volunteers.factories import ServiceRecordFactory, UnitFactory, member_of, officer_of
        from volunteers.api.auth import issue_token
    except ImportError:
        return headers
    unit = UnitFactory(approved=True)
    volunteer = member_of(unit)
    ServiceRecordFactory(volunteer=volunteer, unit=unit)
    _, key = issue_token(unit=unit, actor=officer_of(unit), name="fuzz")
    headers["Authorization"] = f"Token {key}"
    return headers


@pytest.fixture
def in_process_requests():
    """Like Django's test client: requests must not close the test's connection when they finish."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_generated_request_makes_the_api_fail(case, api_world, in_process_requests):
    # Never a 500, and every answer is one the published schema describes (its 400s and 404s too).
    case.call_and_validate(
        headers=api_world,
        checks=[schemathesis.checks.not_a_server_error, schemathesis.checks.status_code_conformance],
    )
