"""Writes to accounts that people make themselves: their donor details and their language."""

from django.db import transaction

from audit.services import record_event
from core.language import supported_language

from .models import User

DONOR_FIELDS = ("name", "donor_kind", "receipt_name", "receipt_address", "receipt_id_number", "tax_consent")


@transaction.atomic
def apply_donor_details(*, user, details: dict, actor=None):
    """Save a donor's own details (validated by the form); the ID number is encrypted at rest and
    only whether it changed is audited."""
    changes = {}
    for field in DONOR_FIELDS:
        value = details.get(field, getattr(user, field))
        if isinstance(value, str):
            value = value.strip()
        if getattr(user, field) != value:
            shown = ["…", "…"] if field == "receipt_id_number" else [getattr(user, field), value]
            changes[field] = shown
            setattr(user, field, value)
    if not user.receipt_name:
        user.receipt_name = user.name
    user.save()
    if changes:
        record_event(actor=actor or user, action="account.donor_details", target=user, changes=changes)
    return user


def give_form_initial(user) -> dict:
    """The give form pre-filled from the donor's details."""
    if not (user and user.is_authenticated):
        return {}
    return {
        "donor_kind": user.donor_kind,
        "donor_name": user.name,
        "receipt_name": user.receipt_name or user.name,
        "receipt_address": user.receipt_address,
        "receipt_id_number": user.receipt_id_number,
        "tax_consent": user.tax_consent,
    }


def remember_language(*, user, language: str) -> None:
    """A signed-in person chose a language (the header's switch or the profile): their e-mails are
    written in it from now on. Not audited: a preference, not a record."""
    language = supported_language(language)
    if user is None or not user.is_authenticated or user.language == language:
        return
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
