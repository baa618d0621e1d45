from django.urls import reverse
from django.utils.translation import gettext_noop as _

from accounts.permissions import has_role
from accounts.roles import Role

from . import permissions


def items_for(user):
    items = []
    if has_role(user, Role.UNIT_OFFICER):
        items.append({"label": _("志工招募管理"), "url": reverse("opportunities:manage_list")})
    if permissions.can_apply(user):
        items.append({"label": _("我的志工報名"), "url": reverse("opportunities:my_applications")})
    return items
