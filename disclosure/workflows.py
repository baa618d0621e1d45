"""Spending's allowed moves (core.workflow). A published month has no status to move: each change
to it is a new frozen version (``MonthlyReport``), so versions need no table."""

from django.utils.translation import gettext_lazy as _

from core.workflow import Move, Workflow

from .models import SpendingStatus

SPENDING_FLOW = Workflow(
    SpendingStatus,
    {
        "approve": Move({SpendingStatus.RECORDED}, SpendingStatus.APPROVED, _("核定")),
        "return": Move({SpendingStatus.RECORDED}, SpendingStatus.RETURNED, _("退回")),
    },
)
