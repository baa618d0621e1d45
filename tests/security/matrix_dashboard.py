"""Permission rules for the dashboard app's URLs (see tests/security/test_permission_matrix.py)."""

from accounts.roles import Role
from tests.dashboard.factories import DropOffPointFactory
from tests.security.matrix import only, public

MANAGERS = (Role.CASEWORKER, Role.SW_REVIEWER, Role.SITE_ADMIN)

RULES = {
    "dashboard:index": (None, public()),
    "dashboard:csv": (None, public()),
    "dashboard:map": (None, public()),
    "dashboard:map_points": (None, public()),
    "dashboard:points": (None, only(*MANAGERS)),
    "dashboard:point_new": (None, only(*MANAGERS)),
    # The caseworker's own bureau's point: other roles are refused before the point is looked up.
    "dashboard:point_edit": ("dashboard_point", only(*MANAGERS)),
}


def world_args(users):
    point = DropOffPointFactory(bureau=users["caseworker"].organisation)
    return {"dashboard_point": {"pk": point.pk}}
