"""Card numbers (gap-free under a race), the PDF (text, fonts, QR), the command, reprint and batch print."""

import datetime
import io
import re
import shutil
import subprocess
import threading

import pytest
from django.core.management import call_command
from django.db import close_old_connections
from django.urls import reverse

from core.roc import to_roc
from honorcards import services
from honorcards.models import BatchStatus, Counter, PrintBatch
from honorcards.pdf import qr_png
from tests.honorcards.factories import World
from tests.volunteers.factories import UnitFactory, officer_of

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def decode_qr_in_pdf(data: bytes, tmp_path) -> list[str]:
    (tmp_path / "card.pdf").write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "300",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(tmp_path / "card.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line]


@pytest.fixture
def world():
    return World()


def test_card_numbers_are_the_roc_year_and_a_five_digit_sequence(world):
    today = datetime.date(2026, 3, 1)
    with_transaction = services.next_card_number
    from django.db import transaction

    with transaction.atomic():
        assert with_transaction(today) == "11500001"
        assert with_transaction(today) == "11500002"
        assert with_transaction(datetime.date(2027, 1, 1)) == "11600001"


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_the_same_instant_get_consecutive_numbers():
    world = World()
    applications = [world.apply() for _ in range(2)]
    for application in applications:
        services.centre_approve(application=application, actor=world.centre)
    from accounts.roles import Role
    from tests.accounts.factories import make_user

    colleague = make_user(Role.CARD_REVIEWER)
    barrier = threading.Barrier(2)
    numbers, errors = [], []

    def approve(application, actor):
        try:
            barrier.wait()
            numbers.append(services.final_approve(application=application, actor=actor).number)
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=approve, args=(applications[0], world.reviewer)),
        threading.Thread(target=approve, args=(applications[1], colleague)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    year = datetime.date.today().year - 1911
    assert sorted(numbers) == [f"{year}00001", f"{year}00002"]
    assert Counter.objects.get(roc_year=year).last == 2


def test_the_qr_image_holds_the_verify_url(tmp_path, world):
    if not shutil.which("zbarimg"):
        pytest.skip("zbarimg (zbar-tools) is not installed")
    card = world.issue()
    (tmp_path / "qr.png").write_bytes(qr_png(card.verify_url))
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True
    )
    assert out.stdout.strip() == card.verify_url


def test_the_card_pdf_prints_front_and_back_and_a_scannable_qr(tmp_path, world, settings):
    settings.SITE_URL = "https://goodday.example.gov.tw"
    card = world.issue()
    services.store_card_pdf(card)
    data = card.pdf.open("rb").read()
    text = pdf_text(data)
    for expected in (
        "志願服務榮譽卡",
        card.holder_name,
        f"有效期限：{to_roc(card.expires_on)}",
        f"編號：{card.number}",
        settings.HONOR_CARD_ISSUING_AUTHORITY,
        "注意事項",
        "不得重複計算",
        f"持卡人出生年月日：{to_roc(card.volunteer.birth_date, 'long')}",
        card.volunteer.identity_number,
    ):
        assert expected in text, expected
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True).stdout.decode()
    assert "CJK" in fonts and re.search(r"yes\s+yes", fonts)  # embedded subset
    if shutil.which("zbarimg"):
        assert decode_qr_in_pdf(data, tmp_path) == [card.verify_url]
        assert card.verify_url.startswith("https://goodday.example.gov.tw/honor-cards/v/")


def test_the_management_command_writes_several_cards(tmp_path, world):
    cards = [world.issue() for _ in range(4)]
    out = tmp_path / "cards.pdf"
    call_command("honorcard_pdf", *[c.number for c in cards], "-o", str(out), stderr=io.StringIO())
    text = pdf_text(out.read_bytes())
    assert all(c.number in text for c in cards)
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+2", pages)  # three cards a sheet
    assert "A4" in pages or "595" in pages


def test_the_command_refuses_an_unknown_number(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="99999999"):
        call_command("honorcard_pdf", "99999999", "-o", str(tmp_path / "x.pdf"))


def test_the_unit_reprints_its_card_and_others_cannot(client, world):
    card = world.issue()
    client.force_login(world.officer)
    response = client.get(reverse("honorcards:card_pdf", args=[card.number]))
    assert response.status_code == 200
    assert card.number in pdf_text(b"".join(response.streaming_content))
    client.force_login(officer_of(UnitFactory(approved=True)))
    assert client.get(reverse("honorcards:card_pdf", args=[card.number])).status_code == 404


def test_batch_print_builds_one_pdf_with_progress(client, world):
    cards = [world.issue() for _ in range(4)]
    client.force_login(world.officer)
    response = client.post(reverse("honorcards:batch_print"), {"card": [c.number for c in cards]})
    batch = PrintBatch.objects.get()
    assert response["Location"] == reverse("honorcards:batch", args=[batch.pk])
    # Tests run tasks eagerly but on_commit never fires in a rolled-back test: build it here.
    services.build_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.done == 4
    page = client.get(reverse("honorcards:batch", args=[batch.pk])).content.decode()
    assert "<progress" in page and 'value="4"' in page
    pdf = client.get(reverse("honorcards:batch_pdf", args=[batch.pk]))
    text = pdf_text(b"".join(pdf.streaming_content))
    assert all(c.number in text for c in cards)


def test_a_unit_cannot_batch_print_another_units_cards(client, world):
    card = world.issue()
    client.force_login(officer_of(UnitFactory(approved=True)))
    client.post(reverse("honorcards:batch_print"), {"card": [card.number]})
    assert not PrintBatch.objects.exists()


def test_only_the_card_reviewer_revokes(client, world, make_user):
    from accounts.roles import Role

    card = world.issue()
    for user in (world.officer, world.centre, make_user(Role.SW_REVIEWER)):
        client.force_login(user)
        assert client.post(reverse("honorcards:revoke", args=[card.number]), {"reason": "x"}).status_code in (
            403,
            404,
        )
    client.force_login(world.reviewer)
    client.post(reverse("honorcards:revoke", args=[card.number]), {"reason": "冒用"})
    card.refresh_from_db()
    assert card.status == "revoked"


def test_a_revoked_card_prints_marked_void_and_is_left_out_of_batches(client, world):
    card = world.issue()
    services.store_card_pdf(card)
    services.revoke_card(card=card, actor=world.reviewer, reason="資格不符")
    client.force_login(world.officer)
    response = client.get(reverse("honorcards:card_pdf", args=[card.number]))
    assert "作廢" in pdf_text(response.content)
    client.post(reverse("honorcards:batch_print"), {"card": [card.number]})
    assert not PrintBatch.objects.exists()


def test_card_and_application_lists_make_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for _ in range(3):
        world.issue()
    world.apply()
    client.force_login(world.officer)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("honorcards:cards")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("honorcards:applications")).status_code == 200
    client.force_login(world.reviewer)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("honorcards:cards")).status_code == 200
