"""The QR token: an Ed25519-signed payload of card number, expiry and a random 128-bit nonce.

    token   = base64url(payload) "." base64url(signature)          (no padding)
    payload = "GDHC1|<card number>|<expiry YYYY-MM-DD>|<nonce: 32 hex digits>"   (ASCII)

The signature is Ed25519 (RFC 8032) over the payload bytes with ``HONOR_CARD_SIGNING_KEY``; the
public key is published at ``/honor-cards/public-key.pem``, so a venue's app can check a card offline:
split the token, verify the signature over the decoded payload, read number and expiry. The nonce
makes each token unguessable even to someone who knows a card's number and expiry.
"""

import base64
import binascii
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "GDHC1"


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def _b64d(text: str) -> bytes:
    """Decode unpadded base64url, accepting only the one canonical spelling of the bytes.

    Python's decoder ignores the unused low bits of the last character (so "…Q" and "…R" can give
    the same bytes) and skips characters outside the alphabet; either would let an altered token
    still verify. Re-encoding and comparing refuses every spelling but the one we issue.
    """
    if not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64e(data) != text:
        raise ValueError("not the canonical encoding")
    return data


@cache
def _private_key_for(configured: str, secret_key: str) -> Ed25519PrivateKey:
    if configured:
        raw = configured.strip()
        if raw.startswith("-----BEGIN"):
            return serialization.load_pem_private_key(raw.encode(), password=None)
        seed = base64.b64decode(raw.replace("-", "+").replace("_", "/") + "=" * (-len(raw) % 4))
        if len(seed) != 32:
            raise ValueError("HONOR_CARD_SIGNING_KEY must be 32 bytes in base64.")
        return Ed25519PrivateKey.from_private_bytes(seed)
    # Development only (settings refuse an empty key when DEBUG is off): derived from SECRET_KEY
    # (the benchmark sets a key of its own).
    return Ed25519PrivateKey.from_private_bytes(
        hashlib.sha256(b"honorcard-signing:" + secret_key.encode()).digest()
    )


def private_key() -> Ed25519PrivateKey:
    if not settings.HONOR_CARD_SIGNING_KEY and getattr(settings, "HONOR_CARD_SIGNING_KEY_REQUIRED", False):
        raise ImproperlyConfigured("HONOR_CARD_SIGNING_KEY must be set when DJANGO_DEBUG=0.")
    return _private_key_for(settings.HONOR_CARD_SIGNING_KEY, settings.SECRET_KEY)


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem() -> str:
    return (
        public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def new_nonce() -> str:
    return secrets.token_hex(16)


def make_token(number: str, expires_on: date, nonce: str) -> str:
    payload = f"{PREFIX}|{number}|{expires_on.isoformat()}|{nonce}".encode()
    return _b64e(payload) + "." + _b64e(private_key().sign(payload))


@dataclass(frozen=True)
class TokenPayload:
    number: str
    expires_on: date
    nonce: str


def read_token(token: str, *, key: Ed25519PublicKey | None = None) -> TokenPayload | None:
    """The payload of a genuine token, or None for anything else (malformed, tampered, other key)."""
    try:
        encoded, signature = token.split(".")
        payload = _b64d(encoded)
        (key or public_key()).verify(_b64d(signature), payload)
        prefix, number, expires, nonce = payload.decode("ascii").split("|")
        if prefix != PREFIX or len(nonce) != 32:
            return None
        return TokenPayload(number=number, expires_on=date.fromisoformat(expires), nonce=nonce)
    except (ValueError, InvalidSignature, binascii.Error, UnicodeDecodeError):
        return None
