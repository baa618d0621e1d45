"""The language records are kept in, whatever the language of the person reading the page."""

from django.conf import settings
from django.utils import translation


def in_record_language():
    """Render inside this to write something that outlives the page in Traditional Chinese (the
    portal's language): audit labels, stored snapshots, files for other systems. (Not e-mails: they
    speak their recipient's language, core.notify.)"""
    return translation.override(settings.LANGUAGE_CODE)


def supported_language(code) -> str:
    """``code`` when the portal speaks it, else the portal's language (a stored choice that is no
    longer offered, or none at all, falls back to zh-Hant)."""
    code = (code or "").lower()
    return code if code in {known for known, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def current_language() -> str:
    """The language of the page being served: remembered with what a person gives or signs up for,
    so the e-mails they get later speak it (core.notify)."""
    return supported_language(translation.get_language())
