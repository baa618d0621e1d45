"""Admin for volunteer records: read-mostly (changes go through the services, which audit them).

ID numbers are shown masked; the lookup hash is never shown.
"""

from django.contrib import admin

from .models import Award, InsurancePolicy, Membership, ServicePlan, Training, Volunteer, VolunteerUnit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(VolunteerUnit)
class VolunteerUnitAdmin(admin.ModelAdmin):
    list_display = ("__str__", "main_domain", "registration_number", "contact_person")
    list_filter = ("main_domain",)
    search_fields = ("organisation__name", "registration_number")
    list_select_related = ("organisation",)
    raw_id_fields = ("organisation",)


@admin.register(ServicePlan)
class ServicePlanAdmin(admin.ModelAdmin):
    list_display = ("__str__", "year", "status", "submitted_at", "centre_reviewed_at", "bureau_reviewed_at")
    list_filter = ("status", "year")
    search_fields = ("unit__organisation__name", "title")
    list_select_related = ("unit__organisation",)
    readonly_fields = (
        "status",
        "submitted_at",
        "centre_reviewed_at",
        "centre_reviewed_by",
        "bureau_reviewed_at",
        "bureau_reviewed_by",
        "created_by",
    )
    raw_id_fields = ("unit",)


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ("name", "masked_identity", "birth_date", "record_book_number")
    search_fields = ("name", "record_book_number")
    exclude = ("identity_number",)
    readonly_fields = ("masked_identity", "identity_kind", "user")
    inlines = [MembershipInline]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ("volunteer", "kind", "domain", "title", "completed_on", "hours")
    list_filter = ("kind", "domain")
    raw_id_fields = ("volunteer", "recorded_by_unit")


@admin.register(InsurancePolicy)
class InsurancePolicyAdmin(admin.ModelAdmin):
    list_display = ("policy_number", "unit", "insurer", "starts_on", "ends_on")
    raw_id_fields = ("unit", "insured")


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ("volunteer", "title", "grantor", "awarded_on")
    raw_id_fields = ("volunteer", "recorded_by")
