from django.apps import AppConfig

from core.portal import Mount


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = "個人資料保護"
    urls = (Mount("my-data/", "privacy.urls"),)
    menu_order = 90
