"""Telling the user why a service refused, in the user's language, on the page they are on."""

from django.contrib import messages


def flash_errors(request, exc) -> None:
    """Every message of a ValidationError as a flash message (pages without a form to show them)."""
    for message in exc.messages:
        messages.error(request, message)


def add_service_errors(form, exc) -> None:
    """Put a service's ValidationError on the form: messages keyed by a field on that field (or on
    top when the form has no such field), plain messages on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)
