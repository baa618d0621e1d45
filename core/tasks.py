"""Core's scheduled tasks."""

from celery import shared_task


@shared_task
def mark_stalled_jobs() -> int:
    """Beat, every 5 minutes: jobs whose worker died are marked failed (core/jobs.py)."""
    from .jobs import mark_stalled_jobs as mark

    return mark()
