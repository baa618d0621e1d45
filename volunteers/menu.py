from django.urls import reverse
from django.utils.translation import gettext_noop as _

from accounts.permissions import has_role
from accounts.roles import Role

from . import permissions


def items_for(user):
    items = []
    # An officer's pages are their unit's (the views refuse an officer whose unit is not on record).
    if permissions.is_unit_officer(user) and permissions.unit_of(user) is not None:
        items += [
            {"label": _("我的志工隊"), "url": reverse("volunteers:unit_home")},
            {"label": _("服務時數"), "url": reverse("volunteers:hours_list")},
            {"label": _("志工活動"), "url": reverse("volunteers:event_list")},
            {"label": _("匯入"), "url": reverse("volunteers:import_list")},
            {"label": _("匯出"), "url": reverse("volunteers:exports")},
        ]
    if permissions.can_review_plans(user):
        items.append({"label": _("志願服務計畫審查"), "url": reverse("volunteers:review_queue")})
    if permissions.can_view_statistics(user):
        items += [
            {"label": _("志願服務運用單位"), "url": reverse("volunteers:unit_list")},
            {"label": _("志願服務統計"), "url": reverse("volunteers:statistics")},
        ]
    if has_role(user, Role.VOLUNTEER):
        items += [
            {"label": _("我的服務履歷"), "url": reverse("volunteers:my_resume")},
            {"label": _("可報名的志工活動"), "url": reverse("volunteers:open_events")},
        ]
    return items
