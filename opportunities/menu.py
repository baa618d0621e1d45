from django.urls import reverse
from django.utils.translation import gettext_noop as _

from volunteers.permissions import unit_of

from . import permissions


def items_for(user):
    items = []
    # The officer's pages are their unit's (the views refuse an officer whose unit is not on record).
    if unit_of(user) is not None:
        items.append({"label": _("志工招募管理"), "url": reverse("opportunities:manage_list")})
    if permissions.can_apply(user):
        items.append({"label": _("我的志工報名"), "url": reverse("opportunities:my_applications")})
    return items
