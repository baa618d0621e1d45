from django.urls import reverse

from accounts.permissions import can_view_audit_trail


def items_for(user):
    if can_view_audit_trail(user):
        return [{"label": "稽核紀錄", "url": reverse("audit:list")}]
    return []
