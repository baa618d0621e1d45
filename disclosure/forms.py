from django import forms

from programs.models import Program

from .models import PayeeType


class DateInput(forms.DateInput):
    input_type = "date"


class SpendingForm(forms.Form):
    program = forms.ModelChoiceField(Program.objects.none(), label="方案")
    spent_on = forms.DateField(label="支出日期", widget=DateInput())
    item = forms.CharField(label="支出項目", max_length=200)
    amount = forms.IntegerField(
        label="金額（元）", min_value=1, error_messages={"min_value": "金額必須大於 0。"}
    )
    payee_type = forms.ChoiceField(label="受款對象", choices=PayeeType.choices)
    voucher_number = forms.CharField(label="傳票／憑證號碼", max_length=50)
    attachment = forms.FileField(label="憑證附件（PDF 或圖片）", required=False)

    def __init__(self, *args, bureau_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(
            bureau_id=bureau_id, status__in=["published", "closed"]
        )


class BuildForm(forms.Form):
    year = forms.IntegerField(label="年（西元）", min_value=2019, max_value=2100)
    month = forms.IntegerField(label="月", min_value=1, max_value=12)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="會議日期", widget=DateInput())
    title = forms.CharField(label="會議名稱", max_length=200)
    period_start = forms.DateField(label="審查期間起", widget=DateInput())
    period_end = forms.DateField(label="審查期間迄", widget=DateInput())
    minutes = forms.CharField(label="會議紀錄", widget=forms.Textarea(attrs={"rows": 5}), required=False)
