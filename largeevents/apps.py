from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LargeEventsConfig(AppConfig):
    name = "largeevents"
    verbose_name = _("大型活動志工")
