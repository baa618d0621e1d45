"""The language records are kept in, whatever the language of the person reading the page."""

from django.conf import settings
from django.utils import translation


def in_record_language():
    """Render inside this to write something that outlives the page in Traditional Chinese (the
    portal's language): audit labels, stored snapshots, e-mails, files for other systems."""
    return translation.override(settings.LANGUAGE_CODE)
