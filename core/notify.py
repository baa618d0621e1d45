"""E-mail to the people a change concerns, sent by a Celery task after the transaction commits.

Each e-mail speaks its recipient's language, not the language of the person whose action sent it:
an English donor gets an English receipt when zh-Hant staff confirm the payment. A recipient is

* a user (anything with ``email`` and ``language``): their account's language;
* an ``(address, language)`` pair: a guest, with the language stored where they gave or applied;
* a plain address: the portal's language (zh-Hant).

The subject is a lazy translation (``gettext_lazy``, or ``format_lazy`` around one) and the template
uses ``{% translate %}``: both are rendered once per language, under ``translation.override``.
"""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext

from core.language import supported_language
from core.queueing import queue_after_commit


def recipient(person) -> tuple[str, str] | None:
    """``(address, language)`` for one recipient in any of the accepted forms; None without an address."""
    if not person:
        return None
    if isinstance(person, str):
        address, language = person, settings.LANGUAGE_CODE
    elif isinstance(person, (tuple, list)):
        address, language = person[0], (person[1] if len(person) > 1 else "")
    else:
        address, language = getattr(person, "email", ""), getattr(person, "language", "")
    address = (address or "").strip()
    return (address, supported_language(language)) if address else None


def _interpolated(message, params) -> str:
    return str(message) % params


# ``interpolate_lazy(gettext_lazy("「%(title)s」…"), {"title": …})``: a %-style message worded
# when rendered (in the recipient's language), not when the action happens.
interpolate_lazy = lazy(_interpolated, str)


def people(users) -> list[tuple[str, str]]:
    """A queryset of users as recipients: ``(address, language)`` pairs, read in one query."""
    return list(users.exclude(email="").values_list("email", "language"))


def by_language(recipients) -> dict[str, list[str]]:
    """The recipients' addresses grouped by language, each address once (with the first language it
    is listed with: list accounts before guests)."""
    chosen: dict[str, str] = {}
    for person in recipients:
        found = recipient(person)
        if found is not None:
            chosen.setdefault(*found)
    groups: dict[str, list[str]] = {}
    for address, language in chosen.items():
        groups.setdefault(language, []).append(address)
    return {language: sorted(addresses) for language, addresses in sorted(groups.items())}


def send_notification(recipients, subject, template_name: str, context: dict) -> None:
    """Queue the e-mail, rendered once per recipients' language, once the current transaction
    commits (never for a rollback)."""
    for language, addresses in by_language(recipients).items():
        with translation.override(language):
            body = render_to_string(template_name, {"SITE_URL": settings.SITE_URL, **context})
            text = str(subject)
        queue_after_commit(send_email_task, addresses, text, body, language)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email_task(addresses: list[str], subject: str, body: str, language: str = "") -> int:
    """One message per address over one connection: recipients never see each other's addresses
    (donors of one program, a unit's officers — personal data on a need-to-know basis)."""
    with translation.override(supported_language(language)):
        line = subject_line(subject)
    messages = [EmailMessage(line, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    return get_connection().send_messages(messages) or 0


def subject_line(subject) -> str:
    """``[好日子] …`` / ``[Goodday] …``: the portal's name in the active language, then the subject
    (also for allauth's e-mails, accounts.adapters), on one line: titles and names people typed
    may hold line breaks (a crafted form), which the mail library refuses in a header; the whole
    message would be lost. Every run of whitespace, line breaks included, becomes one space."""
    return " ".join(f"[{gettext('好日子')}] {subject}".split())
