from django.urls import reverse

from . import permissions


def items_for(user):
    items = [{"label": "我的捐款", "url": reverse("donations:dashboard")}]
    if permissions.can_see_staff_list(user):
        items.append({"label": "捐款管理", "url": reverse("donations:staff_list")})
        items.append({"label": "物資保管與發放", "url": reverse("donations:goods_list")})
    return items
