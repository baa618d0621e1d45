from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.roles import OrganisationKind


class PlanForm(forms.Form):
    event = forms.ModelChoiceField(label=_("活動"), queryset=None, empty_label=_("請選擇活動"))
    competent_bureau = forms.ModelChoiceField(
        label=_("審查主管機關"),
        queryset=Organisation.objects.filter(
            kind__in=[OrganisationKind.BUREAU, OrganisationKind.SOCIAL_WELFARE_BUREAU], is_active=True
        ),
        empty_label=_("請選擇局處"),
        help_text=_("審查此活動的局處（例如路跑活動為體育局），志工計畫併入該局處的活動審查。"),
    )
    expected_attendance = forms.IntegerField(
        label=_("預估參加人數"), min_value=0, max_value=10_000_000, required=False
    )
    duties = forms.CharField(
        label=_("志工勤務內容"),
        max_length=5000,
        widget=forms.Textarea,
        help_text=_("每項勤務一行，例如：補給站 40 人"),
    )
    headcount = forms.IntegerField(label=_("志工人數"), min_value=1, max_value=100_000)
    insurance_policy = forms.ModelChoiceField(
        label=_("志工意外事故保險"),
        queryset=None,
        required=False,
        empty_label=_("（尚未投保）"),
        help_text=_("送出審查前，須選擇涵蓋整個活動期間的保險。"),
    )
    training_plan = forms.CharField(label=_("行前訓練規劃"), max_length=5000, widget=forms.Textarea)
    training_hours = forms.DecimalField(
        label=_("訓練時數"), min_value=0, max_value=200, decimal_places=2, required=False
    )

    def __init__(self, *args, events, policies, with_event=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_event:
            self.fields["event"].queryset = events
        else:
            del self.fields["event"]
        self.fields["insurance_policy"].queryset = policies

    def clean_expected_attendance(self):
        return self.cleaned_data.get("expected_attendance") or 0

    def clean_training_hours(self):
        return self.cleaned_data.get("training_hours") or 0


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回原因"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EnrolForm(forms.Form):
    shift = forms.ModelChoiceField(label=_("班次"), queryset=None, empty_label=_("請選擇班次"))
    file = forms.FileField(
        label=_("志工名冊（CSV 或 XLSX）"),
        help_text=_("欄位：姓名、證件類別、證件號碼、出生日期、性別、電話、電子郵件、地址。"),
    )

    def __init__(self, *args, shifts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = shifts
