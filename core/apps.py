from django.apps import AppConfig

from .portal import Mount


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "共用"
    urls = (Mount("", "core.urls"),)

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
