"""A data request's allowed move (core.workflow): an open request is handled once."""

from django.utils.translation import gettext_lazy as _

from core.workflow import Move, Workflow

from .models import RequestStatus

REQUEST_FLOW = Workflow(
    RequestStatus,
    {"handle": Move({RequestStatus.OPEN}, RequestStatus.DONE, _("處理"))},
)
