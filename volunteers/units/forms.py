from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from core.forms import RocYearField
from dashboard.geo import validate_coordinates

from ..models import ServiceDomain, ServicePlan


class LocationFields(forms.Form):
    """Where the unit is on the welfare map: picked on the map above the fields (a click fills them),
    or typed; left empty, the address's district centre is used (offline gazetteer)."""

    latitude = forms.DecimalField(
        label=_("緯度"),
        max_digits=9,
        decimal_places=6,
        required=False,
        help_text=_("在地圖上點選單位位置會自動填入；留空時依地址所在行政區的中心標示。"),
    )
    longitude = forms.DecimalField(label=_("經度"), max_digits=9, decimal_places=6, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "0.000001"})
        self.order_fields([f for f in self.fields if f not in ("latitude", "longitude")])

    def clean(self):
        data = super().clean()
        if "latitude" not in self.errors and "longitude" not in self.errors:
            try:
                validate_coordinates(data.get("latitude"), data.get("longitude"), required=False)
            except forms.ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        return data


class UnitRegistrationForm(LocationFields):
    autocomplete_fields = {
        "name": "organization",
        "address": "street-address",
        "phone": "tel",
        "email": "email",
    }
    name = forms.CharField(label=_("運用單位名稱"), max_length=200)
    competent_bureau = forms.ModelChoiceField(
        label=_("目的事業主管機關"),
        queryset=Organisation.objects.filter(
            kind__in=[OrganisationKind.BUREAU, OrganisationKind.SOCIAL_WELFARE_BUREAU], is_active=True
        ).order_by("name"),
        help_text=_("依服務內容選擇主管的局處，例如醫院志工隊選衛生局、社福機構選社會局。"),
    )
    main_domain = forms.ChoiceField(label=_("主要服務領域"), choices=ServiceDomain.choices)
    address = forms.CharField(label=_("地址"), max_length=255)
    phone = forms.CharField(label=_("電話"), max_length=40)
    contact_person = forms.CharField(label=_("聯絡人"), max_length=100)
    email = forms.EmailField(label=_("電子郵件"), required=False)
    description = forms.CharField(
        label=_("單位簡介"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class UnitForm(LocationFields):
    main_domain = forms.ChoiceField(label=_("主要服務領域"), choices=ServiceDomain.choices)
    contact_person = forms.CharField(label=_("聯絡人"), max_length=100, required=False)
    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    phone = forms.CharField(label=_("電話"), max_length=40, required=False)
    email = forms.EmailField(label=_("電子郵件"), required=False)
    description = forms.CharField(
        label=_("單位簡介"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PlanForm(forms.ModelForm):
    class Meta:
        model = ServicePlan
        fields = [
            "year",
            "title",
            "domain",
            "service_items",
            "expected_volunteers",
            "recruitment",
            "training_plan",
            "insurance_plan",
            "budget",
        ]
        widgets = {
            "service_items": forms.Textarea(attrs={"rows": 4}),
            "recruitment": forms.Textarea(attrs={"rows": 3}),
            "training_plan": forms.Textarea(attrs={"rows": 3}),
            "insurance_plan": forms.Textarea(attrs={"rows": 3}),
        }

    year = RocYearField(label=_("年度（民國）"))


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
