from django.apps import AppConfig


class OpsConfig(AppConfig):
    """What the operator runs: key rotation, backups, the restore drill's totals, metrics."""

    name = "ops"
    verbose_name = "維運"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import requestid

        request_started.connect(requestid.on_request_started, dispatch_uid="ops.requestid.started")
        request_finished.connect(requestid.on_request_finished, dispatch_uid="ops.requestid.finished")
