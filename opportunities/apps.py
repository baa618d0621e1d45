from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.portal import Mount


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = _("志工招募")
    urls = (Mount("opportunities/", "opportunities.urls"),)
    api_urls = ("opportunities.api_urls",)
    menu_order = 45
