"""Permission rules for volunteer units, plans, volunteers, training, insurance, awards, résumés and
statistics; merged with the hours engineer's rules (``matrix_volunteers_hours``) when that module exists.

World: the matrix's unit officer works for the volunteer unit of their organisation (get_or_create,
shared with the other volunteer matrices), whose competent bureau is the matrix caseworker's bureau;
the matrix volunteer account is linked to one of the unit's volunteers.
"""

import importlib
from importlib.util import find_spec

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
# Who may open the unit's pages: its officer, the competent bureau, and the oversight roles.
UNIT_VIEWERS = only(UO, CW, SW, CS, CR, SA)
OFFICER = only(UO)
# Only the unit's officer; other unit staff reach the record but not this action (404 keeps it hidden).
OFFICER_HIDDEN = {
    **OFFICER,
    "caseworker": 404,
    "sw_reviewer": 404,
    "centre_staff": 404,
    "card_reviewer": 404,
    "site_admin": 404,
}
# A volunteer's staff page: the competent bureau's caseworker sees the roster but not the person (404).
PERSON_STAFF = {**only(UO, SW, CS, CR, SA), "caseworker": 404}
# Résumé, photo, certificate: signed in, then the person themselves or those who may see them.
PERSON_FILES = {
    **only(UO, SW, CS, CR, SA, Role.VOLUNTEER, others=404),
}
OVERSIGHT = only(CS, SW, CR, SA, CW)

UNIT_RULES = {
    "volunteers:index": (None, public()),
    "volunteers:unit_register": (None, only(Role.DONOR)),
    "volunteers:unit_home": (None, only(UO, code=302)),
    "volunteers:unit_list": (None, OVERSIGHT),
    "volunteers:unit_detail": ("volunteers_unit", UNIT_VIEWERS),
    "volunteers:unit_edit": ("volunteers_unit", OFFICER),
    "volunteers:unit_results": ("volunteers_unit_year", UNIT_VIEWERS),
    "volunteers:plan_create": ("volunteers_unit", OFFICER),
    "volunteers:volunteer_list": ("volunteers_unit", UNIT_VIEWERS),
    "volunteers:volunteer_add": ("volunteers_unit", OFFICER),
    "volunteers:insurance_list": ("volunteers_unit", UNIT_VIEWERS),
    "volunteers:insurance_detail": ("volunteers_policy", UNIT_VIEWERS),
    "volunteers:plan_detail": ("volunteers_plan", UNIT_VIEWERS),
    "volunteers:plan_edit": ("volunteers_draft_plan", OFFICER_HIDDEN),
    "volunteers:plan_submit": ("volunteers_plan", public(405)),
    "volunteers:plan_review": ("volunteers_plan", public(405)),
    "volunteers:review_queue": (None, only(CS, CW, SW)),
    "volunteers:volunteer_detail": ("volunteers_volunteer", PERSON_STAFF),
    "volunteers:volunteer_edit": ("volunteers_volunteer", {**OFFICER_HIDDEN}),
    "volunteers:volunteer_leave": ("volunteers_volunteer", public(405)),
    "volunteers:volunteer_photo": ("volunteers_volunteer", PERSON_FILES),
    "volunteers:training_add": ("volunteers_volunteer", OFFICER_HIDDEN),
    "volunteers:award_add": ("volunteers_volunteer", {**only(UO, SW, CS, SA), "caseworker": 404}),
    "volunteers:resume": ("volunteers_volunteer", PERSON_FILES),
    "volunteers:resume_pdf": ("volunteers_volunteer", PERSON_FILES),
    "volunteers:training_certificate": ("volunteers_training", PERSON_FILES),
    "volunteers:award_thresholds": (None, OVERSIGHT),
    "volunteers:my_resume": (None, public(302)),
    "volunteers:claim": (None, {**only(Role.DONOR), "volunteer": 302}),
    "volunteers:statistics": (None, OVERSIGHT),
    "volunteers:statistics_xlsx": (None, OVERSIGHT),
}

_HOURS = (
    importlib.import_module("tests.security.matrix_volunteers_hours")
    if find_spec("tests.security.matrix_volunteers_hours") is not None
    else None
)
HOURS_RULES = _HOURS.RULES if _HOURS else {}
RULES = {**UNIT_RULES, **HOURS_RULES}


def _png():
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 24), "blue").save(buf, "PNG")
    return ContentFile(buf.getvalue(), name="matrix.png")


def unit_world_args(users) -> dict:
    from django.utils import timezone

    from tests.volunteers.factories import InsurancePolicyFactory, PlanFactory, TrainingFactory, member_of
    from volunteers.models import PlanStatus, ServiceDomain, VolunteerUnit

    officer = users["unit_officer"]
    organisation = officer.organisation
    organisation.competent_bureau = users["caseworker"].organisation
    organisation.save(update_fields=["competent_bureau"])
    unit, _ = VolunteerUnit.objects.get_or_create(
        organisation=organisation, defaults={"main_domain": ServiceDomain.SOCIAL_WELFARE}
    )
    year = timezone.localdate().year
    plan = unit.plans.filter(year=year).first() or PlanFactory(
        unit=unit, status=PlanStatus.APPROVED, year=year, created_by=officer
    )
    draft = PlanFactory(unit=unit, status=PlanStatus.DRAFT, year=year + 1, created_by=officer)
    volunteer = member_of(unit, user=users["volunteer"])
    volunteer.photo.save("matrix.png", _png())
    training = TrainingFactory(volunteer=volunteer)
    training.certificate.save("matrix.png", _png())
    policy = InsurancePolicyFactory(unit=unit)
    policy.insured.add(volunteer)
    return {
        "volunteers_unit": {"pk": unit.pk},
        "volunteers_unit_year": {"pk": unit.pk, "year": year},
        "volunteers_plan": {"pk": plan.pk},
        "volunteers_draft_plan": {"pk": draft.pk},
        "volunteers_volunteer": {"pk": volunteer.pk},
        "volunteers_training": {"pk": training.pk},
        "volunteers_policy": {"pk": policy.pk},
    }


def world_args(users) -> dict:
    args = unit_world_args(users)
    if _HOURS is not None:
        args.update(_HOURS.world_args(users))
    return args
