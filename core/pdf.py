"""PDF rendering with WeasyPrint: receipts, disclosure reports, honor cards, résumés.

Templates use the CJK font Debian ships (fonts-noto-cjk); WeasyPrint embeds the subset it uses,
so the PDF shows correct Traditional Chinese glyphs on any reader.
"""

from django.conf import settings
from django.template.loader import render_to_string

PDF_FONT_FAMILY = '"Noto Sans CJK TC", "Noto Sans TC", "Noto Serif CJK TC", sans-serif'
# Tagged PDF (PDF/UA-1): headings, paragraphs, tables and reading order for screen readers, the
# document's language and title from the template's <html lang> and <title>. Every PDF the portal
# hands out is written through write_tagged_pdf.
PDF_VARIANT = "pdf/ua-1"


def write_tagged_pdf(document) -> bytes:
    """PDF bytes of a WeasyPrint ``HTML`` or rendered ``Document``, tagged for accessibility."""
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def render_pdf(template_name: str, context: dict, *, base_url: str | None = None) -> bytes:
    """Render a Django template to PDF bytes. Images may be given as data: URIs or file:// paths."""
    from weasyprint import HTML  # imported lazily: it loads Pango, which the web process rarely needs

    # SITE_URL: a PDF links to its HTML alternative (the page with the same content).
    html = render_to_string(
        template_name, {"PDF_FONT_FAMILY": PDF_FONT_FAMILY, "SITE_URL": settings.SITE_URL, **context}
    )
    return write_tagged_pdf(HTML(string=html, base_url=base_url or str(settings.BASE_DIR)))
