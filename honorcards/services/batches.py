"""Print batches: many cards as one PDF built by a worker (moves of ``BATCH_FLOW``)."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from core.queueing import queue_after_commit

from ..models import BatchStatus, PrintBatch
from ..pdf import render_cards
from ..workflows import BATCH_FLOW


@transaction.atomic
def create_print_batch(*, cards, actor, unit=None) -> PrintBatch:
    cards = list(cards)
    if not cards:
        raise ValidationError(_("請至少勾選一張卡。"), code="empty")
    batch = PrintBatch.objects.create(unit=unit, created_by=actor, total=len(cards))
    batch.cards.set(cards)
    record_event(
        actor=actor,
        action="honorcard.batch_print",
        target=batch,
        changes={"cards": [c.number for c in cards]},
        organisation=unit.organisation if unit else None,
    )
    from ..tasks import build_print_batch  # here, not above: the tasks module imports the services

    queue_after_commit(build_print_batch, batch.pk)
    return batch


def build_batch(batch_id: int) -> PrintBatch:
    batch = PrintBatch.objects.get(pk=batch_id)
    if not BATCH_FLOW.can(batch.status, "start"):
        return batch  # a redelivered message after another run finished it (or it was marked stalled)
    # Safe to run twice: the PDF is rebuilt from the cards and saved under the batch's own name.
    PrintBatch.objects.filter(pk=batch.pk).update(
        status=BATCH_FLOW.target(batch.status, "start"), done=0, heartbeat_at=timezone.now()
    )
    cards = batch.cards.select_related("volunteer").order_by("number")

    def progress(n):
        PrintBatch.objects.filter(pk=batch.pk).update(done=n, heartbeat_at=timezone.now())

    try:
        data = render_cards(cards, progress=progress)
    except Exception as exc:
        PrintBatch.objects.filter(pk=batch.pk).update(
            status=BATCH_FLOW.target(BatchStatus.RUNNING, "fail"), error=str(exc)[:255]
        )
        raise
    batch.pdf.save(f"batch-{batch.pk}.pdf", ContentFile(data), save=False)
    PrintBatch.objects.filter(pk=batch.pk).update(
        pdf=batch.pdf.name,
        status=BATCH_FLOW.target(BatchStatus.RUNNING, "finish"),
        done=batch.total,
        finished_at=timezone.now(),
    )
    batch.refresh_from_db()
    return batch


def retry_batch(*, batch: PrintBatch, actor) -> PrintBatch:
    """Build a failed batch again (its worker died, or rendering failed)."""
    from ..tasks import build_print_batch  # here, not above: the tasks module imports the services

    with transaction.atomic():
        batch = PrintBatch.objects.select_for_update().get(pk=batch.pk)
        if not BATCH_FLOW.can(batch.status, "retry"):
            raise ValidationError(_("只有失敗的批次可以重試。"))
        PrintBatch.objects.filter(pk=batch.pk).update(
            status=BATCH_FLOW.target(batch.status, "retry"),
            done=0,
            error="",
            finished_at=None,
            heartbeat_at=timezone.now(),
        )
        record_event(
            actor=actor, action="honorcard.batch_retried", target=batch, changes={"total": batch.total}
        )
        queue_after_commit(build_print_batch, batch.pk)
    batch.refresh_from_db()
    return batch
