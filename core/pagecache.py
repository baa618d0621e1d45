"""Whole-page caching of anonymous public pages, invalidated when the data behind them changes.

    @cache_public_page("programs")          # on a public view
    invalidate("programs")                  # in the service that changed a program (on commit)

Each namespace has a version number in the cache; invalidating bumps it, so every cached page of
that namespace is ignored from then on (and expires by itself). Signed-in users are never served
from this cache: their pages show their own menu and messages.
"""

from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

DEFAULT_TIMEOUT = 300


def _version_key(namespace: str) -> str:
    return f"pagecache:version:{namespace}"


def _version(namespace: str) -> int:
    version = cache.get(_version_key(namespace))
    if version is None:
        cache.add(_version_key(namespace), 1, None)
        version = cache.get(_version_key(namespace), 1)
    return version


def invalidate(*namespaces: str) -> None:
    """Forget the cached pages of these namespaces once the current transaction commits."""

    def bump():
        for namespace in namespaces:
            try:
                cache.incr(_version_key(namespace))
            except ValueError:
                cache.set(_version_key(namespace), 2, None)

    # robust: the change is committed; a cache that cannot be reached only leaves pages stale
    # until they expire, and must not turn the answer into an error (the error is logged).
    transaction.on_commit(bump, robust=True)


def cache_public_page(*namespaces: str, timeout: int = DEFAULT_TIMEOUT):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "GET" or request.user.is_authenticated or request.COOKIES.get("messages"):
                return view(request, *args, **kwargs)
            versions = ":".join(f"{ns}{_version(ns)}" for ns in namespaces)
            key = f"pagecache:{versions}:{get_language()}:{request.get_full_path()}"
            cached = cache.get(key)
            if cached is not None:
                return cached
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.cookies
                and not getattr(response, "streaming", False)
            ):
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                cache.set(key, response, timeout)
            return response

        return wrapped

    return decorator
