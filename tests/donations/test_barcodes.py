"""Store barcodes: ECPay's three convenience-store barcodes shown as scannable Code 39 images."""

import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw

from core.barcodes import code39_svg, modules
from tests.donations.factories import PledgeFactory


def decode(text: str) -> str:
    """Draw the symbol the SVG is made of and read it back with zbar, as a cashier's scanner would."""
    runs = modules(text)
    scale, quiet = 3, 30
    width = sum(w for _, w in runs) * scale + 2 * quiet
    image = Image.new("L", (width, 80), 255)
    draw, x = ImageDraw.Draw(image), quiet
    for is_bar, w in runs:
        if is_bar:
            draw.rectangle([x, 0, x + w * scale - 1, 79], fill=0)
        x += w * scale
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "code.png"
        image.save(path)
        out = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Scode39.enable", str(path)],
            capture_output=True,
            check=True,
        )
    return out.stdout.decode().strip()


@pytest.mark.parametrize(
    "value", ["141130616", "6912345678901234", "1130000000500", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"]
)
def test_code39_symbols_scan_back_to_their_value(value):
    assert decode(value) == value


def test_the_svg_draws_the_same_bars_and_refuses_what_code39_cannot_carry():
    svg = str(code39_svg("141130616"))
    assert svg.count("<rect") == 1 + sum(1 for is_bar, _ in modules("141130616") if is_bar)
    assert 'role="img"' in svg and 'aria-label="141130616"' in svg
    with pytest.raises(ValueError):
        modules("中文")


@pytest.mark.django_db
def test_the_voucher_page_shows_the_three_barcodes_as_images(client, program):
    pledge = PledgeFactory(
        program=program,
        channel="barcode",
        status="awaiting_payment",
        voucher={"Barcode1": "141130616", "Barcode2": "6912345678901234", "Barcode3": "1130000000500"},
    )
    session = client.session
    session["donations.guest_trade_nos"] = [pledge.merchant_trade_no]
    session.save()
    html = client.get(reverse("donations:pledge", args=[pledge.merchant_trade_no])).content.decode()
    assert html.count('<svg class="barcode"') == 3
    assert "donations/voucher.css" in html
