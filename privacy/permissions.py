from accounts.permissions import has_role
from accounts.roles import Role

# Staff who act on requests about the data their organisation keeps.
REQUEST_HANDLERS = (Role.UNIT_OFFICER, Role.SW_REVIEWER, Role.CENTRE_STAFF)


def can_download_own_data(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_request_correction(user) -> bool:
    return has_role(user, Role.DONOR, Role.VOLUNTEER)


def can_close_own_account(user) -> bool:
    # Staff accounts belong to their organisation and are closed by the site administrator.
    return has_role(user, Role.DONOR, Role.VOLUNTEER)


def can_view_request_queue(user) -> bool:
    return has_role(user, *REQUEST_HANDLERS) and user.organisation_id is not None


def can_handle_request(user, request) -> bool:
    return can_view_request_queue(user) and user.organisation_id == request.organisation_id
