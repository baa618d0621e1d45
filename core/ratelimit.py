"""Rate limits that hold under concurrency and cannot be dodged.

- The client's address is REMOTE_ADDR unless `TRUSTED_PROXY_COUNT` proxies stand in front of us;
  then it is the entry those proxies added to X-Forwarded-For (counted from the right), never one
  the client wrote itself.
- Counting is one atomic increment in the cache (Redis INCR; `add` creates the window's counter),
  never read-modify-write, so parallel requests cannot slip through between a read and a write.
  Windows are fixed (one counter per window), which lets at most twice the limit through across a
  window's edge: the price of a counter that cannot race.
- With the cache unreachable the counters live in process memory (core/cache.py): limits still
  apply, per web process.
- Every window here (and the claim form's day) is read from one clock, ``_now``: the key a request
  counts in and the key a check reads are always the same window, and tests freeze that clock
  (tests/conftest.py, ``ratelimit_clock``) instead of racing a minute's or an hour's edge.
"""

import datetime
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle


def client_ip(request) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    # Each trusted proxy appended the address it saw; the first of them saw the client.
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote


def _now() -> float:
    """The one clock of every window in this module (tests replace it)."""
    return time.time()


def local_date() -> datetime.date:
    """Today in the portal's time zone by the same clock (a limit counted per day)."""
    return timezone.localdate(datetime.datetime.fromtimestamp(_now(), tz=datetime.UTC))


def window_key(key: str, window_seconds: int) -> str:
    """The cache key of `key`'s counter in the fixed window the clock is in now."""
    return f"ratelimit:{key}:{int(_now() // window_seconds)}"


def count(counter: str, timeout: int) -> int:
    """Add one to the cache key `counter` (created with `timeout` seconds to live) and return the
    new count: one atomic increment, never a read and a write."""
    cache.add(counter, 0, timeout)
    try:
        return cache.incr(counter)
    except ValueError:  # expired between add and incr (or evicted): this request starts it again
        cache.add(counter, 1, timeout)
        return 1


def hit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one request against `key`; True while it stays within `limit` per window."""
    return count(window_key(key, window_seconds), window_seconds + 5) <= limit


def counted(key: str, window_seconds: int) -> int:
    """How many times `key` has been counted in the current window (read only, for a check made
    before the counted step, e.g. "already blocked")."""
    return cache.get(window_key(key, window_seconds), 0)


class AtomicRateThrottle(SimpleRateThrottle):
    """DRF's throttle with an atomic counter (DRF's own reads a list, appends and writes it back)."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.allowed = hit(f"drf:{self.key}", self.num_requests, int(self.duration))
        return self.allowed

    def wait(self):
        return None if self.allowed else self.duration - (_now() % self.duration)

    def get_ident(self, request):
        return client_ip(request)


class AnonAtomicRateThrottle(AtomicRateThrottle):
    """Anonymous callers of the open-data API, per client address (DRF's `anon` rate)."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
