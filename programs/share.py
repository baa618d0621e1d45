"""What a program page gives the places it is shared to: absolute links (from SITE_URL, never the
request's host), the Open Graph / Twitter card of a pasted link, plain share links for LINE and
Facebook (no third-party script), schema.org markup, and the QR code on its printable poster."""

import base64
import io
import json
from urllib.parse import urlencode

import qrcode
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.numbers import ntd_text

from .models import Program, ProgramStatus

DEFAULT_IMAGE = "img/share-default.png"  # 1200 × 630, the portal's name: for programs without photos
DEFAULT_IMAGE_SIZE = (1200, 630)


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


def program_url(program: Program) -> str:
    return absolute(program.get_absolute_url())


def progress_text(program: Program) -> str:
    """The progress a shared card shows: money when the program raises money, else its needs."""
    if program.status == ProgramStatus.CLOSED:
        return _("已結案，累計受益 %(n)s 人次") % {"n": f"{program.beneficiaries_reached:,}"}
    if program.money_target:
        return _("已募得 %(raised)s／目標 %(target)s（%(percent)s%%）") % {
            "raised": ntd_text(program.money_raised),
            "target": ntd_text(program.money_target),
            "percent": program.money_percent,
        }
    return _("募集物資與服務中")


def share_image(program: Program, updates=None) -> dict:
    """The picture of a shared link: the cover, else the latest update's photo, else the default."""
    if program.cover_image:
        return {"url": absolute(program.cover_image.url), "alt": program.cover_alt or program.title}
    for update in updates if updates is not None else program.updates.all():
        if update.photo:
            return {"url": absolute(update.photo.url), "alt": update.photo_alt or update.title}
    return {
        "url": absolute(static(DEFAULT_IMAGE)),
        "alt": _("好日子愛心平台"),
        "width": DEFAULT_IMAGE_SIZE[0],
        "height": DEFAULT_IMAGE_SIZE[1],
    }


def share_links(program: Program) -> dict:
    url = program_url(program)
    text = f"{program.title}｜{progress_text(program)}"
    return {
        "url": url,
        "line": "https://social-plugins.line.me/lineit/share?" + urlencode({"url": url, "text": text}),
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        "poster": reverse("programs:poster", args=[program.pk]),
    }


def open_graph(program: Program, updates=None) -> dict:
    return {
        "title": program.title,
        "description": f"{progress_text(program)}。{program.summary}",
        "url": program_url(program),
        "image": share_image(program, updates),
        "site_name": _("好日子愛心平台") + f"｜{settings.CITY_NAME}",
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def structured_data(program: Program) -> dict:
    """schema.org: the page, the organisation that runs the program, and the donation it asks for."""
    url = program_url(program)
    bureau = {
        "@type": "GovernmentOrganization",
        "@id": f"{settings.SITE_URL}/#org-{program.bureau_id}",
        "name": program.bureau.name,
        "parentOrganization": {"@type": "GovernmentOrganization", "name": f"{settings.CITY_NAME}政府"},
    }
    action = {
        "@type": "DonateAction",
        "name": _("捐款支持「%(title)s」") % {"title": program.title},
        "recipient": {"@id": bureau["@id"]},
        "startTime": _iso(program.starts_on),
        "endTime": _iso(program.ends_on),
        "actionStatus": (
            "https://schema.org/CompletedActionStatus"
            if program.status == ProgramStatus.CLOSED
            else "https://schema.org/PotentialActionStatus"
        ),
        "priceCurrency": "TWD",
    }
    if program.status == ProgramStatus.PUBLISHED and program.money_target:
        action["target"] = {
            "@type": "EntryPoint",
            "urlTemplate": absolute(reverse("donations:give")) + f"?program={program.pk}",
        }
    page = {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": program.title,
        "description": program.summary,
        "inLanguage": "zh-Hant",
        "image": share_image(program)["url"],
        "datePublished": _iso(program.published_at),
        "publisher": {"@id": bureau["@id"]},
        "about": {
            "@type": "Project",
            "name": program.title,
            "description": program.summary,
            "parentOrganization": {"@id": bureau["@id"]},
            "areaServed": program.place if program.place and not program.category.is_sensitive else None,
        },
        "potentialAction": action,
    }
    if program.closed_at:
        page["dateModified"] = _iso(program.closed_at)
    return {"@context": "https://schema.org", "@graph": [_without_empty(page), bureau]}


def _without_empty(value):
    if isinstance(value, dict):
        return {k: _without_empty(v) for k, v in value.items() if v not in (None, "")}
    return value


def json_ld(data: dict):
    """The markup for a ``<script type="application/ld+json">`` data block: escaped like
    ``json_script`` so no text can close the element. A data block is never executed, so the
    Content-Security-Policy (scripts from our own files only) does not apply to it."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_json_script_escapes))  # noqa: S308 (escaped)


def qr_data_uri(text: str) -> str:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def image_data_uri(field, size=(1200, 900)) -> str:
    """A stored photo as a data: URI for the poster (WeasyPrint reads no media URL); '' if unreadable."""
    from PIL import Image, UnidentifiedImageError

    if not field:
        return ""
    try:
        with field.open("rb") as fh:
            image = Image.open(fh)
            image.load()
    except (OSError, UnidentifiedImageError, ValueError):
        return ""
    image = image.convert("RGB")
    image.thumbnail(size)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()
