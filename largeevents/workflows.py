"""A large event's volunteer plan: its statuses' allowed moves, checked by one service each."""

from django.utils.translation import gettext_lazy as _

from core.workflow import Move, Workflow

from .models import LargeEventPlanStatus as S

PLAN_FLOW = Workflow(
    S,
    {
        "submit": Move({S.DRAFT, S.RETURNED}, S.SUBMITTED, _("送出審查")),
        "approve": Move({S.SUBMITTED}, S.APPROVED, _("審查通過")),
        "return": Move({S.SUBMITTED}, S.RETURNED, _("退回補正")),
        "withdraw": Move({S.DRAFT, S.SUBMITTED, S.RETURNED}, S.WITHDRAWN, _("撤回")),
    },
)
EDITABLE = {S.DRAFT, S.RETURNED}
