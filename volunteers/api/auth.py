"""Authentication for the units' own systems: ``Authorization: Token <key>`` with a unit's key.

Only the SHA-256 of a key is stored. An authenticated request has ``request.user`` = the officer who
made the key and ``request.auth`` = the ``UnitApiToken`` (so ``request.auth.unit`` is the unit).
"""

import hashlib
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from ..models import UnitApiToken
from ..permissions import unit_of

KEY_PREFIX = "gdv_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(*, unit, actor, name: str) -> tuple[UnitApiToken, str]:
    """Create a key for the unit; the plain key is returned once and never stored."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = UnitApiToken.objects.create(
        unit=unit,
        name=name,
        prefix=key[len(KEY_PREFIX) : len(KEY_PREFIX) + 8],
        key_hash=hash_key(key),
        created_by=actor,
    )
    return token, key


class UnitTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            UnitApiToken.objects.select_related("unit__organisation", "created_by")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.created_by.is_active:
            raise exceptions.AuthenticationFailed(_("API 金鑰無效或已停用。"))
        UnitApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.created_by, token


def api_unit(request):
    """The unit an API request acts for: the token's unit, or a signed-in officer's unit."""
    if isinstance(request.auth, UnitApiToken):
        return request.auth.unit
    return unit_of(request.user)
