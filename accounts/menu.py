from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import is_site_admin


def items_for(user):
    if is_site_admin(user):
        return [{"label": _("系統管理"), "url": reverse("admin:index")}]
    return []
