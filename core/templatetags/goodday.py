"""Template helpers used across the portal: ROC dates, masking, NT$ amounts, hours."""

import datetime

from django import template
from django.utils.translation import get_language

from core import roc
from core.numbers import hours_text, ntd_text
from core.validators import mask_identity_number

register = template.Library()


@register.filter
def roc_date(value, style="dot"):
    """``{{ d|roc_date }}`` → 108.06.02; ``{{ d|roc_date:"long" }}`` → 108年06月02日."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    try:
        return roc.to_roc(value, style)
    except ValueError:
        return value.isoformat()


@register.filter
def masked_id(value):
    return mask_identity_number(value) if value else ""


@register.filter
def ntd(value):
    """NT$ with thousands separators, no decimals: 1234567 → NT$1,234,567."""
    return ntd_text(value)


@register.filter
def hours(value, style=""):
    """``{{ h|hours }}`` → 64.50 (two decimals on every database); ``{{ h|hours:"g" }}`` → 1,234.50."""
    return hours_text(value, grouped=style == "g")


@register.simple_tag
def html_lang():
    """BCP 47 tag for <html lang>: Django's zh-hant is written zh-Hant."""
    lang = get_language() or "zh-hant"
    return "zh-Hant" if lang.lower() == "zh-hant" else lang
