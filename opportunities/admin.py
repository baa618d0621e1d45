"""Admin for opportunities and applications: read-mostly (changes go through the services, which
audit them and send the e-mails). The applicant's ID number is never shown here."""

from django.contrib import admin

from .models import Application, Opportunity, ShiftReminder


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "kind", "starts_on", "ends_on", "capacity", "status", "closed_reason")
    list_filter = ("status", "kind", "domain", "district")
    search_fields = ("title", "unit__organisation__name", "venue")
    list_select_related = ("unit__organisation",)
    raw_id_fields = ("unit", "event", "created_by")
    readonly_fields = ("status", "closed_reason", "published_at", "closed_at", "created_by")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "applicant", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("opportunity__title", "applicant__email")
    list_select_related = ("opportunity", "applicant")
    raw_id_fields = ("opportunity", "applicant", "volunteer", "decided_by")
    exclude = ("identity_number",)
    readonly_fields = ("status", "decided_at", "decided_by", "accepted_at", "withdrawn_at")


@admin.register(ShiftReminder)
class ShiftReminderAdmin(admin.ModelAdmin):
    list_display = ("signup", "application", "sent_at")
    raw_id_fields = ("signup", "application")
