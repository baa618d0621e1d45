"""The allowed moves of a team match, as data (core.workflow): each service checks its move."""

from django.utils.translation import gettext_lazy as _

from core.workflow import Move, Workflow

from .models import MatchStatus

S = MatchStatus
MATCH_FLOW = Workflow(
    MatchStatus,
    {
        "accept": Move({S.PROPOSED}, S.ACCEPTED, _("同意媒合")),
        "decline": Move({S.PROPOSED}, S.DECLINED, _("婉拒媒合")),
        # Enrolling again adds members who were not on the shift yet.
        "enrol": Move({S.ACCEPTED, S.ENROLLED}, S.ENROLLED, _("排班")),
        "cancel": Move({S.PROPOSED, S.ACCEPTED}, S.CANCELLED, _("取消媒合")),
    },
)
