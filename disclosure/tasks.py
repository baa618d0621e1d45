from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def build_previous_month_report() -> str:
    """Beat, on the 1st (Taiwan time): publish the month before."""
    today = timezone.localdate()
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    report, created = services.build_report(year, month)
    return f"{year}-{month:02d} v{report.version} {'published' if created else 'unchanged'}"
