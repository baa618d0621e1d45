from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "稽核紀錄"

    def ready(self):
        from . import signals  # noqa: F401  (connects the Celery failure handler)
