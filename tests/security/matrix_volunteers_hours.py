"""Permission rules for service hours, events, imports, exports, API keys and the units' API.

Merged by ``matrix_volunteers.py`` (RULES and world_args). The unit officer of the matrix works for
the volunteer unit of their organisation (made here with get_or_create, so the units' matrix may
make it too)."""

import datetime

from django.utils import timezone

from accounts.roles import Role
from tests.security.matrix import only, public, signed_in

OFFICER = only(Role.UNIT_OFFICER)
# DRF: no credentials → 401; a signed-in non-officer → 403; the officer → the view's answer.
API_READ = only(Role.UNIT_OFFICER, others=403, anonymous=401)
API_POST_ONLY = only(Role.UNIT_OFFICER, code=405, others=403, anonymous=401)

RULES = {
    "volunteers:hours_list": (None, OFFICER),
    "volunteers:record_hours": (None, OFFICER),
    "volunteers:week_grid": (None, OFFICER),
    "volunteers:certify_hours": (None, public(405)),
    "volunteers:correct_hours": ("volunteers_hours_record", OFFICER),
    "volunteers:exports": (None, OFFICER),
    "volunteers:export_xlsx": (None, OFFICER),
    "volunteers:export_national": ("volunteers_hours_national", OFFICER),
    "volunteers:api_keys": (None, OFFICER),
    "volunteers:api_key_revoke": ("volunteers_hours_token", public(405)),
    "volunteers:event_list": (None, OFFICER),
    "volunteers:event_create": (None, OFFICER),
    "volunteers:open_events": (None, only(Role.VOLUNTEER)),
    "volunteers:event_detail": ("volunteers_hours_event", OFFICER),
    "volunteers:shift_create": ("volunteers_hours_event", OFFICER),
    "volunteers:signup_add": ("volunteers_hours_event", OFFICER),
    "volunteers:event_qr": ("volunteers_hours_event", OFFICER),
    "volunteers:event_check_in": ("volunteers_hours_check_in", signed_in()),
    "volunteers:signup_act": ("volunteers_hours_signup", public(405)),
    "volunteers:shift_sign_up": ("volunteers_hours_shift", public(405)),
    "volunteers:import_list": (None, OFFICER),
    "volunteers:import_detail": ("volunteers_hours_import", OFFICER),
    "volunteers:import_progress": ("volunteers_hours_import", OFFICER),
    "volunteers:import_retry": ("volunteers_hours_import", public(405)),
    "volunteers:import_template": ("volunteers_hours_template", OFFICER),
    "api-volunteers": (None, API_POST_ONLY),
    "api-volunteer": ("volunteers_hours_volunteer", API_READ),
    "api-volunteer-totals": ("volunteers_hours_volunteer", API_READ),
    "api-service-records-bulk": (None, API_POST_ONLY),
}


def world_args(users) -> dict:
    from tests.volunteers.factories import PlanFactory, ServiceRecordFactory, member_of
    from volunteers.api.auth import issue_token
    from volunteers.events import services as events
    from volunteers.models import ImportBatch, ImportKind, PlanStatus, ServiceDomain, VolunteerUnit

    officer = users["unit_officer"]
    unit, _ = VolunteerUnit.objects.get_or_create(
        organisation=officer.organisation, defaults={"main_domain": ServiceDomain.SOCIAL_WELFARE}
    )
    if not unit.plans.filter(status=PlanStatus.APPROVED).exists():
        PlanFactory(unit=unit, status=PlanStatus.APPROVED, year=timezone.localdate().year, created_by=officer)
    volunteer = member_of(unit)
    record = ServiceRecordFactory(volunteer=volunteer, unit=unit)
    today = timezone.localdate()
    event = events.create_event(
        unit=unit, actor=officer, title="矩陣活動", venue="x", domain="health", starts_on=today, ends_on=today
    )
    shift = events.add_shift(
        event=event,
        actor=officer,
        date=today,
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        capacity=5,
    )
    signup = events.sign_up(shift=shift, volunteer=volunteer, actor=officer)
    batch = ImportBatch.objects.create(
        unit=unit, kind=ImportKind.SERVICE_RECORDS, original_name="x.csv", created_by=officer
    )
    token, _ = issue_token(unit=unit, actor=officer, name="matrix")
    return {
        "volunteers_hours_record": {"pk": record.pk},
        "volunteers_hours_national": {"kind": "volunteers"},
        "volunteers_hours_token": {"pk": token.pk},
        "volunteers_hours_event": {"pk": event.pk},
        "volunteers_hours_check_in": {"pk": event.pk, "code": events.venue_code(event)},
        "volunteers_hours_signup": {"pk": signup.pk},
        "volunteers_hours_shift": {"pk": shift.pk},
        "volunteers_hours_import": {"pk": batch.pk},
        "volunteers_hours_template": {"kind": "service_records", "fmt": "xlsx"},
        "volunteers_hours_volunteer": {"pk": volunteer.pk},
    }
