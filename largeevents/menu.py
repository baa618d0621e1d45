from django.urls import reverse
from django.utils.translation import gettext_noop as _

from . import permissions


def items_for(user):
    if permissions.can_list_plans(user):
        return [{"label": _("大型活動志工計畫"), "url": reverse("largeevents:list")}]
    return []
