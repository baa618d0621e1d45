from django.urls import reverse
from django.utils.translation import gettext_noop as _

from . import permissions


def items_for(user):
    if permissions.can_manage_points(user):
        return [{"label": _("物資收件／保管點"), "url": reverse("dashboard:points")}]
    return []
