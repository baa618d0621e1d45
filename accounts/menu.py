from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import can_open_admin


def items_for(user):
    items = [{"label": _("我的資料"), "url": reverse("profile")}] if user.is_authenticated else []
    if can_open_admin(user):
        items.append({"label": _("系統管理"), "url": reverse("admin:index")})
    return items
