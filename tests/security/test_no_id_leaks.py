"""Nothing leaks on the side: after the journeys that handle ID numbers (a unit registers and
imports volunteers through the page and the API and exports them; a donor gives with a receipt ID;
staff read the records; a page fails), no whole ID number is in the logs as written, the e-mails,
the error pages, the pages and the exports. The exceptions are the two files whose purpose is the
whole number (the national-system export and the tax export, for the roles that may download
them) and the explicit, audited "show" on the volunteer's page; they are not fetched here.
"""

import io
import logging
import re
import subprocess
import zipfile

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent, TaskFailure
from core.logging import RedactIdentifiersFilter
from core.seeding import fake_national_id
from tests.volunteers.factories import UnitFactory, officer_of

pytestmark = pytest.mark.django_db

VOLUNTEER_ID = fake_national_id(7_100_001)  # registered through the page
API_ID = fake_national_id(7_100_002)  # through the API
IMPORTED_ID = fake_national_id(7_100_003)  # through an import
DONOR_ID = "A123456789"  # on a gift's receipt
WHOLE_IDS = (VOLUNTEER_ID, API_ID, IMPORTED_ID, DONOR_ID)


class Leaks:
    """Everything the journeys produced, by where it went."""

    def __init__(self):
        self.seen: list[tuple[str, str]] = []

    def add(self, where: str, text: str) -> None:
        self.seen.append((where, text))

    def response(self, where: str, response) -> None:
        content_type = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if "pdf" in content_type:
            text = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout
            self.add(where, text.decode())
        elif "spreadsheet" in content_type:
            with zipfile.ZipFile(io.BytesIO(body)) as book:
                self.add(where, " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist()))
        else:
            self.add(where, body.decode("utf-8", "replace"))

    def found(self) -> list[str]:
        return [f"{where}: {number}" for where, text in self.seen for number in WHOLE_IDS if number in text]


@pytest.fixture
def written_log():
    """What the configured log handlers actually write (after their redaction filter)."""
    stream = io.StringIO()
    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler)
        and any(isinstance(f, RedactIdentifiersFilter) for f in h.filters)
    ]
    assert handlers, "the console handler with the redaction filter is configured"
    previous = [h.setStream(stream) for h in handlers]
    yield stream
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)


