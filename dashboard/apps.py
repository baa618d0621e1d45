from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.portal import Mount


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("服務儀表板與社福地圖")
    urls = (Mount("", "dashboard.urls"),)
    menu_order = 60
