from celery import shared_task

from .retention import anonymise_expired


@shared_task
def anonymise_expired_personal_data() -> dict:
    return anonymise_expired()
