from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "共用"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
