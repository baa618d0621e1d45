from django import forms
from django.utils.translation import gettext_lazy as _


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度（西元）"), min_value=2000, max_value=2100, required=False)
