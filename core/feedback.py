"""Telling the user why a service refused: every message of a ValidationError as a flash message."""

from django.contrib import messages


def flash_errors(request, exc) -> None:
    for message in exc.messages:
        messages.error(request, message)
