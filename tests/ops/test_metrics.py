"""/metrics: for site administrators or a scraper's token, never the public; request rate and
latency by view, queue length, task failures, payment notifications by verdict. Request ids."""

import io
import json
import logging

import pytest
from prometheus_client import REGISTRY

from accounts.roles import Role
from audit.services import record_task_failure
from config.celery import app as celery_app
from core.logging import JsonFormatter
from donations.models import PaymentNotification
from ops.requestid import RequestIdFilter
from tests.conftest import redis_answers

pytestmark = pytest.mark.django_db
TOKEN = "metrics-token-" + "m" * 40


@pytest.fixture
def scraper(settings):
    settings.METRICS_TOKEN = TOKEN
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def test_the_public_and_other_roles_do_not_find_the_metrics(client, make_user, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client.force_login(make_user(Role.CASEWORKER))
    assert client.get("/metrics").status_code == 404


def test_no_token_configured_means_no_token_opens_it(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_a_site_administrator_reads_the_metrics(client, make_user):
    client.force_login(make_user(Role.SITE_ADMIN))
    page = client.get("/metrics")
    assert page.status_code == 200
    assert "goodday_http_requests_total" in page.content.decode()


def test_a_scraper_inside_the_network_is_answered_over_plain_http_at_any_address(client, scraper, settings):
    """Production settings: HTTPS redirect on, one public host name; the scraper asks a replica."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["goodday.example.gov.tw"]
    page = client.get("/metrics", HTTP_HOST="10.0.3.7:8000", **scraper)
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/plain")


def test_requests_are_counted_and_timed_by_view(client, scraper):
    # Counted by the answer's status: 200, or 503 where the shape's Redis does not answer.
    status = str(client.get("/healthz").status_code)
    labels = {"view": "healthz", "method": "GET", "status": status}
    before = REGISTRY.get_sample_value("goodday_http_requests_total", labels) or 0
    client.get("/healthz")
    client.get("/healthz")
    assert REGISTRY.get_sample_value("goodday_http_requests_total", labels) == before + 2
    assert REGISTRY.get_sample_value("goodday_http_request_duration_seconds_count", {"view": "healthz"}) >= 2
    client.get("/no-such-page-1/")
    client.get("/no-such-page-2/")
    text = client.get("/metrics", **scraper).content.decode()
    assert 'view="unresolved"' in text  # unknown URLs share one label
    assert "no-such-page" not in text


def test_payment_notifications_by_verdict_and_task_failures_are_reported(client, scraper):
    for verdict in ("recorded", "recorded", "rejected"):
        PaymentNotification.objects.create(endpoint="notify", params={}, verdict=verdict)
    record_task_failure(task_name="emails.send", exception=RuntimeError("smtp down"))
    text = client.get("/metrics", **scraper).content.decode()
    assert 'goodday_payment_notifications_total{verdict="recorded"} 2.0' in text
    assert 'goodday_payment_notifications_total{verdict="rejected"} 1.0' in text
    assert 'goodday_payment_notifications_total{verdict="repeat"} 0.0' in text
    assert "goodday_celery_task_failures_total 1.0" in text
    assert "goodday_celery_task_failures_unresolved 1.0" in text


def test_the_queue_length_is_read_from_the_broker(client, scraper, settings):
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs the Redis broker (REDIS_URL)")
    if not redis_answers(settings.CELERY_BROKER_URL):
        pytest.skip("needs a Redis broker and none answers at REDIS_URL")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    queue = celery_app.conf.task_default_queue
    with celery_app.connection_for_write() as conn:
        conn.default_channel.client.delete(queue)
        for _ in range(3):
            celery_app.send_task("ops.tests.never_run", connection=conn)
        try:
            text = client.get("/metrics", **scraper).content.decode()
        finally:
            conn.default_channel.client.delete(queue)
    assert f'goodday_celery_queue_length{{queue="{queue}"}} 3.0' in text


def test_the_proxys_request_id_is_returned_and_a_bad_one_replaced(client):
    rid = "0123456789abcdef0123456789abcdef"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=rid)["X-Request-ID"] == rid
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 32


def test_log_lines_of_a_request_carry_its_request_id(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/no-such-page/", HTTP_X_REQUEST_ID="feedfacefeedfacefeedfacefeedface")
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["message"].startswith("Not Found")
    assert line["request_id"] == "feedfacefeedfacefeedfacefeedface"
