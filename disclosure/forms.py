from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from programs.models import Program, ProgramStatus

from .models import PayeeType


class SpendingForm(forms.Form):
    program = forms.ModelChoiceField(Program.objects.none(), label=_("方案"))
    spent_on = forms.DateField(label=_("支出日期"), widget=DateInput())
    item = forms.CharField(label=_("支出項目"), max_length=200)
    amount = forms.IntegerField(
        label=_("金額（元）"), min_value=1, error_messages={"min_value": _("金額必須大於 0。")}
    )
    payee_type = forms.ChoiceField(label=_("受款對象"), choices=PayeeType.choices)
    voucher_number = forms.CharField(label=_("傳票／憑證號碼"), max_length=50)
    attachment = forms.FileField(label=_("憑證附件（PDF 或圖片）"), required=False)

    def __init__(self, *args, bureau_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(
            bureau_id=bureau_id, status__in=[ProgramStatus.PUBLISHED, ProgramStatus.CLOSED]
        )


class BuildForm(forms.Form):
    year = forms.IntegerField(label=_("年（西元）"), min_value=2019, max_value=2100)
    month = forms.IntegerField(label=_("月"), min_value=1, max_value=12)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("會議日期"), widget=DateInput())
    title = forms.CharField(label=_("會議名稱"), max_length=200)
    period_start = forms.DateField(label=_("審查期間起"), widget=DateInput())
    period_end = forms.DateField(label=_("審查期間迄"), widget=DateInput())
    minutes = forms.CharField(label=_("會議紀錄"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
