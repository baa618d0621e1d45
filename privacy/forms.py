from django import forms
from django.utils.translation import gettext_lazy as _


class CorrectionForm(forms.Form):
    organisation = forms.ChoiceField(label=_("受理單位"))
    message = forms.CharField(
        label=_("需要更正的內容"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("請寫明哪一筆資料有誤、正確內容為何。請勿在此填寫完整身分證字號。"),
    )

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.recipients = {str(org.pk): org for org in recipients}
        self.fields["organisation"].choices = [(pk, org.name) for pk, org in self.recipients.items()]

    def clean_organisation(self):
        return self.recipients[self.cleaned_data["organisation"]]


class HandleRequestForm(forms.Form):
    reply = forms.CharField(label=_("處理說明"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class CloseAccountForm(forms.Form):
    password = forms.CharField(label=_("請輸入密碼確認"), widget=forms.PasswordInput)
    confirm = forms.BooleanField(label=_("我了解帳號註銷後無法復原"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        from .services import password_try_allowed

        password = self.cleaned_data["password"]
        if not password_try_allowed(self.user):
            raise forms.ValidationError(_("密碼嘗試次數過多，請一小時後再試。"))
        if not self.user.check_password(password):
            raise forms.ValidationError(_("密碼不正確。"))
        return password
