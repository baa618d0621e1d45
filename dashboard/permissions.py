from accounts.permissions import belongs_to, has_role
from accounts.roles import Role


def can_manage_points(user) -> bool:
    """Caseworkers keep their own bureau's points; the social welfare bureau and admins keep all."""
    return has_role(user, Role.CASEWORKER, Role.SW_REVIEWER, Role.SITE_ADMIN)


def sees_all_points(user) -> bool:
    return has_role(user, Role.SW_REVIEWER, Role.SITE_ADMIN)


def can_edit_point(user, point) -> bool:
    if sees_all_points(user):
        return True
    return has_role(user, Role.CASEWORKER) and belongs_to(user, point.bureau_id)
