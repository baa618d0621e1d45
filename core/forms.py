"""How every form in the portal renders (settings.FORM_RENDERER), so accessibility is fixed once:

- a ``type=date`` input always carries an ISO value (``2026-11-30``): browsers show any other value
  (such as the zh-Hant input format ``2026/11/30``) as an empty field, and saving again then fails;
- a required field says so in its label (a mark explained by the form's legend) as well as by the
  ``required`` attribute; Django itself adds ``aria-invalid`` and ``aria-describedby`` on errors;
- the error summary at the top of the page lists every field in error (``includes/error_summary.html``).
"""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.roc import ROC_OFFSET

ISO_DATE = "%Y-%m-%d"
# The mark is for the eye; screen readers hear "required" from the field's required attribute.
REQUIRED_MARK = '<span class="required-mark" aria-hidden="true">*</span>'


class DateInput(forms.DateInput):
    """The one date widget: the browser's date picker, with the ISO value it requires."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or ISO_DATE)


class AccessibleBoundField(BoundField):
    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        is_date = getattr(widget, "input_type", None) == "date" or widget.attrs.get("type") == "date"
        if is_date and getattr(widget, "format", ISO_DATE) != ISO_DATE:
            # A date widget some form built by hand (forms.DateInput(attrs={"type": "date"})):
            # give it the ISO format here rather than trusting every form to remember.
            widget = copy.copy(widget)
            widget.format = ISO_DATE
        return super().as_widget(widget, attrs, only_initial)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        # WCAG 1.3.5: a form names the purpose of the personal fields it asks about its user
        # (``autocomplete_fields = {"donor_name": "name", ...}``); "off" where staff type in
        # someone else's details, so the browser does not offer their own.
        hint = getattr(self.form, "autocomplete_fields", {}).get(self.name)
        if hint and "autocomplete" not in attrs and "autocomplete" not in (widget or self.field.widget).attrs:
            attrs["autocomplete"] = hint
        return attrs

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        """Django's label (or legend, with its suffix), with the required mark inside it when required,
        so every way a template renders a label (``{{ form }}``, ``as_field_group``, ``label_tag``,
        allauth's ``as_p``) shows it."""
        html = str(super().label_tag(contents, attrs, label_suffix, tag)).rstrip()
        closing = f"</{tag or 'label'}>"
        if self.shows_required_mark and html.endswith(closing):
            html = html[: -len(closing)] + REQUIRED_MARK + closing
        return mark_safe(html)  # noqa: S308 — Django's own rendering plus a constant

    @property
    def shows_required_mark(self) -> bool:
        # A formset's line is optional as a whole (Django turns use_required_attribute off for it):
        # its fields are required only once the line is used, which the line's own help says.
        return (
            self.field.required
            and self.form.use_required_attribute
            and not self.is_hidden
            and not self.field.disabled
        )


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
    bound_field_class = AccessibleBoundField


def forms_with_errors(context) -> list:
    """The bound forms (and formsets' forms) in a template context that have errors, in order."""
    found, seen = [], set()

    def visit(value):
        if id(value) in seen:
            return
        seen.add(id(value))
        # type(), not isinstance(): isinstance() would evaluate lazy values such as csrf_token
        # (and so set a CSRF cookie on public pages that must be cacheable).
        kind = type(value)
        if issubclass(kind, forms.BaseForm):
            if value.is_bound and value.errors:
                found.append(value)
        elif issubclass(kind, forms.BaseFormSet) and value.is_bound:
            for form in value.forms:
                visit(form)
            if value.non_form_errors():
                found.append(value)

    for layer in context.flatten().values():
        if type(layer) in (list, tuple):
            for item in layer:
                visit(item)
        else:
            visit(layer)
    return found


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
