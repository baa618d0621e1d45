from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions


def items_for(user):
    """The same predicates the views are guarded by."""
    items = []
    if permissions.is_caseworker(user):
        items.append({"label": _("局處工作區"), "url": reverse("programs:workspace")})
    if permissions.can_create_program(user):
        items.append({"label": _("新增方案"), "url": reverse("programs:create")})
    if permissions.can_review_program(user):
        items.append({"label": _("方案審核"), "url": reverse("programs:review_queue")})
    if permissions.is_giver(user):  # the page itself opens for every signed-in user
        items.append({"label": _("我的物資與服務捐贈"), "url": reverse("programs:my_offers")})
    return items
