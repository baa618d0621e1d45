"""The programs' and offers' allowed moves, as tables (core.workflow): services advance through them,
permissions and templates ask them, so no module restates which status allows what."""

from django.utils.translation import gettext_lazy as _

from core.workflow import Move, Workflow

from .models import OfferStatus, ProgramStatus

PROGRAM_FLOW = Workflow(
    ProgramStatus,
    {
        "submit": Move({ProgramStatus.DRAFT, ProgramStatus.RETURNED}, ProgramStatus.SUBMITTED, _("送審")),
        "approve": Move({ProgramStatus.SUBMITTED}, ProgramStatus.PUBLISHED, _("核准公開")),
        "return": Move({ProgramStatus.SUBMITTED}, ProgramStatus.RETURNED, _("退回修正")),
        "close": Move({ProgramStatus.PUBLISHED}, ProgramStatus.CLOSED, _("結案")),
    },
)

_DECIDED = {OfferStatus.ACCEPTED, OfferStatus.PARTLY_ACCEPTED}

OFFER_FLOW = Workflow(
    OfferStatus,
    {
        "accept": Move({OfferStatus.PENDING}, OfferStatus.ACCEPTED, _("接受")),
        "accept_part": Move({OfferStatus.PENDING}, OfferStatus.PARTLY_ACCEPTED, _("部分接受")),
        "decline": Move({OfferStatus.PENDING}, OfferStatus.DECLINED, _("婉拒")),
        "withdraw": Move({OfferStatus.PENDING}, OfferStatus.WITHDRAWN, _("撤回")),
        "deliver": Move(_DECIDED, OfferStatus.DELIVERED, _("登記送達")),
        # A service is carried out in sessions: each one recorded keeps (or makes) it delivered.
        "serve": Move(_DECIDED | {OfferStatus.DELIVERED}, OfferStatus.DELIVERED, _("登錄服務紀錄")),
        "receive": Move({OfferStatus.DELIVERED}, OfferStatus.RECEIVED, _("驗收")),
    },
)
