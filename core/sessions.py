"""Sessions in the database, as Django keeps them, less one query per new session.

Django's database store picks a new session key by asking whether it is taken (a SELECT) and then
inserts the session with ``must_create``, which already fails on a taken key (the primary key's
IntegrityError, raised as CreateError) and makes ``create()`` draw another. The SELECT adds
nothing but a round trip to every first POST of a guest (a disaster appeal's give form: one per
gift), so this store draws the key and lets the insert decide. A key is 32 characters of 36
(about 165 bits): a collision is not expected in the life of the universe, and is still handled.

Only for the database store: a cache's ``add`` or a file's exclusive create is the same kind of
check there, but their backends are not used here (settings.SESSION_ENGINE).
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    def _get_new_session_key(self):
        return get_random_string(32, VALID_KEY_CHARS)

    async def _aget_new_session_key(self):
        return get_random_string(32, VALID_KEY_CHARS)
