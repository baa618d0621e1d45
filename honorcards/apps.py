from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonorcardsConfig(AppConfig):
    name = "honorcards"
    verbose_name = _("志願服務榮譽卡")
