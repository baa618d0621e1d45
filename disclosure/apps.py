from django.apps import AppConfig

from core.portal import Mount


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "公開徵信"
    urls = (Mount("disclosure/", "disclosure.urls"),)
    api_urls = ("disclosure.api_urls",)
    menu_order = 30
