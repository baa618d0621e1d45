from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import RocYearField


class YearForm(forms.Form):
    year = RocYearField(label=_("年度（民國）"), required=False)
