"""Personal identifiers at rest: encrypted so a database dump does not expose them, with a keyed
hash beside them for lookups and uniqueness (the hash reveals nothing without the key)."""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _keys() -> list[bytes]:
    """FIELD_ENCRYPTION_KEYS (newest first, for rotation); without it (development only: production
    refuses to start), a key derived from SECRET_KEY."""
    configured = getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or []
    if configured:
        return [k.encode() for k in configured]
    return [_keys_derived_from(settings.SECRET_KEY)]


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


def legacy_encryption_key() -> str:
    """The Fernet key derived from SECRET_KEY, which installations without FIELD_ENCRYPTION_KEYS used:
    listed as an older key while ``rotate_field_keys`` moves their rows onto a key of their own."""
    return _keys_derived_from(settings.SECRET_KEY).decode()


def _keys_derived_from(secret: str) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(("goodday-field-encryption:" + secret).encode()).digest())


def encrypted_with_newest_key(token: str) -> bool:
    """Whether a stored token is already under the newest key (what rotation leaves behind)."""
    if not token:
        return True
    try:
        Fernet(_keys()[0]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def _hash_keys() -> list[bytes]:
    """FIELD_HASH_KEYS, newest first (FIELD_HASH_KEY is the one-key spelling); without either
    (development only), SECRET_KEY."""
    configured = getattr(settings, "FIELD_HASH_KEYS", None) or []
    if not configured and getattr(settings, "FIELD_HASH_KEY", ""):
        configured = [settings.FIELD_HASH_KEY]
    return [k.encode() for k in configured] or [settings.SECRET_KEY.encode()]


def _hmac(key: bytes, value: str) -> str:
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def lookup_hash(value: str) -> str:
    """A stable keyed hash (HMAC-SHA256) of a normalised identifier under the newest hash key: what
    is stored."""
    return _hmac(_hash_keys()[0], value)


def lookup_hashes(value: str) -> list[str]:
    """The identifier's hash under every configured hash key, newest first: what a lookup must try,
    because while ``rotate_field_keys`` runs some rows still carry the hash under an older key.
    One element once the old key is removed."""
    return [_hmac(key, value) for key in _hash_keys()]


class EncryptedTextField(models.TextField):
    """Stores the value encrypted (Fernet); Python code sees plain text. Not searchable: keep a
    ``lookup_hash`` column beside it for lookups, named in ``lookup_hash_field`` so that
    ``rotate_field_keys`` re-hashes it with the value."""

    def __init__(self, *args, lookup_hash_field: str = "", **kwargs):
        # Not part of the column's definition (no migration): only key rotation reads it.
        self.lookup_hash_field = lookup_hash_field
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
