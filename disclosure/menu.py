from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import has_role
from accounts.roles import Role


def items_for(user):
    items = []
    if has_role(user, Role.CASEWORKER):
        items.append({"label": _("登錄支出"), "url": reverse("disclosure:spending_new")})
    if has_role(user, Role.SW_REVIEWER):
        items.append({"label": _("支出核定"), "url": reverse("disclosure:spending_queue")})
    if has_role(user, Role.SW_REVIEWER, Role.SITE_ADMIN):
        items.append({"label": _("產製公開徵信"), "url": reverse("disclosure:build")})
    if has_role(user, Role.COMMITTEE, Role.SW_REVIEWER, Role.SITE_ADMIN):
        items.append({"label": _("救濟會報資料"), "url": reverse("disclosure:committee")})
    return items
