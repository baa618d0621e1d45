"""Public honor-card pages: the introduction, the check a venue makes by scanning a card's QR code
(rate-limited, never cached for the scanner), the card's photo and the signing public key."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.permissions import has_role
from accounts.roles import Role
from core.pagecache import cache_public_page
from core.ratelimit import client_ip, hit
from core.uploads import image_content_type

from . import signing
from .models import HonorCard


def rate_limited(request, bucket: str) -> bool:
    limit = settings.HONOR_CARD_CHECK_RATE_PER_MINUTE
    if not limit:
        return False
    return not hit(f"honorcards:{bucket}:{client_ip(request)}", limit, 60)


def _too_many():
    response = render_to_429()
    response["Retry-After"] = "60"
    return response


def render_to_429():
    return HttpResponse(
        "查詢次數過多，請一分鐘後再試。Too many requests.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )


def _card_by_token(token) -> HonorCard:
    payload = signing.read_token(token)
    if payload is None:
        raise Http404
    card = HonorCard.objects.filter(nonce=payload.nonce).first()
    if card is None or card.number != payload.number or card.expires_on != payload.expires_on:
        raise Http404
    return card


@cache_public_page("honorcards")
def index(request):
    return render(
        request,
        "honorcards/index.html",
        {
            "min_years": settings.HONOR_CARD_MIN_YEARS,
            "min_hours": settings.HONOR_CARD_MIN_HOURS,
            "valid_years": settings.HONOR_CARD_VALID_YEARS,
            "is_officer": has_role(request.user, Role.UNIT_OFFICER),
            "is_centre": has_role(request.user, Role.CENTRE_STAFF),
            "is_reviewer": has_role(request.user, Role.CARD_REVIEWER),
        },
    )


@cache_public_page("honorcards", timeout=60)
def _verify_page(request, token):
    card = _card_by_token(token)
    return render(
        request,
        "honorcards/verify.html",
        {"card": card, "state": card.state, "today": timezone.localdate(), "token": token},
    )


def verify(request, token):
    """The page a venue's staff see after scanning a card: name, photo, expiry and status only."""
    if rate_limited(request, "verify"):
        return _too_many()
    try:
        response = _verify_page(request, token)
    except Http404:
        # A forged, altered or mistyped code: say so on the check page itself (still a 404), so the
        # person at the venue knows the card failed the check, not that the site lost a page.
        response = render(request, "honorcards/verify_unknown.html", status=404)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def verify_photo(request, token):
    if rate_limited(request, "photo"):
        return _too_many()
    card = _card_by_token(token)
    response = FileResponse(card.photo.open("rb"), content_type=image_content_type(card.photo.name))
    response["Cache-Control"] = "private, max-age=300"
    return response


def public_key(request):
    response = HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="goodday-honor-card-ed25519.pem"'
    return response
