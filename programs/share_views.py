"""Public views for spreading a program: its printable A4 poster (PDF with a QR code to its page)."""

from django.http import Http404, HttpResponse

from accounts.permissions import require
from core.pagecache import cache_public_page
from core.pdf import render_pdf

from . import permissions, selectors, share
from .models import Program


@cache_public_page("programs")
def poster(request, pk):
    try:
        program = selectors.program_detail(pk)
    except Program.DoesNotExist:
        raise Http404 from None
    require(program.is_public and permissions.can_view_program(request.user, program), hide=True)
    url = share.program_url(program)
    updates = list(program.updates.all())
    photo = share.image_data_uri(program.cover_image) or next(
        (share.image_data_uri(u.photo) for u in updates if u.photo), ""
    )
    photo_alt = (
        program.cover_alt if program.cover_image else next((u.photo_alt for u in updates if u.photo), "")
    )
    goods = [need for need in program.goods_needs.all() if need.remaining][:5]
    pdf = render_pdf(
        "programs/poster_pdf.html",
        {
            "program": program,
            "url": url,
            "qr": share.qr_data_uri(url),
            "photo": photo,
            "photo_alt": photo_alt or program.title,
            "progress": share.progress_text(program),
            "goods": goods,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="program-{program.pk}-poster.pdf"'
    return response
