from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, RocYearField
from core.validators import IdentityKind
from volunteers.models import ServiceDomain, Sex

from .models import Availability


class TeamFields(forms.Form):
    autocomplete_fields = {"coordinator_phone": "tel"}

    name = forms.CharField(label=_("志工隊名稱"), max_length=120, help_text=_("例如：好日子科技企業志工隊"))
    coordinator_phone = forms.CharField(label=_("聯絡電話"), max_length=40)
    headcount = forms.IntegerField(label=_("可參與人數"), min_value=1, max_value=100_000)
    interests = forms.MultipleChoiceField(
        label=_("有興趣的服務領域"), choices=ServiceDomain.choices, widget=forms.CheckboxSelectMultiple
    )
    availability = forms.MultipleChoiceField(
        label=_("可服務時段"), choices=Availability.choices, widget=forms.CheckboxSelectMultiple
    )
    availability_note = forms.CharField(
        label=_("時段說明"), max_length=200, required=False, help_text=_("例如：每月第二個週六上午")
    )
    description = forms.CharField(label=_("團隊簡介"), required=False, max_length=5000, widget=forms.Textarea)


class TeamRegistrationForm(TeamFields):
    autocomplete_fields = {
        "company_name": "organization",
        "company_address": "street-address",
        "coordinator_phone": "tel",
    }

    company_name = forms.CharField(label=_("企業名稱"), max_length=200)
    tax_id = forms.CharField(
        label=_("統一編號"),
        max_length=20,  # room for the spaces and hyphens people type; the service keeps 8 digits
        help_text=_("8 位數字，系統會以檢查碼核對。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    company_address = forms.CharField(label=_("企業地址"), max_length=255, required=False)

    field_order = ["company_name", "tax_id", "company_address"]


class TeamForm(TeamFields):
    is_active = forms.BooleanField(label=_("開放媒合"), required=False)


class MemberForm(forms.Form):
    # The coordinator types someone else's details: no autofill from their own.
    autocomplete_fields = {
        "name": "off",
        "identity_number": "off",
        "birth_date": "off",
        "phone": "off",
        "email": "off",
    }

    name = forms.CharField(label=_("姓名"), max_length=100)
    identity_kind = forms.ChoiceField(label=_("證件類別"), choices=IdentityKind.choices)
    identity_number = forms.CharField(label=_("證件號碼"), max_length=20)
    birth_date = forms.DateField(label=_("出生日期"), widget=DateInput)
    sex = forms.ChoiceField(label=_("性別"), choices=Sex.choices)
    phone = forms.CharField(label=_("電話"), max_length=40, required=False)
    email = forms.EmailField(label=_("電子郵件"), required=False)
    consent = forms.BooleanField(
        label=_("隊員已同意提供以上資料，僅供運用單位登錄志工、排班與辦理保險使用"), required=False
    )


class ProposeForm(forms.Form):
    shift = forms.ModelChoiceField(label=_("班次"), queryset=None, empty_label=_("請選擇班次"))
    people = forms.IntegerField(label=_("預計人數"), min_value=1, max_value=100_000)
    offer = forms.ModelChoiceField(
        label=_("回應的服務捐贈意向（選填）"),
        queryset=None,
        required=False,
        empty_label=_("（不連結）"),
        help_text=_("企業對方案服務需求提出、已被局處接受的服務，可由這個班次完成。"),
    )
    note = forms.CharField(
        label=_("說明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, shifts, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = shifts
        from .selectors import shift_label

        self.fields["shift"].label_from_instance = shift_label
        self.fields["offer"].queryset = offers
        self.fields["offer"].label_from_instance = lambda o: f"{o.program.title if o.program_id else ''} {o}"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EnrolForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("排入班次的隊員"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda m: f"{m.name}（{m.masked_identity}）"


class TeamFilterForm(forms.Form):
    q = forms.CharField(label=_("企業或志工隊名稱"), required=False, max_length=100)
    domain = forms.ChoiceField(
        label=_("服務領域"), required=False, choices=[("", _("全部")), *ServiceDomain.choices]
    )
    availability = forms.ChoiceField(
        label=_("可服務時段"), required=False, choices=[("", _("全部")), *Availability.choices]
    )


class YearForm(forms.Form):
    year = RocYearField(label=_("年度（民國）"), required=False)


class CoordinatorForm(forms.Form):
    autocomplete_fields = {"email": "off"}  # someone else's address

    email = forms.EmailField(
        label=_("聯絡窗口的電子郵件"),
        max_length=254,
        help_text=_("對方須先以此電子郵件註冊好日子個人帳號；收到邀請信並同意後才會成為聯絡窗口。"),
    )
