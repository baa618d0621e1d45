from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import is_site_admin


def items_for(user):
    items = [{"label": _("我的資料"), "url": reverse("profile")}] if user.is_authenticated else []
    if is_site_admin(user):
        items.append({"label": _("系統管理"), "url": reverse("admin:index")})
    return items
