"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.roc import ROC_OFFSET


class RocYearField(forms.IntegerField):
    """A year typed (and shown) in the ROC calendar, e.g. 115, cleaned to the Western year (2026)
    the models store. A four-digit Western year is still understood, so links with ?year=2026 keep
    working."""

    default_error_messages = {
        "invalid": _("年度請填民國年，例如 115。"),
        "range": _("年度請填民國 89 至 189 年之間，例如 115。"),
    }

    def __init__(self, *, min_year: int = 2000, max_year: int = 2100, **kwargs):
        self.min_year, self.max_year = min_year, max_year
        kwargs.setdefault("help_text", _("民國年，例如 115。"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric"})

    def prepare_value(self, value):
        try:
            year = int(value)
        except (TypeError, ValueError):
            return value
        return year - ROC_OFFSET if year > ROC_OFFSET else year

    def to_python(self, value):
        year = super().to_python(value)
        if year is None:
            return None
        if year <= 200:
            year += ROC_OFFSET
        if not self.min_year <= year <= self.max_year:
            raise ValidationError(self.error_messages["range"], code="range")
        return year
