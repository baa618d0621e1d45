from django.contrib import admin

from .models import Application, Counter, HonorCard, PrintBatch


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("volunteer", "unit", "kind", "status", "submitted_at")
    list_filter = ("status", "kind")
    raw_id_fields = (
        "volunteer",
        "unit",
        "previous_card",
        "created_by",
        "centre_reviewed_by",
        "bureau_reviewed_by",
    )
    readonly_fields = ("eligibility",)


@admin.register(HonorCard)
class HonorCardAdmin(admin.ModelAdmin):
    list_display = ("number", "holder_name", "unit", "issued_on", "expires_on", "status")
    list_filter = ("status",)
    search_fields = ("number", "holder_name")
    raw_id_fields = ("volunteer", "unit", "application", "replaces", "revoked_by")
    exclude = ("service_records",)
    readonly_fields = ("nonce", "token")


admin.site.register(Counter)
admin.site.register(PrintBatch)
