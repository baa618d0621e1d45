"""Celery task failures are written down for staff instead of vanishing into a worker's log."""

import logging
import traceback as tb

from celery.signals import task_failure

from core.logging import redact

logger = logging.getLogger(__name__)


@task_failure.connect
def record_task_failure(sender=None, task_id=None, exception=None, einfo=None, **kwargs):
    from .models import TaskFailure

    name = getattr(sender, "name", str(sender))
    trace = str(einfo) if einfo else "".join(tb.format_exception(exception))
    try:
        TaskFailure.objects.create(
            task_name=name[:200],
            task_id=(task_id or "")[:64],
            exception=redact(f"{type(exception).__name__}: {exception}")[:2000],
            traceback=redact(trace)[-20000:],
        )
    except Exception:  # the database may be what failed; the log still has it
        logger.exception("could not record the failure of task %s", name)
