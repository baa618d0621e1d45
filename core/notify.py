"""E-mail to the people a change concerns, sent by a Celery task after the transaction commits."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from core.queueing import queue_after_commit


def send_notification(recipients, subject: str, template_name: str, context: dict) -> None:
    """Queue one e-mail per recipient once the current transaction commits (never for a rollback)."""
    addresses = sorted({r for r in recipients if r})
    if not addresses:
        return
    body = render_to_string(template_name, {"SITE_URL": settings.SITE_URL, **context})
    queue_after_commit(send_email_task, addresses, subject, body)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email_task(addresses: list[str], subject: str, body: str) -> int:
    return send_mail(f"[好日子] {subject}", body, settings.DEFAULT_FROM_EMAIL, addresses)
