from django.apps import AppConfig


class HonorcardsConfig(AppConfig):
    name = "honorcards"
    verbose_name = "志願服務榮譽卡"
