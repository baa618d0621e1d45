"""The upload form (the import service does the real checks)."""

from django import forms
from django.utils.translation import gettext as _

from ..models import ImportKind


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("匯入類別"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("檔案（.xlsx 或 .csv）"),
        help_text=_("請使用下載的範本；整份檔案檢查無誤才會匯入，有任何錯誤則全部不匯入。"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            }
        ),
    )
