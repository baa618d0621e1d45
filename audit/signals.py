"""Celery task failures are written down for staff instead of vanishing into a worker's log."""

from celery.signals import task_failure

from .services import record_task_failure


@task_failure.connect
def on_task_failure(sender=None, task_id=None, exception=None, einfo=None, **kwargs):
    record_task_failure(
        task_name=getattr(sender, "name", str(sender)),
        task_id=task_id or "",
        exception=exception,
        trace=str(einfo) if einfo else "",
    )
