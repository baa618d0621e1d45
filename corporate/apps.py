from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.portal import Mount


class CorporateConfig(AppConfig):
    name = "corporate"
    verbose_name = _("企業志工")
    urls = (Mount("corporate/", "corporate.urls"),)
    menu_order = 42  # after the volunteer records
