from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import can_view_audit_trail, is_site_admin


def items_for(user):
    items = []
    if can_view_audit_trail(user):
        items.append({"label": _("稽核紀錄"), "url": reverse("audit:list")})
    if is_site_admin(user):
        items.append({"label": _("背景工作失敗"), "url": reverse("audit:task_failures")})
    return items
