from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from programs.models import Program, ProgramStatus

from .models import Channel, DisclosureMode, DonorKind

ONLINE_CHOICES = [
    (c.value, c.label)
    for c in (Channel.CREDIT, Channel.ATM, Channel.CVS, Channel.BARCODE, Channel.WEBATM, Channel.TWQR)
]


# The blank give form's markup by (guest, language): at most a few entries, for the process's life.
_BLANK_HTML: dict[tuple, str] = {}


class GiveForm(forms.Form):
    autocomplete_fields = {
        "donor_name": "name",
        "receipt_name": "name",
        "receipt_address": "street-address",
        "guest_email": "email",
    }
    amount = forms.IntegerField(
        label=_("捐款金額（新臺幣）"), min_value=100, max_value=2_000_000, initial=500
    )
    channel = forms.ChoiceField(
        label=_("付款方式"), choices=ONLINE_CHOICES, widget=forms.RadioSelect, initial="credit"
    )
    donor_kind = forms.ChoiceField(
        label=_("捐款身分"), choices=DonorKind.choices, widget=forms.RadioSelect, initial="person"
    )
    donor_name = forms.CharField(label=_("捐款人姓名／公司名稱"), max_length=100)
    disclosure_mode = forms.ChoiceField(
        label=_("公開徵信時如何顯示"),
        choices=DisclosureMode.choices,
        widget=forms.RadioSelect,
        initial="full",
    )
    display_name = forms.CharField(label=_("自訂顯示名稱"), max_length=50, required=False)
    receipt_name = forms.CharField(label=_("收據抬頭（空白則同捐款人）"), max_length=100, required=False)
    receipt_id_number = forms.CharField(
        label=_("身分證字號或統一編號"),
        max_length=20,
        required=False,
        help_text=_("申報捐贈扣除額時需要；畫面與公開資料不會顯示。"),
    )
    receipt_address = forms.CharField(label=_("收據地址"), max_length=255, required=False)
    tax_consent = forms.BooleanField(
        label=_("同意將捐款資料提供國稅局，辦理綜合所得稅捐贈扣除額"), required=False
    )
    email_updates = forms.BooleanField(label=_("以電子郵件接收此方案的進度"), required=False)
    guest_email = forms.EmailField(label=_("電子郵件（收據寄送用）"), required=False)
    monthly = forms.BooleanField(label=_("每月定期定額（信用卡，12 期，可隨時停止）"), required=False)

    def __init__(self, *args, guest=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.guest = guest
        if guest:
            self.fields["guest_email"].required = True
            del self.fields["monthly"]  # a monthly gift belongs to an account the donor can manage
        else:
            del self.fields["guest_email"]

    def markup(self):
        """The form's markup. The blank form (nothing posted, nothing pre-filled: every guest's) is
        the same for every reader in a language, so a web process renders it once and keeps it (a
        disaster appeal's surge opens it hundreds of times a second; its dozen widgets' templates
        were most of the page's time). Bound or pre-filled forms are rendered each time."""
        if self.is_bound or self.initial:
            return self.render()
        key = (self.guest, get_language())
        html = _BLANK_HTML.get(key)
        if html is None:
            html = _BLANK_HTML[key] = self.render()
        return html

    def clean(self):
        data = super().clean()
        if data.get("monthly") and data.get("channel") != "credit":
            self.add_error("monthly", _("定期定額捐款僅限信用卡付款。"))
        return data


class RefundForm(forms.Form):
    reason = forms.CharField(label=_("退款理由"), widget=forms.Textarea(attrs={"rows": 3}))
    cover_from_unrestricted = forms.BooleanField(
        label=_("指定用途基金不足時，由不指定用途基金撥補差額（撥補列入當月公開徵信）"), required=False
    )


class CorrectionForm(forms.Form):
    receipt_name = forms.CharField(label=_("收據抬頭"), max_length=100)
    receipt_id_number = forms.CharField(label=_("身分證字號或統一編號"), max_length=20, required=False)
    reason = forms.CharField(label=_("更正理由"), max_length=200)


class ReceiveGoodsForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("驗收數量"), min_value=1, error_messages={"min_value": _("驗收數量必須大於 0。")}
    )
    condition = forms.CharField(label="物品狀況", max_length=100, initial="全新")
    unit_value = forms.IntegerField(label=_("市價單價（元）"), min_value=0)
    storage_location = forms.CharField(label=_("保管地點"), max_length=200, required=False)


class CustodyForm(forms.Form):
    storage_location = forms.CharField(label=_("保管地點"), max_length=200)


class HandoutForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("發放數量"), min_value=1, error_messages={"min_value": _("發放數量必須大於 0。")}
    )
    recipient = forms.CharField(
        label=_("發放對象（受益群體或分行）"),
        max_length=200,
        # Published on the program page and in donors' dashboards (disclosure.masking.general_recipient).
        help_text=_(
            "會公開於方案頁面：請寫受益群體、地區或分行（例如：萬華區獨居長者 30 戶），勿填個人姓名或電話。"
        ),
    )
    handed_out_on = forms.DateField(label=_("發放日期"), widget=DateInput())


class ServiceDeliveryForm(forms.Form):
    served_by = forms.CharField(label=_("服務者"), max_length=100)
    served_on = forms.DateField(label=_("服務日期"), widget=DateInput())
    hours = forms.DecimalField(label=_("時數"), max_digits=6, decimal_places=2, min_value=0.25)


class OfflineGiftForm(forms.Form):
    autocomplete_fields = dict.fromkeys(
        ("donor_name", "display_name", "guest_email"), "off"
    )  # the donor's, not staff's
    channel = forms.ChoiceField(label=_("方式"), choices=[("remittance", _("匯款")), ("cheque", _("支票"))])
    amount = forms.IntegerField(label=_("金額（元）"), min_value=1)
    paid_on = forms.DateField(label=_("入帳日期"), widget=DateInput())
    donor_kind = forms.ChoiceField(
        label=_("捐款身分"), choices=[("person", _("個人")), ("company", _("公司／團體"))]
    )
    donor_name = forms.CharField(label=_("捐款人姓名／名稱"), max_length=100)
    disclosure_mode = forms.ChoiceField(
        label=_("徵信顯示方式"),
        choices=[
            ("full", _("公開全名（個人遮蔽）")),
            ("display_name", _("自訂名稱")),
            ("anonymous", _("匿名")),
        ],
    )
    display_name = forms.CharField(label=_("自訂顯示名稱"), max_length=50, required=False)
    program = forms.ModelChoiceField(
        queryset=None, label=_("指定方案"), required=False, empty_label=_("不指定用途")
    )
    guest_email = forms.EmailField(label=_("捐款人電子郵件"), required=False)
    receipt_name = forms.CharField(label=_("收據抬頭（空白則同捐款人）"), max_length=100, required=False)
    receipt_id_number = forms.CharField(
        label=_("身分證字號或統一編號"),
        max_length=20,
        required=False,
        help_text=_("申報捐贈扣除額時需要；畫面與公開資料不會顯示。"),
    )
    receipt_address = forms.CharField(label=_("收據地址"), max_length=255, required=False)
    tax_consent = forms.BooleanField(
        label=_("捐款人同意將捐款資料提供國稅局，辦理綜合所得稅捐贈扣除額"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(
            status=ProgramStatus.PUBLISHED, money_target__gt=0
        )


class StatementForm(forms.Form):
    file = forms.FileField(label=_("銀行對帳單或金流撥款檔（CSV 或 Excel .xlsx）"))
