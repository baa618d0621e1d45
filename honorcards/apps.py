from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.portal import Mount


class HonorcardsConfig(AppConfig):
    name = "honorcards"
    verbose_name = _("志願服務榮譽卡")
    urls = (Mount("honor-cards/", "honorcards.urls"),)
    api_urls = ("honorcards.api_urls",)
    menu_order = 50
