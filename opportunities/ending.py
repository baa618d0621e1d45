"""When an opportunity has ended (its last day has gone), the applications nobody decided on —
still submitted or waiting — are declined with the reason "the opportunity has ended"
(``ApplicationAction.EXPIRE``), each applicant e-mailed once, each decline audited.

Run daily by beat (``opportunities.tasks.decline_undecided_applications``; under ``make run`` the
embedded worker's beat runs it too). Idempotent: a declined application is no longer undecided, so
a second run (or two runs at once: the opportunity's row is locked, then its applications are
read again) finds nothing and sends nothing.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from audit.services import record_event
from core.language import in_record_language
from core.notify import interpolate_lazy

from .acceptance import _erase_identity
from .models import APPLICATION_FLOW, UNDECIDED_STATUSES, Application, ApplicationAction, Opportunity
from .services import _changed, _notify

ENDED_SUBJECT = gettext_lazy("志工招募已結束")
ENDED_REASON = gettext_lazy("招募期間已結束，這次未能錄取。")
ENDED_MESSAGE = gettext_lazy("很抱歉，「%(title)s」的招募期間已結束，您的報名未能錄取，感謝您的熱心。")


def _decline_undecided_of(pk: int, today: datetime.date) -> int:
    with transaction.atomic():
        opportunity = (
            Opportunity.objects.select_for_update()
            .select_related("unit__organisation")
            .filter(pk=pk, ends_on__lt=today)
            .first()
        )
        if opportunity is None:
            return 0
        undecided = (
            Application.objects.select_for_update(of=("self",))
            .select_related("applicant")
            .filter(opportunity=opportunity, status__in=UNDECIDED_STATUSES)
            .order_by("created_at", "pk")
        )
        with in_record_language():  # the reason is kept with the application, in Chinese
            reason = str(ENDED_REASON)
        now = timezone.now()
        declined = 0
        for application in undecided:
            old = APPLICATION_FLOW.advance(application, ApplicationAction.EXPIRE)
            application.decision_message = reason
            application.decided_at, application.decided_by = now, None
            _erase_identity(application)
            application.save()
            record_event(
                actor=None,
                action="application.expired",
                target=application,
                changes={"status": [old, application.status], "opportunity": opportunity.title},
                reason=reason,
                organisation=opportunity.unit.organisation,
            )
            _notify(
                [application.applicant],
                ENDED_SUBJECT,
                interpolate_lazy(ENDED_MESSAGE, {"title": opportunity.title}),
                reverse("opportunities:my_applications"),
            )
            declined += 1
        if declined:
            _changed(map_too=False)
        return declined


def decline_undecided_applications(today: datetime.date | None = None) -> int:
    """Decline what is still undecided on every opportunity that has ended (one transaction per
    opportunity). Returns how many applications were declined."""
    today = today or timezone.localdate()
    pks = (
        Opportunity.objects.filter(ends_on__lt=today, applications__status__in=UNDECIDED_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    return sum(_decline_undecided_of(pk, today) for pk in list(pks))
