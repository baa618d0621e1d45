from django import forms

from .models import Channel, DisclosureMode, DonorKind

ONLINE_CHOICES = [
    (c.value, c.label)
    for c in (Channel.CREDIT, Channel.ATM, Channel.CVS, Channel.BARCODE, Channel.WEBATM, Channel.TWQR)
]


class GiveForm(forms.Form):
    amount = forms.IntegerField(label="捐款金額（新臺幣）", min_value=100, max_value=2_000_000, initial=500)
    channel = forms.ChoiceField(
        label="付款方式", choices=ONLINE_CHOICES, widget=forms.RadioSelect, initial="credit"
    )
    donor_kind = forms.ChoiceField(
        label="捐款身分", choices=DonorKind.choices, widget=forms.RadioSelect, initial="person"
    )
    donor_name = forms.CharField(label="捐款人姓名／公司名稱", max_length=100)
    disclosure_mode = forms.ChoiceField(
        label="公開徵信時如何顯示", choices=DisclosureMode.choices, widget=forms.RadioSelect, initial="full"
    )
    display_name = forms.CharField(label="自訂顯示名稱", max_length=50, required=False)
    receipt_name = forms.CharField(label="收據抬頭（空白則同捐款人）", max_length=100, required=False)
    receipt_id_number = forms.CharField(
        label="身分證字號或統一編號",
        max_length=20,
        required=False,
        help_text="申報捐贈扣除額時需要；畫面與公開資料不會顯示。",
    )
    receipt_address = forms.CharField(label="收據地址", max_length=255, required=False)
    tax_consent = forms.BooleanField(
        label="同意將捐款資料提供國稅局，辦理綜合所得稅捐贈扣除額", required=False
    )
    email_updates = forms.BooleanField(label="以電子郵件接收此方案的進度", required=False)
    guest_email = forms.EmailField(label="電子郵件（收據寄送用）", required=False)

    def __init__(self, *args, guest=False, **kwargs):
        super().__init__(*args, **kwargs)
        if guest:
            self.fields["guest_email"].required = True
        else:
            del self.fields["guest_email"]


class RefundForm(forms.Form):
    reason = forms.CharField(label="退款理由", widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    receipt_name = forms.CharField(label="收據抬頭", max_length=100)
    receipt_id_number = forms.CharField(label="身分證字號或統一編號", max_length=20, required=False)
    reason = forms.CharField(label="更正理由", max_length=200)
