"""The volunteer workflows as data: which moves each status allows (``core.workflow``).

Every service that changes a status checks its move here; permissions ask the same tables.
"""

from django.utils.translation import gettext_lazy as _

from core.workflow import Move, Workflow

from .models import ImportStatus, PlanStatus, ServiceRecordStatus, SignupStatus

P = PlanStatus

# A unit's service plan (備案): the volunteer centre reviews first, the competent bureau second;
# either review may return it, and the unit edits and files it again.
PLAN_FLOW = Workflow(
    PlanStatus,
    {
        "submit": Move({P.DRAFT, P.RETURNED}, P.SUBMITTED, _("送出備案")),
        "approve_first": Move({P.SUBMITTED}, P.CENTRE_APPROVED, _("初審通過")),
        "approve_second": Move({P.CENTRE_APPROVED}, P.APPROVED, _("複審核備")),
        "return": Move({P.SUBMITTED, P.CENTRE_APPROVED}, P.RETURNED, _("退回補正")),
    },
)

# The statuses in which the unit may still edit its plan: those it may file from.
PLAN_EDITABLE = PLAN_FLOW.moves["submit"].sources


def plan_stage(plan) -> str:
    """The review a plan under review waits for: "first" (the centre) or "second" (the bureau)."""
    return "first" if PLAN_FLOW.can(plan.status, "approve_first") else "second"


# A service record is certified by its unit once; after that only a correction (with a reason)
# changes it.
SERVICE_RECORD_FLOW = Workflow(
    ServiceRecordStatus,
    {"certify": Move({ServiceRecordStatus.RECORDED}, ServiceRecordStatus.CERTIFIED, _("認證"))},
)

# A place on a shift: cancelled, and taken again.
SIGNUP_FLOW = Workflow(
    SignupStatus,
    {
        "cancel": Move({SignupStatus.SIGNED_UP}, SignupStatus.CANCELLED, _("取消報名")),
        "sign_up_again": Move({SignupStatus.CANCELLED}, SignupStatus.SIGNED_UP, _("重新報名")),
    },
)

IS = ImportStatus
# Statuses in which an import's worker is (or should be) at work.
IMPORT_RUNNING = frozenset({IS.PENDING, IS.VALIDATING, IS.IMPORTING})

# An uploaded file: checked whole, then imported whole, or refused. A redelivered message may start
# a running batch again; only a finished one is left alone. A batch whose worker died (marked
# failed as stalled) may be retried from the start.
IMPORT_FLOW = Workflow(
    ImportStatus,
    {
        "validate": Move(IMPORT_RUNNING, IS.VALIDATING, _("檢查")),
        "import": Move({IS.VALIDATING}, IS.IMPORTING, _("匯入")),
        "finish": Move(IMPORT_RUNNING, IS.DONE, _("完成匯入")),
        "fail": Move(IMPORT_RUNNING, IS.FAILED, _("標示未匯入")),
        "retry": Move({IS.FAILED}, IS.PENDING, _("重試")),
    },
)
