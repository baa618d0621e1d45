from django.urls import reverse

from accounts.permissions import has_role
from accounts.roles import Role


def items_for(user):
    items = []
    if has_role(user, Role.CASEWORKER):
        items += [
            {"label": "局處工作區", "url": reverse("programs:workspace")},
            {"label": "新增方案", "url": reverse("programs:create")},
        ]
    if has_role(user, Role.SW_REVIEWER):
        items.append({"label": "方案審核", "url": reverse("programs:review_queue")})
    if has_role(user, Role.DONOR, Role.VOLUNTEER):
        items.append({"label": "我的物資與服務捐贈", "url": reverse("programs:my_offers")})
    return items
