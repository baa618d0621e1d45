"""The form an officer names a new API key with."""

from django import forms
from django.utils.translation import gettext as _


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("用途（例如：本院志工管理系統）"), max_length=100)
