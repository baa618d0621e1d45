"""Prometheus metrics at /metrics, for site administrators or a scraper sending ``Authorization: Bearer METRICS_TOKEN``.

Request rate and latency by view are counted in each process; under gunicorn set
PROMETHEUS_MULTIPROC_DIR (compose does) so every worker's counts are added up. The rest is read
when scraped, so it is the same whichever replica answers: the Celery queue's length from the
broker, task failures and payment notifications by verdict from the database.
"""

import hmac
import logging
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "goodday_http_requests",
    "HTTP requests answered, by view, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "goodday_http_request_duration_seconds",
    "Time to answer an HTTP request, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def observe_request(method: str, view: str, status: int, seconds: float) -> None:
    view = view or "unresolved"  # 404s and requests that never reached a view: one label, not one per URL
    REQUESTS.labels(view, method if method in _METHODS else "other", str(status)).inc()
    LATENCY.labels(view).observe(seconds)


def scraper_token_ok(request) -> bool:
    expected = settings.METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "")
    return bool(expected) and hmac.compare_digest(given.encode(), f"Bearer {expected}".encode())


def metrics_view(request):
    """For site administrators (a scraper's token is checked earlier, in the middleware); to anyone
    else it does not exist."""
    from .permissions import can_read_metrics

    if not can_read_metrics(request.user):
        raise Http404
    return metrics_response()


def metrics_response() -> HttpResponse:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    scraped = CollectorRegistry()
    scraped.register(ScrapeTimeCollector())
    return HttpResponse(body + generate_latest(scraped), content_type=CONTENT_TYPE_LATEST)


class ScrapeTimeCollector:
    """Figures read when scraped. One that cannot be read is left out (and logged), never a 500."""

    def collect(self):
        for read in (_queue_length, _task_failures, _payment_notifications):
            try:
                yield from read()
            except Exception:
                logger.exception("metrics: could not read %s", read.__name__)


def _queue_length():
    from config.celery import app

    family = GaugeMetricFamily(
        "goodday_celery_queue_length",
        "Tasks waiting in the broker's queue (not yet taken by a worker).",
        labels=["queue"],
    )
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    queue = app.conf.task_default_queue
    with app.connection_for_read() as conn:
        client = conn.default_channel.client
        # kombu's Redis transport keeps each priority step in a list of its own beside the queue's.
        names = [queue, *(f"{queue}\x06\x16{step}" for step in range(1, 10))]
        family.add_metric([queue], sum(client.llen(name) for name in names))
    yield family


def _task_failures():
    from audit.models import TaskFailure

    total = CounterMetricFamily(
        "goodday_celery_task_failures", "Background tasks that failed (recorded for staff)."
    )
    total.add_metric([], TaskFailure.objects.count())
    yield total
    open_ = GaugeMetricFamily(
        "goodday_celery_task_failures_unresolved", "Failed background tasks staff have not marked as handled."
    )
    open_.add_metric([], TaskFailure.objects.filter(resolved_at__isnull=True).count())
    yield open_


def _payment_notifications():
    from django.db.models import Count

    from donations.models import NotificationVerdict, PaymentNotification

    family = CounterMetricFamily(
        "goodday_payment_notifications",
        "Payment notifications received from the gateway, by verdict.",
        labels=["verdict"],
    )
    counts = dict(PaymentNotification.objects.values_list("verdict").annotate(n=Count("id")).order_by())
    for verdict in NotificationVerdict.values:
        family.add_metric([verdict], counts.get(verdict, 0))
    yield family
