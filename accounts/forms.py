"""A donor's own details: asked at sign-up and in the profile, pre-filled into the give form, so
receipts (and the annual receipt) carry the donor's name, never the account's e-mail."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.validators import validate_receipt_id

from .roles import DonorKind


class DonorDetailsForm(forms.Form):
    name = forms.CharField(label=_("姓名（公司或團體請填名稱）"), max_length=100)
    donor_kind = forms.ChoiceField(
        label=_("捐款身分"), choices=DonorKind.choices, widget=forms.RadioSelect, initial=DonorKind.PERSON
    )
    receipt_name = forms.CharField(label=_("收據抬頭（空白則同姓名）"), max_length=100, required=False)
    receipt_address = forms.CharField(label=_("收據寄送地址"), max_length=255, required=False)
    receipt_id_number = forms.CharField(
        label=_("身分證字號或統一編號"),
        max_length=20,
        required=False,
        help_text=_("申報捐贈扣除額時需要；加密保存，畫面與公開資料不會顯示。"),
    )
    tax_consent = forms.BooleanField(
        label=_("同意將捐款資料提供國稅局，辦理綜合所得稅捐贈扣除額"), required=False
    )

    def clean(self):
        data = super().clean()
        try:
            data["receipt_id_number"] = validate_receipt_id(
                data.get("donor_kind", DonorKind.PERSON), data.get("receipt_id_number", "")
            )
        except ValidationError as exc:
            self.add_error("receipt_id_number", exc)
        if (
            data.get("tax_consent")
            and not data.get("receipt_id_number")
            and not self.has_error("receipt_id_number")
        ):
            self.add_error("receipt_id_number", _("同意申報捐贈扣除額時，請填寫身分證字號或統一編號。"))
        return data


class LanguageSelect(forms.Select):
    """Each language's option is named in, and marked as, its own language (繁體中文 read in a Chinese
    voice on an English page), like the header's language switch."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = "zh-Hant" if value == "zh-hant" else value
        return option


class ProfileForm(DonorDetailsForm):
    """The profile page: the donor's details and the language their e-mails are written in."""

    language = forms.ChoiceField(
        label=_("語言"),
        choices=settings.LANGUAGES,
        widget=LanguageSelect,
        required=False,  # left out: the language stays as it was
        help_text=_("平台寄給您的電子郵件使用此語言。"),
    )


class SignupForm(DonorDetailsForm):
    """allauth's sign-up form gets the donor's details (ACCOUNT_SIGNUP_FORM_CLASS)."""

    def signup(self, request, user):
        # Imported here: allauth imports this form while it loads, before the apps' models are ready.
        from .services import apply_donor_details

        apply_donor_details(user=user, details=self.cleaned_data, actor=None)
