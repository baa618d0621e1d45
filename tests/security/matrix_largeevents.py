"""Permission rules for the large events' volunteer plans (see test_permission_matrix.py).

The matrix's unit officer organises the events; the matrix's caseworker's bureau is named as the
reviewing bureau. The volunteer centre, the social welfare bureau, its card reviewers and the site
admin oversee every plan (read only)."""

from accounts.roles import Role
from tests.security.matrix import only, public

UO, CW, SW, CS, CR, SA = (
    Role.UNIT_OFFICER,
    Role.CASEWORKER,
    Role.SW_REVIEWER,
    Role.CENTRE_STAFF,
    Role.CARD_REVIEWER,
    Role.SITE_ADMIN,
)
VIEWERS = (UO, CW, SW, CS, CR, SA)
READ_ONLY = {
    "caseworker": 403,
    "sw_reviewer": 403,
    "centre_staff": 403,
    "card_reviewer": 403,
    "site_admin": 403,
}

RULES = {
    "largeevents:list": (None, only(UO, CW, SW, CS, SA)),
    "largeevents:create": (None, only(UO)),
    "largeevents:template": (None, only(UO)),
    "largeevents:detail": ("largeevents_plan", only(*VIEWERS, others=404)),
    "largeevents:edit": ("largeevents_draft", {**only(UO, others=404), **READ_ONLY}),
    "largeevents:submit": ("largeevents_plan", public(405)),
    "largeevents:review": ("largeevents_plan", public(405)),
    "largeevents:enrol": ("largeevents_approved", {**only(UO, others=404), **READ_ONLY}),
}


def world_args(users):
    from largeevents.models import LargeEventPlan
    from tests.corporate.factories import event_of
    from volunteers.models import ServiceDomain, VolunteerUnit

    officer = users["unit_officer"]
    unit, _ = VolunteerUnit.objects.get_or_create(
        organisation=officer.organisation, defaults={"main_domain": ServiceDomain.SOCIAL_WELFARE}
    )

    def plan(status):
        return LargeEventPlan.objects.create(
            event=event_of(unit, creator=officer, title=f"矩陣大型活動{status}"),
            competent_bureau=users["caseworker"].organisation,
            duties="引導 10 人",
            headcount=10,
            training_plan="行前說明會",
            status=status,
            created_by=officer,
        )

    return {
        "largeevents_plan": {"pk": plan("submitted").pk},
        "largeevents_draft": {"pk": plan("draft").pk},
        "largeevents_approved": {"pk": plan("approved").pk},
    }
