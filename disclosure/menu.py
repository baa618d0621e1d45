from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions


def items_for(user):
    """The same predicates the views are guarded by (``allowed_by``)."""
    items = []
    if permissions.can_record_any_spending(user):
        items.append({"label": _("登錄支出"), "url": reverse("disclosure:spending_new")})
    if permissions.is_spending_reviewer(user):
        items.append({"label": _("支出核定"), "url": reverse("disclosure:spending_queue")})
    if permissions.can_build_report(user):
        items.append({"label": _("產製公開徵信"), "url": reverse("disclosure:build")})
    if permissions.can_read_committee_packet(user):
        items.append({"label": _("救濟會報資料"), "url": reverse("disclosure:committee")})
    return items
