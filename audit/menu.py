from django.urls import reverse

from accounts.permissions import can_view_audit_trail, is_site_admin


def items_for(user):
    items = []
    if can_view_audit_trail(user):
        items.append({"label": "稽核紀錄", "url": reverse("audit:list")})
    if is_site_admin(user):
        items.append({"label": "背景工作失敗", "url": reverse("audit:task_failures")})
    return items
