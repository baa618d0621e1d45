from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.validators import validate_company_tax_id

from .models import CorporateTeam, TeamMatch
from .services import TEAM_FIELDS


class CorporateTeamAdminForm(forms.ModelForm):
    class Meta:
        model = CorporateTeam
        # The team's own fields (the coordinator's edit form, corporate/services.TEAM_FIELDS) and the
        # ones only staff set here.
        fields = ["organisation", "tax_id", "coordinator", *TEAM_FIELDS]

    def clean_tax_id(self):
        # The registration form's one rule (core.validators): full-width digits typed on a phone
        # become ASCII, the check digit must hold; the normalised number is what is stored.
        try:
            return validate_company_tax_id(self.cleaned_data["tax_id"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


@admin.register(CorporateTeam)
class CorporateTeamAdmin(admin.ModelAdmin):
    form = CorporateTeamAdminForm
    list_display = ("name", "organisation", "tax_id", "headcount", "is_active")
    search_fields = ("name", "organisation__name", "tax_id")


@admin.register(TeamMatch)
class TeamMatchAdmin(admin.ModelAdmin):
    list_display = ("team", "shift", "people", "status", "proposed_at")
    list_filter = ("status",)
    raw_id_fields = ("team", "shift", "offer", "proposed_by")
    # Moves go through the services (the workflow table, the audit trail, the e-mails).
    readonly_fields = ("status", "decided_by", "decided_at")
