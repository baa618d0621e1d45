from django.contrib import admin

from .models import LargeEventPlan


@admin.register(LargeEventPlan)
class LargeEventPlanAdmin(admin.ModelAdmin):
    list_display = ("event", "competent_bureau", "headcount", "status")
    list_filter = ("status",)
    raw_id_fields = ("event", "competent_bureau", "insurance_policy", "reviewed_by", "created_by")
