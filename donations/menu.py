from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roc import roc_year

from . import permissions


def items_for(user):
    """The same predicates the views are guarded by."""
    items = [{"label": _("我的捐款"), "url": reverse("donations:dashboard")}]
    if permissions.can_see_staff_list(user):
        items.append({"label": _("捐款管理"), "url": reverse("donations:staff_list")})
    if permissions.can_list_goods(user):
        items.append({"label": _("物資保管與發放"), "url": reverse("donations:goods_list")})
    if permissions.can_record_offline_gift(user):
        items.append({"label": _("臨櫃／匯款登錄"), "url": reverse("donations:offline_gift")})
        items.append({"label": _("對帳"), "url": reverse("donations:statement_import")})
    if permissions.can_export_tax(user):
        year = roc_year(timezone.localdate())
        items.append(
            {
                "label": _("捐贈扣除額資料匯出（%(year)s 年）") % {"year": year},
                "url": reverse("donations:tax_export", args=[year]),
            }
        )
    return items
