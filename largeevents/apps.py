from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.portal import Mount


class LargeEventsConfig(AppConfig):
    name = "largeevents"
    verbose_name = _("大型活動志工")
    urls = (Mount("large-events/", "largeevents.urls"),)
    menu_order = 44
