from django.urls import reverse
from django.utils.translation import gettext_noop as _

from . import permissions


def items_for(user):
    company = permissions.company_of(user)
    if company is not None and hasattr(company, "corporate_team"):
        team = company.corporate_team
        return [
            {"label": _("企業志工隊"), "url": reverse("corporate:team_detail", args=[team.pk])},
            {"label": _("企業社會責任報告"), "url": reverse("corporate:report", args=[team.pk])},
        ]
    if permissions.can_browse_teams(user):
        return [{"label": _("企業志工媒合"), "url": reverse("corporate:team_list")}]
    if permissions.can_register_team(user):
        return [{"label": _("企業志工"), "url": reverse("corporate:home")}]
    return []
