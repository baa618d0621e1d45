"""Image uploads judged by their content, not their name: JPEG, PNG or GIF only, within size and
pixel limits, then re-encoded so that nothing but pixels is kept (no scripts, no metadata).
Documents (a spending's voucher) are a PDF checked for its structure and active content, or such
an image."""

import io
import re
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif"}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_PIXELS = 24_000_000  # about 6000 × 4000, a phone photo; more is a decompression bomb


def clean_image_upload(
    upload, *, max_bytes: int = DEFAULT_MAX_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS, max_side: int = 2400
) -> ContentFile:
    """Validate an uploaded file as an image and return a re-encoded copy ready to save.

    Raises ``ValidationError`` with a message in Traditional Chinese for each kind of refusal.
    """
    if upload is None:
        raise ValidationError(_("請選擇要上傳的圖片。"), code="required")
    if upload.size > max_bytes:
        raise ValidationError(
            _("檔案太大（%(size)s MB），上限為 %(limit)s MB。")
            % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": max_bytes // 1024 // 1024},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            width, height = probe.size
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("只接受 JPEG、PNG 或 GIF 圖片；此檔案的內容不是這三種格式。"), code="invalid_type"
                )
            if width * height > max_pixels:
                raise ValidationError(
                    _("圖片像素過多（%(w)s×%(h)s），上限為 %(limit)s 像素。")
                    % {"w": width, "h": height, "limit": f"{max_pixels:,}"},
                    code="too_many_pixels",
                )
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("只接受 JPEG、PNG 或 GIF 圖片；此檔案無法辨識為圖片。"), code="invalid_type"
        ) from None
    except Exception:
        raise ValidationError(_("圖片檔案已損毀或不完整，請重新上傳。"), code="corrupt") from None

    image.thumbnail((max_side, max_side))
    # Nothing but pixels: Pillow would otherwise write back the comment (JPEG COM, GIF comment),
    # the ICC profile and other text it read. Transparency is part of the picture; it stays.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    out = io.BytesIO()
    ext = ALLOWED_FORMATS[fmt]
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "GIF")
    return ContentFile(out.getvalue(), name=f"image.{ext}")


def image_content_type(name: str) -> str:
    """The content type of an image saved by ``clean_image_upload`` (its extension says its format)."""
    ext = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif"}.get(
        ext, "application/octet-stream"
    )


PDF_ACTIVE_CONTENT = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFile|EmbeddedFiles|OpenAction|AA|RichMedia|XFA|SubmitForm|GoToR)\b"
)


def clean_document_upload(upload, *, max_bytes: int = 10 * 1024 * 1024) -> ContentFile:
    """A voucher or similar document: a PDF without active content (scripts, launch actions, embedded
    files, forms that submit), or an image re-encoded as ``clean_image_upload`` does."""
    if upload is None:
        raise ValidationError(_("請選擇要上傳的檔案。"), code="required")
    if upload.size > max_bytes:
        raise ValidationError(
            _("檔案太大（%(size)s MB），上限為 %(limit)s MB。")
            % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": max_bytes // 1024 // 1024},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(b"%PDF-"):
        try:
            return clean_image_upload(upload, max_bytes=max_bytes)
        except ValidationError as exc:
            if exc.code == "invalid_type":
                raise ValidationError(
                    _("附件只接受 PDF、PNG、JPEG 或 GIF；此檔案的內容不是這幾種格式。"), code="invalid_type"
                ) from None
            raise
    data = upload.read()
    upload.seek(0)
    if not re.match(rb"%PDF-[12]\.\d", data) or b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("PDF 檔案已損毀或不完整，請重新上傳。"), code="corrupt")
    if PDF_ACTIVE_CONTENT.search(data):
        raise ValidationError(
            _("PDF 內含程式、表單動作或嵌入檔案，無法接受；請另存為一般 PDF（例如列印成 PDF）後再上傳。"),
            code="active_content",
        )
    return ContentFile(data, name="document.pdf")


def document_content_type(name: str) -> str:
    if name.lower().endswith(".pdf"):
        return "application/pdf"
    return image_content_type(name)
