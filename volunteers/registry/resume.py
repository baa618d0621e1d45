"""The volunteer's service résumé (服務履歷) as a PDF."""

import base64

from core.pdf import render_pdf
from core.uploads import image_content_type

from .selectors import resume


def _photo_data_uri(volunteer) -> str | None:
    if not volunteer.photo:
        return None
    try:
        with volunteer.photo.open("rb") as fh:
            data = fh.read()
    except OSError:
        return None
    mime = image_content_type(volunteer.photo.name)
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def resume_pdf(volunteer, *, full_identity: bool = False, unit=None) -> bytes:
    context = resume(volunteer, unit=unit)
    context["identity_display"] = volunteer.identity_number if full_identity else volunteer.masked_identity
    context["photo_uri"] = _photo_data_uri(volunteer)
    return render_pdf("volunteers/resume_pdf.html", context)
