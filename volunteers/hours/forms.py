"""Forms for service hours and exports (the services do the real checks)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import RocYearField

from ..formfields import DATE, HOURS, VolunteerChoiceField, members_queryset
from ..models import ServiceDomain, Volunteer
from .rules import check_served_on, clean_hours


class RecordHoursForm(forms.Form):
    volunteer = VolunteerChoiceField(label=_("志工"), queryset=Volunteer.objects.none())
    served_on = forms.DateField(label=_("服務日期"), widget=DATE)
    hours = forms.DecimalField(
        label=_("服務時數"),
        max_digits=4,
        decimal_places=2,
        widget=HOURS,
        help_text=_("以 0.25 小時（15 分鐘）為單位。"),
    )
    domain = forms.ChoiceField(label=_("服務領域"), choices=ServiceDomain.choices)
    activity = forms.CharField(label=_("服務內容"), max_length=200, required=False)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = members_queryset(unit)
        self.fields["domain"].initial = unit.main_domain
        self.fields["served_on"].initial = timezone.localdate()
        self.fields["served_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    # The service's own checks, run here too so that a refused value marks its field (aria-invalid,
    # its message beside it and in the error summary) instead of appearing only above the form.
    def clean_served_on(self):
        day = self.cleaned_data["served_on"]
        check_served_on(day)
        return day

    def clean_hours(self):
        return clean_hours(self.cleaned_data["hours"])


class CorrectForm(forms.Form):
    served_on = forms.DateField(label=_("服務日期"), widget=DATE)
    hours = forms.DecimalField(label=_("服務時數"), max_digits=4, decimal_places=2, widget=HOURS)
    domain = forms.ChoiceField(label=_("服務領域"), choices=ServiceDomain.choices)
    activity = forms.CharField(label=_("服務內容"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("更正原因"),
        max_length=500,
        required=False,
        help_text=_("已認證的紀錄必須填寫，原值保留於稽核紀錄。"),
    )

    clean_served_on = RecordHoursForm.clean_served_on
    clean_hours = RecordHoursForm.clean_hours


class WeekForm(forms.Form):
    week = forms.DateField(label=_("週（任選該週一天）"), widget=DATE, required=False)
    domain = forms.ChoiceField(label=_("服務領域"), choices=ServiceDomain.choices)
    activity = forms.CharField(label=_("服務內容"), max_length=200, required=False)


class YearForm(forms.Form):
    year = RocYearField(label=_("年度（民國）"), required=False)
