"""Personal identifiers at rest: encrypted so a database dump does not expose them, with a keyed
hash beside them for lookups and uniqueness (the hash reveals nothing without the key)."""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _keys() -> list[bytes]:
    """FIELD_ENCRYPTION_KEYS (newest first, for rotation); without it, a key derived from SECRET_KEY."""
    configured = getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or []
    if configured:
        return [k.encode() for k in configured]
    digest = hashlib.sha256(("goodday-field-encryption:" + settings.SECRET_KEY).encode()).digest()
    return [base64.urlsafe_b64encode(digest)]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in _keys()])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("Encrypted value cannot be read with the configured keys.") from exc


def lookup_hash(value: str) -> str:
    """A stable keyed hash (HMAC-SHA256) of a normalised identifier, for equality lookups."""
    key = (getattr(settings, "FIELD_HASH_KEY", "") or settings.SECRET_KEY).encode()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Stores the value encrypted (Fernet); Python code sees plain text. Not searchable: keep a
    ``lookup_hash`` column beside it for lookups."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
