"""Whole-page caching of anonymous public pages, invalidated when the data behind them changes.

    @cache_public_page("programs")          # on a public view
    invalidate("programs")                  # in the service that changed a program (on commit)

Each namespace has a version number in the cache; invalidating bumps it, so every cached page of
that namespace is ignored from then on (and expires by itself). Signed-in users are never served
from this cache: their pages show their own menu and messages.

Money arriving in a surge (a disaster appeal: hundreds of gifts a second) would otherwise re-render
the home page, the catalogue and every program page for every gift, while readers far outnumber
givers. `invalidate(..., coalesce=True)` therefore bumps a namespace at most once per coalescing
window (PAGE_CACHE_COALESCE_SECONDS): the first gift shows at once and opens the window; gifts
arriving inside it do not bump again, and every page stored while the window is open expires by the
window's end, so such a gift shows on the portal's own pages by then at the latest (plus
FAST_PAGE_RECHECK_SECONDS in a web process's memory; browsers, nginx and a CDN may add
PUBLIC_PAGE_MAX_AGE, as for every change). Changes made by people (a program edited, a refund)
still invalidate at once.

A cache that cannot be reached is not an outage: the page is rendered uncached (and the failure
logged). While core/cache.py has fallen back to process memory the page cache stays off too, so no
process serves a page that another process has invalidated.
"""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from .cache import is_degraded

DEFAULT_TIMEOUT = 300
logger = logging.getLogger(__name__)


def page_key(versions: str, language: str, full_path: str) -> str:
    # The path hashed: a query string may be long (a crawler, odd input) or hold characters some
    # cache backends refuse in keys (memcached: 250 characters, no spaces).
    digest = hashlib.blake2b(full_path.encode(), digest_size=16).hexdigest()
    return f"pagecache:{versions}:{language}:{digest}"


def version_key(namespace: str) -> str:
    return f"pagecache:version:{namespace}"


def window_key(namespace: str) -> str:
    """Present while a coalescing window of the namespace is open; its value is the window's end
    (seconds since the epoch)."""
    return f"pagecache:window:{namespace}"


def _versions(namespaces) -> tuple[dict, float | None]:
    """The namespaces' current versions and the earliest end of their open coalescing windows (None
    when none is open), in one round trip."""
    found = cache.get_many([*map(version_key, namespaces), *map(window_key, namespaces)])
    versions = {}
    for namespace in namespaces:
        version = found.get(version_key(namespace))
        if version is None:
            cache.add(version_key(namespace), 1, None)
            version = cache.get(version_key(namespace), 1)
        versions[namespace] = version
    ends = [found[window_key(ns)] for ns in namespaces if window_key(ns) in found]
    return versions, min(ends, default=None)


def _bounded_timeout(timeout: int, window_end: float | None) -> int:
    """A page rendered while a coalescing window is open expires by the window's end (whole seconds,
    rounded down: the cache counts in seconds); 0 means it is not to be stored at all."""
    if window_end is None:
        return timeout
    return max(0, min(timeout, int(window_end - time.time())))


_invalidation_listeners = []


def on_invalidate(listener) -> None:
    """Call `listener()` in this process after each invalidation (core/fastpage.py drops the answers
    it holds in memory, so this process never serves what it has just invalidated)."""
    _invalidation_listeners.append(listener)


def invalidate(*namespaces: str, coalesce: bool = False) -> None:
    """Forget the cached pages of these namespaces once the current transaction commits; with
    `coalesce` (money arriving) at most once per PAGE_CACHE_COALESCE_SECONDS, the pages then showing
    the change by the window's end at the latest."""

    def bump():
        bumped = [ns for ns in namespaces if not coalesce or _open_window(ns)]
        if not bumped:
            return
        for listener in _invalidation_listeners:
            listener()
        for namespace in bumped:
            try:
                cache.incr(version_key(namespace))
            except ValueError:
                cache.set(version_key(namespace), 2, None)

    # robust: the change is committed; a cache that cannot be reached only leaves pages stale
    # until they expire, and must not turn the answer into an error (the error is logged).
    transaction.on_commit(bump, robust=True)


def _open_window(namespace: str) -> bool:
    """Open the namespace's coalescing window unless one is open already: True when this change is
    the first of its window (it bumps the version; the later ones wait for the window's end)."""
    seconds = settings.PAGE_CACHE_COALESCE_SECONDS
    if seconds <= 0:
        return True
    return cache.add(window_key(namespace), time.time() + seconds, seconds)


def cache_public_page(*namespaces: str, timeout: int = DEFAULT_TIMEOUT):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if (
                request.method != "GET"
                or request.user.is_authenticated
                or request.COOKIES.get("messages")
                or _messages_pending(request)
            ):
                return view(request, *args, **kwargs)
            if is_degraded(cache):
                return view(request, *args, **kwargs)
            try:
                current, window_end = _versions(namespaces)
                if is_degraded(cache):  # the version lookup has just found Redis unreachable
                    return view(request, *args, **kwargs)
                versions = ":".join(f"{ns}{version}" for ns, version in current.items())
                key = page_key(versions, get_language(), request.get_full_path())
                cached = cache.get(key)
            except Exception:
                logger.warning("page cache unreachable: %s rendered uncached", request.path, exc_info=True)
                return view(request, *args, **kwargs)
            if cached is not None:
                _shareable(request, current, _bounded_timeout(timeout, window_end))
                return cached
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.cookies
                and not getattr(response, "streaming", False)
                and not is_degraded(cache)
            ):
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                stored_for = _bounded_timeout(timeout, window_end)  # counted from now: rendered
                try:
                    if stored_for:
                        cache.set(key, response, stored_for)
                except Exception:
                    logger.warning("page cache unreachable: %s not stored", request.path, exc_info=True)
                else:
                    _shareable(request, current, stored_for)
            return response

        return wrapped

    return decorator


def _shareable(request, versions: dict, timeout: int) -> None:
    """Tell core/fastpage.py this answer is the anonymous page (under these namespace versions): it
    may be sent as `Cache-Control: public` and kept finished for the fast path (for `timeout`
    seconds; 0: not kept)."""
    request.public_page_versions = versions
    request.public_page_timeout = timeout


def _messages_pending(request) -> bool:
    """Messages kept in the session (a guest's, when the cookie could not hold them) belong on this
    reader's page only; counting them loads them without marking them read."""
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and len(storage))
