from django.contrib import admin

from .models import CorporateTeam, TeamMatch


@admin.register(CorporateTeam)
class CorporateTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "tax_id", "headcount", "is_active")
    search_fields = ("name", "organisation__name", "tax_id")


@admin.register(TeamMatch)
class TeamMatchAdmin(admin.ModelAdmin):
    list_display = ("team", "shift", "people", "status", "proposed_at")
    list_filter = ("status",)
    raw_id_fields = ("team", "shift", "offer", "proposed_by")
    # Moves go through the services (the workflow table, the audit trail, the e-mails).
    readonly_fields = ("status", "decided_by", "decided_at")
