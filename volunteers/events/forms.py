"""Forms for events, shifts and sign-ups (the services do the real checks)."""

from django import forms
from django.utils.translation import gettext as _

from ..formfields import DATE, TIME, VolunteerChoiceField, members_queryset
from ..models import ServiceDomain, Volunteer


class EventForm(forms.Form):
    title = forms.CharField(label=_("活動名稱"), max_length=200)
    venue = forms.CharField(label=_("地點"), max_length=255)
    domain = forms.ChoiceField(label=_("服務領域"), choices=ServiceDomain.choices)
    starts_on = forms.DateField(label=_("開始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("結束日期"), widget=DATE)
    description = forms.CharField(label=_("說明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_city_event = forms.BooleanField(
        label=_("市府大型活動（開放所有志工報名，報名者登錄為本單位志工）"), required=False
    )


class ShiftForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DATE)
    starts_at = forms.TimeField(label=_("開始時間"), widget=TIME)
    ends_at = forms.TimeField(label=_("結束時間"), widget=TIME)
    task = forms.CharField(label=_("工作內容"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("名額"), min_value=1, max_value=100000)


class SignupAddForm(forms.Form):
    shift = forms.ModelChoiceField(label=_("班次"), queryset=None)
    volunteer = VolunteerChoiceField(label=_("志工"), queryset=Volunteer.objects.none())

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = event.shifts.all()
        self.fields["volunteer"].queryset = members_queryset(event.unit)
