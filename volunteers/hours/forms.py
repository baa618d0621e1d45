"""Forms for service hours and exports (the services do the real checks)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..formfields import DATE, HOURS, VolunteerChoiceField, members_queryset
from ..models import ServiceDomain, Volunteer


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


class WeekForm(forms.Form):
    week = forms.DateField(label=_("週（任選該週一天）"), widget=DATE, required=False)
    domain = forms.ChoiceField(label=_("服務領域"), choices=ServiceDomain.choices)
    activity = forms.CharField(label=_("服務內容"), max_length=200, required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度（西元）"), min_value=2000, max_value=2100, required=False)
