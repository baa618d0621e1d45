from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_closing_reports_task(program_id: int) -> int:
    from .closing import send_closing_reports

    return send_closing_reports(program_id)
