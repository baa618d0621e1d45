from django.apps import AppConfig


class OpsConfig(AppConfig):
    """What the operator runs: key rotation, backups, the restore drill's totals, metrics."""

    name = "ops"
    verbose_name = "維運"
