"""Celery tasks of volunteer records: thin, they take ids."""

from celery import shared_task


@shared_task(acks_late=True)
def run_import(batch_id: int) -> None:
    """Validate and import an uploaded file (volunteers.imports.services.run_import)."""
    from .imports.services import run_import as run  # here: the import services queue this task

    run(batch_id)


@shared_task
def refresh_city_statistics() -> None:
    """Beat, every 10 minutes: the city's volunteer statistics for this year, computed ahead of the
    centre's visit (several seconds at Taipei's size; volunteers.statistics.selectors)."""
    from .statistics.selectors import refresh_city_statistics as refresh

    refresh()
