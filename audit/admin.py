from django.contrib import admin

from .models import AuditEvent, TaskFailure


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "action", "target_type", "target_label")
    list_filter = ("action", "target_type")
    search_fields = ("actor_label", "target_label", "target_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin):
    list_display = ("at", "task_name", "exception", "resolved_at")
    list_filter = ("task_name",)
    readonly_fields = ("at", "task_name", "task_id", "exception", "traceback")
