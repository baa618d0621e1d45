from django.contrib import admin

from .models import LargeEventPlan


@admin.register(LargeEventPlan)
class LargeEventPlanAdmin(admin.ModelAdmin):
    list_display = ("event", "competent_bureau", "headcount", "status")
    list_filter = ("status",)
    raw_id_fields = ("event", "competent_bureau", "insurance_policy", "created_by")
    # Review goes through the services (the named bureau, the workflow table, the audit trail).
    readonly_fields = ("status", "submitted_at", "reviewed_at", "reviewed_by")
