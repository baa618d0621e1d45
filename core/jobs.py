"""Jobs whose worker dies are noticed.

Long jobs (volunteer imports, honor-card PDF batches) record a heartbeat as they make progress. A
worker that is killed stops the heartbeat; its message is only redelivered by Redis after the
visibility timeout (set to fit the longest job, see CELERY_BROKER_TRANSPORT_OPTIONS), so without
this the job would show "checking 0/0" for good. `mark_stalled_jobs` (beat, every few minutes)
marks a running job with no heartbeat for JOB_STALLED_SECONDS, or a queued job never started
within JOB_QUEUED_SECONDS, as failed with a clear message; its page then offers "try again".
Every job is safe to run twice (a redelivered message after a retry): see each job's service.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

STALLED_MESSAGE = gettext_noop(
    "處理中斷：負責的背景程序停止回應（可能已重新啟動），這批資料沒有任何變更。請按「重試」再處理一次。"
)


@dataclass(frozen=True)
class JobKind:
    model: str  # "app_label.Model"
    queued: str  # the status of a job waiting for a worker
    running: tuple[str, ...]  # statuses of a job a worker is on
    fail: callable  # (queryset, message, now) -> number of jobs marked


def _fail_import(queryset, message, now):
    return queryset.update(
        status="failed",
        errors=[{"row": None, "column": "", "message": message, "stalled": True}],
        finished_at=now,
    )


def _fail_print_batch(queryset, message, now):
    return queryset.update(status="failed", error=message[:255], finished_at=now)


JOB_KINDS = [
    JobKind("volunteers.ImportBatch", "pending", ("validating", "importing"), _fail_import),
    JobKind("honorcards.PrintBatch", "pending", ("running",), _fail_print_batch),
]


def mark_stalled_jobs(now: datetime.datetime | None = None) -> int:
    """Mark jobs that stopped making progress as failed; returns how many."""
    now = now or timezone.now()
    stalled_before = now - datetime.timedelta(seconds=settings.JOB_STALLED_SECONDS)
    queued_before = now - datetime.timedelta(seconds=settings.JOB_QUEUED_SECONDS)
    marked = 0
    for kind in JOB_KINDS:
        model = apps.get_model(kind.model)
        last_sign = Coalesce("heartbeat_at", "created_at")
        stalled = model.objects.alias(last_sign=last_sign).filter(
            Q(status__in=kind.running, last_sign__lt=stalled_before)
            | Q(status=kind.queued, last_sign__lt=queued_before)
        )
        marked += kind.fail(stalled, STALLED_MESSAGE, now)
    return marked
