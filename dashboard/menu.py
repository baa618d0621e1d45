from django.urls import reverse

from . import permissions


def items_for(user):
    if permissions.can_manage_points(user):
        return [{"label": "物資收件／保管點", "url": reverse("dashboard:points")}]
    return []
