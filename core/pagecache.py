"""Whole-page caching of anonymous public pages, invalidated when the data behind them changes.

    @cache_public_page("programs")          # on a public view
    invalidate("programs")                  # in the service that changed a program (on commit)

Each namespace has a version number in the cache; invalidating bumps it, so every cached page of
that namespace is ignored from then on (and expires by itself). Signed-in users are never served
from this cache: their pages show their own menu and messages.

A cache that cannot be reached is not an outage: the page is rendered uncached (and the failure
logged). While core/cache.py has fallen back to process memory the page cache stays off too, so no
process serves a page that another process has invalidated.
"""

import logging
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from .cache import is_degraded

DEFAULT_TIMEOUT = 300
logger = logging.getLogger(__name__)


def version_key(namespace: str) -> str:
    return f"pagecache:version:{namespace}"


def _version(namespace: str) -> int:
    version = cache.get(version_key(namespace))
    if version is None:
        cache.add(version_key(namespace), 1, None)
        version = cache.get(version_key(namespace), 1)
    return version


_invalidation_listeners = []


def on_invalidate(listener) -> None:
    """Call `listener()` in this process after each invalidation (core/fastpage.py drops the answers
    it holds in memory, so this process never serves what it has just invalidated)."""
    _invalidation_listeners.append(listener)


def invalidate(*namespaces: str) -> None:
    """Forget the cached pages of these namespaces once the current transaction commits."""

    def bump():
        for listener in _invalidation_listeners:
            listener()
        for namespace in namespaces:
            try:
                cache.incr(version_key(namespace))
            except ValueError:
                cache.set(version_key(namespace), 2, None)

    # robust: the change is committed; a cache that cannot be reached only leaves pages stale
    # until they expire, and must not turn the answer into an error (the error is logged).
    transaction.on_commit(bump, robust=True)


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
                current = {ns: _version(ns) for ns in namespaces}
                if is_degraded(cache):  # the version lookup has just found Redis unreachable
                    return view(request, *args, **kwargs)
                versions = ":".join(f"{ns}{version}" for ns, version in current.items())
                key = f"pagecache:{versions}:{get_language()}:{request.get_full_path()}"
                cached = cache.get(key)
            except Exception:
                logger.warning("page cache unreachable: %s rendered uncached", request.path, exc_info=True)
                return view(request, *args, **kwargs)
            if cached is not None:
                _shareable(request, current, timeout)
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
                try:
                    cache.set(key, response, timeout)
                except Exception:
                    logger.warning("page cache unreachable: %s not stored", request.path, exc_info=True)
                else:
                    _shareable(request, current, timeout)
            return response

        return wrapped

    return decorator


def _shareable(request, versions: dict, timeout: int) -> None:
    """Tell core/fastpage.py this answer is the anonymous page (under these namespace versions): it
    may be sent as `Cache-Control: public` and kept finished for the fast path."""
    request.public_page_versions = versions
    request.public_page_timeout = timeout


def _messages_pending(request) -> bool:
    """Messages kept in the session (a guest's, when the cookie could not hold them) belong on this
    reader's page only; counting them loads them without marking them read."""
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and len(storage))
