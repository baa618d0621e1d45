"""The honor-card workflows as data: which moves each status allows (``core.workflow``).

Every service that changes a status checks its move here (``FLOW.can`` for the zh-Hant refusal the
pages show, then ``FLOW.advance``); permissions and pages ask the same tables.
"""

from django.utils.translation import gettext_lazy as _

from core.workflow import Move, Workflow

from .models import ApplicationStatus, BatchStatus, CardStatus, CorrectionStatus

A = ApplicationStatus

# A unit's application: the volunteer centre reviews first, the bureau second and issues the card;
# either review may return it to the unit, which corrects and resubmits it.
APPLICATION_FLOW = Workflow(
    ApplicationStatus,
    {
        "centre_approve": Move({A.SUBMITTED}, A.CENTRE_APPROVED, _("初審通過")),
        "approve": Move({A.CENTRE_APPROVED}, A.APPROVED, _("複審核發")),
        "return": Move({A.SUBMITTED, A.CENTRE_APPROVED}, A.RETURNED, _("退回補正")),
        "resubmit": Move({A.RETURNED}, A.SUBMITTED, _("補正後重新送出")),
    },
)

# The approval each open status waits for: the review step a reviewer's "approve" means.
REVIEW_STEP = {A.SUBMITTED: "centre_approve", A.CENTRE_APPROVED: "approve"}

# An issued card: revoked, or replaced by a reissued card. "Expired" is not stored: a valid card
# past its expiry date (``HonorCard.state_on``).
CARD_FLOW = Workflow(
    CardStatus,
    {
        "revoke": Move({CardStatus.VALID}, CardStatus.REVOKED, _("註銷")),
        "reissue": Move({CardStatus.VALID}, CardStatus.REPLACED, _("換發")),
    },
)

# A print batch built by a worker. A redelivered message may start a running batch again; a failed
# one (rendering failed, or its worker died) may be retried.
BATCH_FLOW = Workflow(
    BatchStatus,
    {
        "start": Move({BatchStatus.PENDING, BatchStatus.RUNNING}, BatchStatus.RUNNING, _("開始製作")),
        "finish": Move({BatchStatus.RUNNING}, BatchStatus.DONE, _("完成")),
        "fail": Move({BatchStatus.PENDING, BatchStatus.RUNNING}, BatchStatus.FAILED, _("標示失敗")),
        "retry": Move({BatchStatus.FAILED}, BatchStatus.PENDING, _("重試")),
    },
)

# A correction of a record a card counted: the volunteer centre confirms or refuses it, once.
CORRECTION_FLOW = Workflow(
    CorrectionStatus,
    {
        "confirm": Move({CorrectionStatus.PENDING}, CorrectionStatus.CONFIRMED, _("確認更正")),
        "refuse": Move({CorrectionStatus.PENDING}, CorrectionStatus.REFUSED, _("不同意更正")),
    },
)