def _volunteer_journeys(leaks: Leaks, client: Client, on_commit):
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    client.force_login(officer)
    response = client.post(
        reverse("volunteers:volunteer_add", args=[unit.pk]),
        {
            "name": "林志明",
            "identity_kind": "national_id",
            "identity_number": VOLUNTEER_ID,
            "birth_date": "1970-05-17",
            "sex": "M",
            "main_domain": "social_welfare",
        },
        follow=True,
    )
    leaks.response("page after registering a volunteer", response)
    response = client.post(
        reverse("api-volunteers"),
        {
            "name": "陳美玲",
            "identity_number": API_ID,
            "birth_date": "1980-01-02",
            "sex": "F",
            "main_domain": "social_welfare",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    leaks.response("API answer to registering a volunteer", response)
    csv = f"姓名,證件號碼,出生日期,性別\n張大同,{IMPORTED_ID},1975-03-04,男\n".encode()
    upload = io.BytesIO(csv)
    upload.name = "volunteers.csv"
    with on_commit(execute=True):
        response = client.post(reverse("volunteers:import_list"), {"kind": "volunteers", "file": upload})
    leaks.response("import result page", client.get(response["Location"]))

    from volunteers.models import Volunteer

    people = list(Volunteer.objects.filter(memberships__unit=unit))
    assert len(people) == 3
    pages = [
        reverse("volunteers:volunteer_list", args=[unit.pk]),
        reverse("volunteers:volunteer_list", args=[unit.pk]) + "?q=林",
        reverse("volunteers:insurance_list", args=[unit.pk]),
        reverse("volunteers:hours_list"),
        reverse("volunteers:exports"),
        reverse("volunteers:export_xlsx"),
    ]
    for person in people:
        pages += [
            reverse("volunteers:volunteer_detail", args=[person.pk]),
            reverse("volunteers:resume", args=[person.pk]),
            reverse("volunteers:resume_pdf", args=[person.pk]),
            reverse("api-volunteer", args=[person.pk]),
        ]
    for url in pages:
        leaks.response(f"officer GET {url}", client.get(url))
    # Oversight staff read the same people.
    client.force_login(_staff(Role.CENTRE_STAFF))
    for person in people:
        url = reverse("volunteers:volunteer_detail", args=[person.pk])
        leaks.response(f"centre GET {url}", client.get(url))


def _staff(role):
    from tests.accounts.factories import make_user

    return make_user(role)


def _donation_journeys(leaks: Leaks, client: Client, settings, on_commit):
    from donations.models import Pledge, Receipt
    from tests.programs.factories import ProgramFactory

    settings.ECPAY_SANDBOX = True
    program = ProgramFactory(published=True)
    donor = _staff(Role.DONOR)
    client.force_login(donor)
    response = client.post(
        reverse("donations:give") + f"?program={program.pk}",
        {
            "amount": 500,
            "donor_kind": "person",
            "donor_name": "王小明",
            "disclosure_mode": "full",
            "receipt_id_number": DONOR_ID,
            "receipt_address": "臺北市信義區市府路1號",
            "channel": "credit",
        },
        follow=True,
    )
    leaks.response("checkout page", response)
    pledge = Pledge.objects.get(donor=donor)
    with on_commit(execute=True):
        client.post(reverse("payments:sandbox"), _sandbox_fields(response.content.decode()))
        client.post(
            reverse("payments:sandbox_act"), {"MerchantTradeNo": pledge.merchant_trade_no, "action": "pay"}
        )
    receipt = Receipt.objects.get(pledge=pledge)
    today = timezone.localdate()
    for url in [
        reverse("donations:dashboard"),
        reverse("donations:pledge", args=[pledge.merchant_trade_no]),
        reverse("donations:receipt_pdf", args=[receipt.number]),
        reverse("donations:annual_receipt", args=[today.year - 1911]),
        reverse("privacy:my_data"),
        reverse("privacy:my_data_json"),
        reverse("privacy:my_data_pdf"),
    ]:
        leaks.response(f"donor GET {url}", client.get(url))
    client.force_login(_staff(Role.SW_REVIEWER))
    for url in [
        reverse("donations:staff_list"),
        reverse("donations:pledge", args=[pledge.merchant_trade_no]),
    ]:
        leaks.response(f"reviewer GET {url}", client.get(url))
    # The month in progress is shown provisionally on the public page (its files come when it ends).
    client.logout()
    for url in (
        reverse("disclosure:index"),
        reverse("disclosure:month", kwargs={"year": today.year, "month": today.month}),
    ):
        leaks.response(f"public GET {url}", client.get(url))


def _sandbox_fields(html: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def _error_journeys(leaks: Leaks, monkeypatch):
    client = Client(raise_request_exception=False)
    # An ID number typed into an address: the 404 page, and the "Not Found" log line.
    leaks.response("404 page", client.get(f"/volunteers/people/{VOLUNTEER_ID}/"))
    # A bug whose exception message carries an ID number: the 500 page, the logged traceback.
    import privacy.selectors

    def broken(user):
        raise RuntimeError(f"cannot read the record of {VOLUNTEER_ID}")

    monkeypatch.setattr(privacy.selectors, "personal_data_of", broken)
    client.force_login(_staff(Role.DONOR))
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == 500
    leaks.response("500 page", response)


def test_no_whole_id_number_leaks_into_logs_mail_error_pages_or_exports(
    client, settings, monkeypatch, written_log, django_capture_on_commit_callbacks
):
    leaks = Leaks()
    _volunteer_journeys(leaks, client, django_capture_on_commit_callbacks)
    _donation_journeys(leaks, client, settings, django_capture_on_commit_callbacks)
    _error_journeys(leaks, monkeypatch)

    for message in mail.outbox:
        leaks.add(f"e-mail {message.subject!r}", message.subject + message.body)
        for _name, content, _type in message.attachments:
            leaks.add(f"e-mail attachment of {message.subject!r}", str(content))
    for event in AuditEvent.objects.all():
        leaks.add(f"audit {event.action}", f"{event.target_label} {event.changes} {event.reason}")
    for failure in TaskFailure.objects.all():
        leaks.add("task failure", failure.exception + failure.traceback)
    log = written_log.getvalue()
    leaks.add("log", log)

    assert mail.outbox, "the journeys sent e-mail"
    assert "cannot read the record of" in log, "the failure was logged"
    found = leaks.found()
    assert not found, "whole ID numbers found in:\n" + "\n".join(found)
