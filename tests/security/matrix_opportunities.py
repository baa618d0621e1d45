"""Permission rules for volunteer opportunities (the board, applying, the officer's pages) and
their open data. World: the matrix unit officer's unit (as in matrix_volunteers) has a published
opportunity with a shift and one application from a citizen who is not a matrix user."""

from accounts.roles import Role
from tests.security.matrix import only, public, signed_in

APPLICANTS = {**only(Role.DONOR, Role.VOLUNTEER)}
OFFICER = only(Role.UNIT_OFFICER)

RULES = {
    "opportunities:board": (None, public()),
    "opportunities:open_data_csv": (None, public()),
    "opportunities:detail": ("opportunities_published", public()),
    "opportunities:apply": ("opportunities_published", APPLICANTS),
    "opportunities:my_applications": (None, signed_in()),
    # POST only: a GET is refused before anything else.
    "opportunities:withdraw": ("opportunities_application", public(405)),
    "opportunities:manage_list": (None, OFFICER),
    "opportunities:manage_new": (None, OFFICER),
    "opportunities:manage_detail": ("opportunities_published", OFFICER),
    "opportunities:manage_edit": ("opportunities_published", OFFICER),
    "opportunities:manage_status": ("opportunities_published", public(405)),
    "opportunities:manage_shift_new": ("opportunities_published", OFFICER),
    "opportunities:decide": ("opportunities_application", OFFICER),
    "api-opportunities": (None, public()),
}


def world_args(users) -> dict:
    from django.utils import timezone

    from opportunities import applications
    from tests.opportunities.factories import citizen, identity, open_opportunity
    from tests.volunteers.factories import PlanFactory
    from volunteers.models import PlanStatus, ServiceDomain, VolunteerUnit

    officer = users["unit_officer"]
    unit, _ = VolunteerUnit.objects.get_or_create(
        organisation=officer.organisation, defaults={"main_domain": ServiceDomain.SOCIAL_WELFARE}
    )
    year = timezone.localdate().year
    if not unit.plans.filter(year=year, status=PlanStatus.APPROVED).exists():
        PlanFactory(unit=unit, status=PlanStatus.APPROVED, year=year, created_by=officer)
    opportunity = open_opportunity(unit, officer)
    application = applications.apply(
        opportunity=opportunity, user=citizen(email="matrix-applicant@example.org"), **identity(77)
    )
    return {
        "opportunities_published": {"pk": opportunity.pk},
        "opportunities_application": {"pk": application.pk},
    }
