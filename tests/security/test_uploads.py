"""Uploads: re-encoded images keep nothing but pixels; a spending's voucher is checked like every
other upload and the approver can open it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.roles import Role
from core.uploads import clean_document_upload, clean_image_upload
from disclosure import services
from donations import services as donation_services
from tests.donations.factories import PledgeFactory
from tests.programs.factories import ProgramFactory

SECRET = b"<script>alert(1)</script> GPS 25.0330N 121.5654E"

# The smallest well-formed PDF: a catalogue, one empty page, its cross-reference table.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
)


def upload(data: bytes, name="f.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def image(fmt: str, **save) -> bytes:
    out = io.BytesIO()
    picture = Image.new("RGB" if fmt != "GIF" else "P", (40, 30), 120)
    picture.save(out, fmt, **save)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "save"),
    [
        ("JPEG", {"comment": SECRET}),
        ("JPEG", {"exif": b"Exif\x00\x00" + SECRET}),
        ("PNG", {"icc_profile": SECRET}),
        ("GIF", {"comment": SECRET}),
    ],
)
def test_re_encoded_images_keep_no_metadata(fmt, save):
    original = image(fmt, **save)
    assert {"comment", "exif", "icc_profile"} & set(Image.open(io.BytesIO(original)).info)
    cleaned = clean_image_upload(upload(original)).read()
    assert SECRET not in cleaned
    reopened = Image.open(io.BytesIO(cleaned))
    assert not {"comment", "exif", "icc_profile"} & set(reopened.info)


def test_a_well_formed_pdf_voucher_is_accepted():
    assert clean_document_upload(upload(PDF)).name.endswith(".pdf")


@pytest.mark.parametrize(
    "data",
    [
        PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
        PDF.replace(b"/Type/Catalog", b"/Type/Catalog/Names<</EmbeddedFiles 5 0 R>>"),
        PDF.replace(b"/Type/Page/", b"/Type/Page/AA<</O<</S/Launch/F(cmd.exe)>>>>/"),
        b"%PDF-1.4\n<html><script>alert(1)</script>",  # a polyglot: PDF by its first bytes only
        b"GIF89a<script>alert(1)</script>",
        b"\x89PNG\r\n\x1a\n<html>",
        b"MZ\x90\x00 an executable",
    ],
)
def test_vouchers_judged_by_their_first_bytes_alone_are_refused(data):
    with pytest.raises(ValidationError):
        clean_document_upload(upload(data))


@pytest.fixture
def spending(db, make_user):
    program = ProgramFactory(published=True)
    pledge = PledgeFactory(program=program, amount=10000)
    donation_services._mark_paid(pledge, paid_at=timezone.now(), channel="credit")
    caseworker = make_user(Role.CASEWORKER, organisation=program.bureau)
    return services.record_spending(
        actor=caseworker,
        program=program,
        spent_on=timezone.localdate(),
        item="餐盒",
        amount=3000,
        payee_type="vendor",
        voucher_number="V-9",
        attachment=upload(image("JPEG", comment=SECRET), "voucher.jpg"),
    )


def test_the_stored_voucher_is_the_re_encoded_image(spending):
    data = spending.attachment.open("rb").read()
    assert data.startswith(b"\xff\xd8\xff")
    assert SECRET not in data


def test_the_approver_and_the_recording_bureau_open_the_voucher_and_nobody_else(client, spending, make_user):
    url = reverse("disclosure:spending_attachment", kwargs={"pk": spending.pk})
    client.force_login(make_user(Role.SW_REVIEWER))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    client.force_login(spending.recorded_by)
    assert client.get(url).status_code == 200
    client.force_login(make_user(Role.CASEWORKER))  # another bureau
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.DONOR))
    assert client.get(url).status_code == 403


def test_the_review_queue_links_the_voucher(client, spending, make_user):
    client.force_login(make_user(Role.SW_REVIEWER))
    html = client.get(reverse("disclosure:spending_queue")).content.decode()
    assert reverse("disclosure:spending_attachment", kwargs={"pk": spending.pk}) in html


def test_a_pdf_voucher_is_sent_as_a_download(client, make_user, spending):
    spending.attachment.save("v.pdf", io.BytesIO(PDF), save=True)
    client.force_login(make_user(Role.SW_REVIEWER))
    response = client.get(reverse("disclosure:spending_attachment", kwargs={"pk": spending.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
