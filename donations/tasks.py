from celery import shared_task

from . import services


@shared_task
def expire_overdue_vouchers() -> dict:
    """Beat job: vouchers past their expiry, asked at the gateway and recorded paid or closed."""
    return services.expire_overdue_vouchers()
