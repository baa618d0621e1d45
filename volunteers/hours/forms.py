"""Forms for service hours, events, imports and API keys (the services do the real checks)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ImportKind, ServiceDomain, Volunteer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
HOURS = forms.NumberInput(attrs={"step": "0.25", "min": "0.25", "max": "24", "inputmode": "decimal"})


class VolunteerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.masked_identity}）"


def members_queryset(unit):
    return Volunteer.objects.filter(memberships__unit=unit, memberships__left_on__isnull=True).order_by(
        "name", "pk"
    )


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


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("匯入類別"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("檔案（.xlsx 或 .csv）"),
        help_text=_("請使用下載的範本；整份檔案檢查無誤才會匯入，有任何錯誤則全部不匯入。"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            }
        ),
    )


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("用途（例如：本院志工管理系統）"), max_length=100)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度（西元）"), min_value=2000, max_value=2100, required=False)
