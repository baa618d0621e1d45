"""The venue's QR code: it changes every ``EVENT_CODE_PERIOD_SECONDS`` (see events.services)."""

import datetime
import hashlib
import hmac
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Event

CODE_LENGTH = 20
EXPIRED_MESSAGE = gettext_lazy("這個 QR Code 已過期：簽到碼每分鐘更換，請掃描活動現場螢幕上目前的 QR Code。")
INVALID_MESSAGE = gettext_lazy("這個 QR Code 不屬於此活動或已失效，請掃描活動現場的 QR Code。")
# How far back a stale code is still recognised as this event's (to say "expired", not "invalid").
RECOGNISED_FOR = datetime.timedelta(days=1)


def _period() -> int:
    return max(int(settings.EVENT_CODE_PERIOD_SECONDS), 1)


def code_window(at: datetime.datetime) -> int:
    return int(at.timestamp()) // _period()


def window_code(event: Event, window: int) -> str:
    message = f"{event.pk}:{window}".encode()
    return hmac.new(event.qr_secret.encode(), message, hashlib.sha256).hexdigest()[:CODE_LENGTH]


def venue_code(event: Event, at: datetime.datetime | None = None) -> str:
    """The code the venue's screen shows at ``at`` (now by default)."""
    return window_code(event, code_window(at or timezone.now()))


def code_expires_at(at: datetime.datetime | None = None) -> datetime.datetime:
    """When the code shown at ``at`` stops being accepted (its window's end plus the grace)."""
    at = at or timezone.now()
    end = (code_window(at) + 1) * _period() + int(settings.EVENT_CODE_GRACE_SECONDS)
    return datetime.datetime.fromtimestamp(end, tz=datetime.UTC)


def check_in_url(event: Event, at: datetime.datetime | None = None) -> str:
    path = reverse("volunteers:event_check_in", kwargs={"pk": event.pk, "code": venue_code(event, at)})
    return settings.SITE_URL + path


def verify_code(event: Event, code: str, now: datetime.datetime | None = None) -> None:
    """Refuse anything but the venue's current code (or the previous one within the grace) on an
    event day, with a clear message."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    code = code or ""
    current = code_window(now)
    if event.starts_on <= today <= event.ends_on:
        if hmac.compare_digest(window_code(event, current), code):
            return
        since_change = int(now.timestamp()) - current * _period()
        if since_change <= int(settings.EVENT_CODE_GRACE_SECONDS) and hmac.compare_digest(
            window_code(event, current - 1), code
        ):
            return
    elif not _recent_code(event, code, now):
        raise ValidationError(_("今天不是此活動的日期。"))
    if _recent_code(event, code, now):
        raise ValidationError(EXPIRED_MESSAGE)
    raise ValidationError(INVALID_MESSAGE)


def _recent_code(event, code, now) -> bool:
    current = code_window(now)
    oldest = code_window(now - RECOGNISED_FOR)
    return any(hmac.compare_digest(window_code(event, w), code) for w in range(current, oldest - 1, -1))


def qr_svg(url: str) -> str:
    """The QR code as an SVG element (no inline style: it passes the CSP)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.find("<svg") :]
