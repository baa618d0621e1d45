from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.roles import OrganisationKind

from ..models import ServiceDomain, ServicePlan


class UnitRegistrationForm(forms.Form):
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


class UnitForm(forms.Form):
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
        help_texts = {"year": _("西元年，例如 2026（民國 115 年）。")}

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("年度請填西元年，例如 2026。"))
        return year


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
