"""Thin Celery tasks: they call the services (beat schedules them in config/settings.py)."""

from celery import shared_task


@shared_task
def close_past_opportunities() -> int:
    from .services import close_past_opportunities as close

    return close()


@shared_task
def send_shift_reminders() -> int:
    from .applications import send_shift_reminders as send

    return send()


@shared_task
def decline_undecided_applications() -> int:
    from .ending import decline_undecided_applications as decline

    return decline()
