"""Permission rules for people's own data (the download, correction requests, account closure) and
the queue where a unit or the bureau handles those requests."""

from accounts.roles import Role
from tests.security.matrix import only, signed_in

HANDLERS = (Role.UNIT_OFFICER, Role.SW_REVIEWER, Role.CENTRE_STAFF)
UNIT_STAFF = (
    Role.UNIT_OFFICER,
    Role.CASEWORKER,
    Role.SW_REVIEWER,
    Role.CENTRE_STAFF,
    Role.CARD_REVIEWER,
    Role.SITE_ADMIN,
)

RULES = {
    # Everyone signed in may see and download what the portal holds about them (and only that).
    "privacy:my_data": (None, signed_in()),
    "privacy:my_data_json": (None, signed_in()),
    "privacy:my_data_pdf": (None, signed_in()),
    "privacy:request_correction": (None, only(Role.DONOR, Role.VOLUNTEER)),
    "privacy:close_account": (None, only(Role.DONOR, Role.VOLUNTEER)),
    "privacy:queue": (None, only(*HANDLERS)),
    # A request addressed to the unit officer's unit: another organisation's handler gets 404.
    "privacy:request": ("privacy_request", {**only(*HANDLERS), "sw_reviewer": 404, "centre_staff": 404}),
    # The audited "show the whole ID number" on a volunteer's page is a POST (a reason, then the
    # number): a GET reaches the method check only through the unit-staff gate. Who may POST it is
    # tested role by role in tests/volunteers/test_identity_visibility.py.
    "volunteers:reveal_identity": ("volunteers_volunteer", only(*UNIT_STAFF, code=405)),
}


def world_args(users) -> dict:
    from privacy.models import DataRequest, RequestKind

    request = DataRequest.objects.create(
        kind=RequestKind.CORRECTION,
        requester=users["volunteer"],
        organisation=users["unit_officer"].organisation,
        message="地址有誤",
    )
    return {"privacy_request": {"pk": request.pk}}
