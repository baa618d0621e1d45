"""The printable card: A4 sheets with each card's front and back (6 × 9 cm each) side by side,
a solid cut line around the pair and a dashed fold line between them (seed 004, 六)."""

import base64
import io

import qrcode
import qrcode.image.pil
from django.conf import settings
from django.template.loader import render_to_string
from PIL import Image

from core.pdf import PDF_FONT_FAMILY, write_tagged_pdf
from core.roc import to_roc

from .models import CardStatus

CARDS_PER_SHEET = 3
TEMPLATE = "honorcards/card_pdf.html"


def qr_png(data: str) -> bytes:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    qr.add_data(data)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _photo_uri(card) -> str:
    if not card.photo:
        return ""
    with card.photo.open("rb") as fh:
        image = Image.open(fh)
        image.load()
    image = image.convert("RGB")
    image.thumbnail((360, 480))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return _data_uri(out.getvalue(), "image/jpeg")


def card_context(card) -> dict:
    volunteer = card.volunteer
    return {
        "number": card.number,
        "holder_name": card.holder_name,
        "expires_roc": to_roc(card.expires_on),
        "birth_roc": to_roc(volunteer.birth_date, "long"),
        "identity_number": volunteer.identity_number,
        "photo": _photo_uri(card),
        "qr": _data_uri(qr_png(card.verify_url), "image/png"),
        "void": card.status != CardStatus.VALID,
    }


def sheets_html(contexts: list[dict]) -> str:
    sheets = [contexts[i : i + CARDS_PER_SHEET] for i in range(0, len(contexts), CARDS_PER_SHEET)] or [[]]
    return render_to_string(
        TEMPLATE,
        {
            "sheets": sheets,
            "PDF_FONT_FAMILY": PDF_FONT_FAMILY,
            "authority": settings.HONOR_CARD_ISSUING_AUTHORITY,
            "watermark": settings.HONOR_CARD_WATERMARK,
            "valid_years": settings.HONOR_CARD_VALID_YEARS,
        },
    )


def _weasy(html: str):
    from weasyprint import HTML  # here: it loads Pango, which the web process rarely needs

    return HTML(string=html, base_url=str(settings.BASE_DIR))


def render_cards(cards, *, progress=None, sheets_per_step: int = 10) -> bytes:
    """One PDF for the cards, ``sheets_per_step`` A4 sheets at a time (each step is one WeasyPrint
    document; their pages are joined at the end); ``progress(done)`` is called after each step."""
    cards = list(cards)
    step = CARDS_PER_SHEET * sheets_per_step
    documents = []
    done = 0
    for i in range(0, max(len(cards), 1), step):
        chunk = cards[i : i + step]
        documents.append(_weasy(sheets_html([card_context(c) for c in chunk])).render())
        done += len(chunk)
        if progress:
            progress(done)
    pages = [page for document in documents for page in document.pages]
    return write_tagged_pdf(documents[0].copy(pages))


def render_card(card) -> bytes:
    return write_tagged_pdf(_weasy(sheets_html([card_context(card)])))
