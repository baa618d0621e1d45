"""Sending work to the Celery workers once the change that asks for it has committed."""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def queue_after_commit(task, *args) -> None:
    """Queue ``task(*args)`` when the current transaction commits (never for a rollback).

    By then the change is made. A broker that cannot be reached must not turn the answer into an
    error: the donor would give again, the gateway would resend a payment we recorded, the officer
    would upload the file twice. The failure is logged and written down for staff beside failed
    tasks (the staff task-failure list), from where the work can be redone.
    """
    transaction.on_commit(partial(_send, task, args))


def _send(task, args) -> None:
    try:
        task.delay(*args)
    except OperationalError as exc:
        from audit.services import record_task_failure

        logger.error("could not queue task %s: %s", task.name, exc)
        record_task_failure(task_name=task.name, exception=exc)
