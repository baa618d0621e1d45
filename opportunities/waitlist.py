"""The waiting list (候補): when a place reopens on an opportunity — an accepted applicant
withdraws (or closes their account), or the officer raises the headcount — the earliest waiting
applicants, as many as places reopened, are accepted (``ApplicationAction.PROMOTE``) and e-mailed;
only while the opportunity is recruiting (published, or closed because it was full), never after
its unit ended it or its period is over.

Promoted, not offered: the officer already read a waiting applicant's application and put them
"on the list for when a place frees"; that decision is carried out, as the waitlist e-mail
promised ("有名額時會再通知您"), instead of asking them to confirm again (an offer with a deadline
would leave places empty, and the shift is often days away). They may still withdraw.

Called by the service that reopened the place, inside its transaction, with the opportunity's row
already locked: withdrawals, acceptances and headcount changes of one opportunity run one at a
time, so two withdrawals at once promote two different people, and an officer's acceptance and a
promotion never both take the last place. Registering a new volunteer is an officer's act
(``registry_services.register_volunteer``): it is done in the name of the officer who put them on
the list (or, if they have left, another officer of the unit); the trail records the promotion as
the portal's (actor None), naming that officer and what reopened the place.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from audit.services import record_event
from core.language import in_record_language
from core.notify import interpolate_lazy
from volunteers.permissions import can_manage_unit

from .acceptance import accept_onto_roster
from .models import (
    APPLICATION_FLOW,
    Application,
    ApplicationAction,
    ApplicationStatus,
    ClosedReason,
    Opportunity,
    OpportunityStatus,
)
from .services import _changed, _close, _notify

# What reopened the place (recorded in the trail).
WITHDRAWAL = "withdrawal"
CAPACITY = "capacity"

PROMOTED_SUBJECT = gettext_lazy("候補遞補：志工報名已錄取")
OFFICERS_SUBJECT = gettext_lazy("候補報名者已遞補錄取")
# The portal's note kept with a promoted application (in Chinese, translated when shown): it replaces
# the officer's earlier waiting-list message, which no longer describes where the application stands.
PROMOTED_NOTE = gettext_lazy("有名額釋出，您已從候補名單遞補錄取。")


def _acting_officer(application: Application, opportunity: Opportunity, actor):
    """The officer in whose name the applicant is registered: the one who reopened the place,
    else the one who waitlisted them, else any active officer of the unit."""
    unit = opportunity.unit
    for candidate in (actor, application.decided_by):
        if candidate is not None and candidate.is_active and can_manage_unit(candidate, unit):
            return candidate
    return (
        get_user_model()
        .objects.filter(is_active=True, role=Role.UNIT_OFFICER, organisation_id=unit.organisation_id)
        .order_by("pk")
        .first()
    )


def _settle_status(opportunity: Opportunity, accepted: int) -> None:
    """Full closes a published opportunity; a place left reopens one closed as full."""
    if accepted >= opportunity.capacity:
        if opportunity.status == OpportunityStatus.PUBLISHED:
            _close(opportunity, ClosedReason.FULL)
            _changed()
    elif opportunity.closed_reason == ClosedReason.FULL and not opportunity.is_past:
        opportunity.status, opportunity.closed_reason, opportunity.closed_at = (
            OpportunityStatus.PUBLISHED,
            "",
            None,
        )
        opportunity.save(update_fields=["status", "closed_reason", "closed_at", "updated_at"])
        _changed()


def _promote(application: Application, opportunity: Opportunity, officer, reopened_by: str) -> bool:
    """One waiting applicant accepted; False (nothing changed) when the register refuses them."""
    application.opportunity = opportunity
    try:
        with transaction.atomic():
            accept_onto_roster(application, officer)
            old = APPLICATION_FLOW.advance(application, ApplicationAction.PROMOTE)
            # What the note replaces is kept in the trail: the officer's waiting-list message.
            replaced = {"message": application.decision_message, "decided_by": application.decided_by_id}
            with in_record_language():
                application.decision_message = str(PROMOTED_NOTE)
            # The portal's decision (actor None in the trail, which names the officer): shown to
            # the applicant as the portal's note, not under the unit's heading.
            application.decided_at, application.decided_by = timezone.now(), None
            application.save()
    except (ValidationError, PermissionDenied) as exc:
        record_event(
            actor=None,
            action="application.promotion_skipped",
            target=application,
            changes={"opportunity": opportunity.title, "reason": "; ".join(exc.messages)[:500]},
            organisation=opportunity.unit.organisation,
        )
        application.refresh_from_db()
        return False
    record_event(
        actor=None,
        action="application.promoted",
        target=application,
        changes={
            "status": [old, application.status],
            "opportunity": opportunity.title,
            "reopened_by": reopened_by,
            "officer": officer.pk,
            "waitlisted_with": replaced,
        },
        organisation=opportunity.unit.organisation,
    )
    _notify(
        [application.applicant],
        PROMOTED_SUBJECT,
        interpolate_lazy(
            gettext_lazy(
                "有名額釋出，您在「%(title)s」的候補已遞補錄取。班次與簽到方式請見「我的志工報名」；"
                "若無法參加，請在該頁撤回報名，讓下一位候補者遞補。"
            ),
            {"title": opportunity.title},
        ),
        reverse("opportunities:my_applications"),
    )
    return True


def _still_recruiting(opportunity: Opportunity) -> bool:
    """Published, or closed only because it was full: a unit that ended the recruitment (or its
    period is over) has decided against more people, so its waiting list stays as it is (the
    officer may still accept someone by hand)."""
    if opportunity.is_past:
        return False
    if opportunity.status == OpportunityStatus.PUBLISHED:
        return True
    return opportunity.status == OpportunityStatus.CLOSED and opportunity.closed_reason == ClosedReason.FULL


def fill_reopened_places(opportunity: Opportunity, *, actor=None, reopened_by: str) -> list[Application]:
    """Accept the earliest waiting applicants into the places now free (none once the opportunity
    is past), then close it as full or reopen it. The caller holds the opportunity's row lock.
    Returns the promoted applications."""
    accepted = opportunity.applications.filter(status=ApplicationStatus.ACCEPTED).count()
    promoted: list[Application] = []
    places = opportunity.capacity - accepted
    if places > 0 and _still_recruiting(opportunity):
        waiting = (
            Application.objects.select_for_update(of=("self",))
            .select_related("applicant", "decided_by")
            .filter(opportunity=opportunity, status=ApplicationStatus.WAITLISTED)
            .order_by("created_at", "pk")
        )
        for application in waiting:
            if len(promoted) >= places:
                break
            officer = _acting_officer(application, opportunity, actor)
            if officer is not None and _promote(application, opportunity, officer, reopened_by):
                promoted.append(application)
    if promoted:
        from .applications import _officer_emails

        _notify(
            _officer_emails(opportunity.unit),
            OFFICERS_SUBJECT,
            interpolate_lazy(
                gettext_lazy("「%(title)s」有名額釋出，以下候補報名者已依報名先後遞補錄取：%(names)s"),
                {"title": opportunity.title, "names": "、".join(a.applicant.name for a in promoted)},
            ),
            reverse("opportunities:manage_detail", args=[opportunity.pk]),
        )
    _settle_status(opportunity, accepted + len(promoted))
    return promoted
