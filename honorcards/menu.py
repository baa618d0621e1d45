from django.urls import reverse
from django.utils.translation import gettext_noop as _

from volunteers.permissions import unit_of

from . import permissions


def items_for(user):
    items = []
    # The officer's pages need their unit on record (the views refuse an officer without one).
    if permissions.applies_for_cards(user) and unit_of(user) is not None:
        items += [
            {"label": _("榮譽卡：可申請志工"), "url": reverse("honorcards:eligible")},
            {"label": _("榮譽卡申請案"), "url": reverse("honorcards:applications")},
            {"label": _("榮譽卡列印"), "url": reverse("honorcards:cards")},
        ]
    # The centre: first review and record corrections; the bureau's card reviewers: second review and
    # the cards (the same queue page, named by the step each takes).
    if permissions.decides_record_corrections(user):
        items.append({"label": _("榮譽卡初審"), "url": reverse("honorcards:queue")})
        items.append({"label": _("榮譽卡採計紀錄更正"), "url": reverse("honorcards:corrections")})
    if permissions.manages_cards(user):
        items += [
            {"label": _("榮譽卡複審"), "url": reverse("honorcards:queue")},
            {"label": _("榮譽卡管理"), "url": reverse("honorcards:cards")},
        ]
    return items
