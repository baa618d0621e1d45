from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import has_role
from accounts.roles import Role


def items_for(user):
    items = []
    if has_role(user, Role.CASEWORKER):
        items += [
            {"label": _("局處工作區"), "url": reverse("programs:workspace")},
            {"label": _("新增方案"), "url": reverse("programs:create")},
        ]
    if has_role(user, Role.SW_REVIEWER):
        items.append({"label": _("方案審核"), "url": reverse("programs:review_queue")})
    if has_role(user, Role.DONOR, Role.VOLUNTEER):
        items.append({"label": _("我的物資與服務捐贈"), "url": reverse("programs:my_offers")})
    return items
