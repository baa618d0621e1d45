from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.portal import Mount


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("志工紀錄")
    urls = (Mount("volunteers/", "volunteers.urls"),)
    api_urls = ("volunteers.api.urls",)
    menu_order = 40
