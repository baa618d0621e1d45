from django.apps import AppConfig

from core.portal import Mount


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "稽核紀錄"
    urls = (Mount("audit/", "audit.urls"),)
    menu_order = 80

    def ready(self):
        from . import signals  # noqa: F401  (connects the Celery failure handler)
