"""Thin Celery tasks: they take ids and call the services."""

from celery import shared_task

from . import services
from .models import HonorCard


@shared_task
def render_card_pdf(card_id: int) -> str:
    card = HonorCard.objects.select_related("volunteer").get(pk=card_id)
    services.store_card_pdf(card)
    return card.number


@shared_task
def build_print_batch(batch_id: int) -> int:
    return services.build_batch(batch_id).pk


@shared_task
def send_expiry_reminders() -> int:
    return services.send_expiry_reminders()
