from django.urls import reverse
from django.utils.translation import gettext_noop as _

from . import permissions


def items_for(user):
    items = []
    if permissions.can_download_own_data(user):
        items.append({"label": _("我的個人資料"), "url": reverse("privacy:my_data")})
    if permissions.can_view_request_queue(user):
        items.append({"label": _("個資請求"), "url": reverse("privacy:queue")})
    return items
