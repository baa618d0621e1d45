"""Writes for honor cards, one module per job: the application's path (``applications``), issued
cards (``cards``), print batches (``batches``) and e-mail (``notifications``). Each step runs in a
transaction, locks what two people can race for, checks its move in ``honorcards.workflows``, and
is audited. Everything is importable from here (``from honorcards import services``)."""

from .applications import (
    ReviewOutcome,
    centre_approve,
    final_approve,
    photo_on_file,
    resubmit_application,
    return_application,
    review_application,
    submit_application,
    submit_many,
)
from .batches import build_batch, create_print_batch, retry_batch
from .cards import new_card, next_card_number, queue_pdf, reissue_card, revoke_card, store_card_pdf
from .notifications import send_expiry_reminders

__all__ = [
    "ReviewOutcome",
    "build_batch",
    "centre_approve",
    "create_print_batch",
    "final_approve",
    "new_card",
    "next_card_number",
    "photo_on_file",
    "queue_pdf",
    "reissue_card",
    "resubmit_application",
    "retry_batch",
    "return_application",
    "review_application",
    "revoke_card",
    "send_expiry_reminders",
    "store_card_pdf",
    "submit_application",
    "submit_many",
]
