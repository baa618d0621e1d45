"""The Redis cache, made survivable: an unreachable Redis is not an outage of the site.

Every cache operation first goes to Redis. When Redis cannot be reached (refused, timed out) the
operation is done on a small memory cache inside this process instead, and Redis is left alone for
`RETRY_SECONDS` before it is tried again, so a dead server costs one failed connection per process
every few seconds, not one per request. While that lasts:

- rate limits (allauth's sign-in limits, the card-check limit, the API throttles) keep counting,
  but per web process instead of site-wide (see README, "Security");
- the page cache (core/pagecache.py) asks `is_degraded()` and renders pages uncached, so no process
  serves a page another process has invalidated;
- /healthz asks Redis directly (`ping()`) and answers 503.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 5.0


class OneClientPerPool(RedisCacheClient):
    """Django's client makes a new ``redis.Redis`` for every cache operation, copying its hundred-odd
    response callbacks each time: most of a cache hit's processor time. A ``redis.Redis`` holds
    nothing but its pool (connections are taken from the pool per command, and it is safe across
    threads), so one is kept per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params}
        options = {"socket_connect_timeout": 1, "socket_timeout": 2, **params.get("OPTIONS", {})}
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = OneClientPerPool
        self._fallback = LocMemCache(f"resilient-fallback-{server}", {"OPTIONS": {"MAX_ENTRIES": 10000}})
        self._down_until = 0.0
        self._lock = threading.Lock()

    def is_degraded(self) -> bool:
        return time.monotonic() < self._down_until

    def ping(self) -> bool:
        """Ask Redis itself, never the fallback (for /healthz)."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except UNREACHABLE:
            return False

    def _call(self, name, *args, **kwargs):
        if not self.is_degraded():
            try:
                return getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as exc:
                with self._lock:
                    first = not self.is_degraded()
                    self._down_until = time.monotonic() + RETRY_SECONDS
                if first:
                    logger.warning("cache unreachable (%s): using process memory for %ss", exc, RETRY_SECONDS)
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")


def is_degraded(cache) -> bool:
    return bool(getattr(cache, "is_degraded", lambda: False)())
