"""Signed, unguessable, expiring links that let a guest (a gift without an account) come back to
their pledge and receipt from the thank-you e-mail, in any browser."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "donations.guest-pledge"
MAX_AGE_DAYS = 180  # long enough for the tax season after a gift; after that, ask the bureau


def token_for(pledge) -> str:
    return signing.dumps({"t": pledge.merchant_trade_no}, salt=SALT, compress=True)


def trade_no_from(token: str) -> str | None:
    """The trade number a token was made for, or None when it is forged, altered or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 86400)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return data.get("t") if isinstance(data, dict) else None


def pledge_link(pledge) -> str:
    """The link to put in e-mails: the signed one for a guest, the plain page for an account."""
    if pledge.donor_id:
        return settings.SITE_URL + pledge.get_absolute_url()
    return settings.SITE_URL + reverse("donations:guest_access", args=[token_for(pledge)])
