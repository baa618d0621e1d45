from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import IdentityKind

from ..formfields import DATE
from ..models import ServiceDomain, Sex, TrainingKind, Volunteer
from .selectors import volunteers_of_unit


class VolunteerForm(forms.Form):
    autocomplete_fields = dict.fromkeys(
        ("name", "phone", "email", "address"), "off"
    )  # the volunteer's, not staff's
    name = forms.CharField(label=_("姓名"), max_length=100)
    identity_kind = forms.ChoiceField(label=_("證件類別"), choices=IdentityKind.choices)
    identity_number = forms.CharField(
        label=_("證件號碼"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    birth_date = forms.DateField(label=_("出生日期"), widget=DATE)
    sex = forms.ChoiceField(label=_("性別"), choices=Sex.choices)
    main_domain = forms.ChoiceField(label=_("服務領域"), choices=ServiceDomain.choices)
    joined_on = forms.DateField(label=_("加入日期"), widget=DATE, required=False)
    phone = forms.CharField(label=_("電話"), max_length=40, required=False)
    email = forms.EmailField(label=_("電子郵件"), required=False)
    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    record_book_number = forms.CharField(label=_("志願服務紀錄冊編號"), max_length=60, required=False)
    record_book_issued_on = forms.DateField(label=_("紀錄冊發給日期"), widget=DATE, required=False)
    service_started_on = forms.DateField(label=_("服務開始日期"), widget=DATE, required=False)
    photo = forms.FileField(label=_("照片（JPEG、PNG 或 GIF）"), required=False)


class VolunteerEditForm(forms.Form):
    autocomplete_fields = dict.fromkeys(
        ("name", "phone", "email", "address"), "off"
    )  # the volunteer's, not staff's
    name = forms.CharField(label=_("姓名"), max_length=100)
    birth_date = forms.DateField(label=_("出生日期"), widget=DATE)
    sex = forms.ChoiceField(label=_("性別"), choices=Sex.choices)
    phone = forms.CharField(label=_("電話"), max_length=40, required=False)
    email = forms.EmailField(label=_("電子郵件"), required=False)
    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    record_book_number = forms.CharField(label=_("志願服務紀錄冊編號"), max_length=60, required=False)
    record_book_issued_on = forms.DateField(label=_("紀錄冊發給日期"), widget=DATE, required=False)
    service_started_on = forms.DateField(label=_("服務開始日期"), widget=DATE, required=False)
    photo = forms.FileField(label=_("更換照片（JPEG、PNG 或 GIF）"), required=False)

    @classmethod
    def for_volunteer(cls, volunteer: Volunteer, data=None, files=None):
        initial = {f: getattr(volunteer, f) for f in cls.base_fields if f != "photo"}
        return cls(data, files, initial=initial)


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("訓練類別"), choices=TrainingKind.choices)
    domain = forms.ChoiceField(
        label=_("服務領域（特殊訓練必填）"), choices=[("", "—"), *ServiceDomain.choices], required=False
    )
    title = forms.CharField(label=_("課程名稱"), max_length=200)
    provider = forms.CharField(label=_("辦理單位"), max_length=200)
    completed_on = forms.DateField(label=_("結訓日期"), widget=DATE)
    hours = forms.DecimalField(label=_("時數"), max_digits=5, decimal_places=2)
    certificate_number = forms.CharField(label=_("結訓證明書字號"), max_length=80, required=False)
    certificate = forms.FileField(label=_("證明書影像（JPEG、PNG 或 GIF）"), required=False)


class PolicyForm(forms.Form):
    insurer = forms.CharField(label=_("保險公司"), max_length=120)
    policy_number = forms.CharField(label=_("保單號碼"), max_length=80)
    starts_on = forms.DateField(label=_("保險期間起"), widget=DATE)
    ends_on = forms.DateField(label=_("保險期間迄"), widget=DATE)
    coverage = forms.CharField(label=_("保障內容"), max_length=255, required=False)


class InsuredForm(forms.Form):
    volunteers = forms.ModelMultipleChoiceField(
        label=_("被保險志工"),
        queryset=Volunteer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteers"].queryset = volunteers_of_unit(unit)


class AwardForm(forms.Form):
    title = forms.CharField(label=_("獎項"), max_length=200)
    grantor = forms.CharField(label=_("頒發單位"), max_length=200)
    awarded_on = forms.DateField(label=_("獲獎日期"), widget=DATE)
    note = forms.CharField(label=_("備註"), max_length=255, required=False)


class ClaimForm(forms.Form):
    identity_kind = forms.ChoiceField(label=_("證件類別"), choices=IdentityKind.choices)
    identity_number = forms.CharField(
        label=_("證件號碼"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    birth_date = forms.DateField(label=_("出生日期"), widget=DATE)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("離隊日期"), widget=DATE, required=False)
    note = forms.CharField(label=_("備註"), max_length=200, required=False)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("查看完整證件號碼的理由"),
        max_length=200,
        help_text=_("例如：辦理保險加保、填寫榮譽卡申請。查看紀錄會保存，志工本人也看得到。"),
    )
