"""Forms for opportunities, applications and decisions (the services do the real checks)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.validators import IdentityKind
from volunteers.models import Sex

from .models import ApplicationAction, Opportunity
from .selectors import districts
from .services import OPPORTUNITY_FIELDS


class OpportunityForm(forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = OPPORTUNITY_FIELDS
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "ends_on": _("單次活動可留空（與開始日期同一天）。"),
            "schedule": _("例如：每週二、四上午 9 時至 12 時。"),
            "capacity": _("錄取滿額時自動截止。"),
            "district": _("留空時由地址判斷。"),
            "latitude": _("在地圖上點選地點會自動填入；也可留空，由地址所在行政區標示。"),
            "question": _("報名者的姓名、電子郵件與電話取自帳號，不必再問。"),
        }
        error_messages = {
            "latitude": {"invalid": _("緯度請填數字。")},
            "longitude": {"invalid": _("經度請填數字。")},
        }

    autocomplete_fields = {"contact_name": "off", "contact_phone": "off", "contact_email": "off"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = False
        self.fields["district"] = forms.ChoiceField(
            label=_("行政區"), required=False, choices=[("", _("由地址判斷"))] + [(d, d) for d in districts()]
        )
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "0.000001"})
        self.fields["capacity"].max_value = 10_000
        self.fields["capacity"].widget.attrs["max"] = 10_000


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=100)
    phone = forms.CharField(label=_("聯絡電話"), max_length=40, required=False)
    shifts = forms.ModelMultipleChoiceField(
        label=_("希望參加的班次"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    answer = forms.CharField(
        label=_("回答與補充說明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    has_basic_training = forms.BooleanField(label=_("我已完成志願服務基礎訓練"), required=False)
    has_special_training = forms.BooleanField(label=_("我已完成此領域的特殊訓練"), required=False)
    identity_kind = forms.ChoiceField(label=_("證件類別"), choices=IdentityKind.choices)
    identity_number = forms.CharField(label=_("證件號碼"), max_length=20)
    birth_date = forms.DateField(label=_("出生日期"), widget=DateInput())
    sex = forms.ChoiceField(label=_("性別"), choices=[("", _("請選擇")), *Sex.choices])

    autocomplete_fields = {
        "name": "name",
        "phone": "tel",
        "birth_date": "bday",
        "identity_number": "off",
        "sex": "sex",
    }

    def __init__(self, *args, opportunity, needs_identity: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shifts"].queryset = opportunity.event.shifts.filter(date__gte=_today()).order_by(
            "date", "starts_at"
        )
        if not self.fields["shifts"].queryset.exists():
            del self.fields["shifts"]
        if opportunity.question:
            self.fields["answer"].label = opportunity.question
        if not opportunity.requires_basic_training:
            del self.fields["has_basic_training"]
        if not opportunity.requires_special_training:
            del self.fields["has_special_training"]
        if not needs_identity:
            for name in ("identity_kind", "identity_number", "birth_date", "sex"):
                del self.fields[name]
        else:
            self.fields["identity_number"].help_text = _(
                "錄取時用於登錄志工資料與保險；審核後即不保留在報名資料中。"
            )


def _today():
    from django.utils import timezone

    return timezone.localdate()


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("審核結果"),
        choices=[
            (a.value, a.label)
            for a in (ApplicationAction.ACCEPT, ApplicationAction.WAITLIST, ApplicationAction.DECLINE)
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("給報名者的訊息"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("婉拒時必填，會以電子郵件寄給報名者。"),
    )
