"""The fast path of anonymous public pages, and the Cache-Control every answer carries.

A page cached with `@cache_public_page` (core/pagecache.py) is still served through the whole
middleware stack: sessions, authentication, messages, CSRF, CSP and the rest run for every anonymous
reader only to add the same headers to the same bytes. This middleware sits near the top of the stack
(after SecurityMiddleware and WhiteNoise) and keeps, beside the page cache, the *finished* answer:
status, every header the inner middleware added (CSP, X-Frame-Options, Vary, Content-Language,
Cache-Control…) and the body, computed once by the slow path. A later request that can only be
given the anonymous page is answered from it with one cache round trip, before any of that work.

Only a request that the slow path would certainly answer with the cached anonymous page takes the
fast path: a GET with no session cookie (signed-in users, guests in the middle of giving), no message
cookie, no Authorization header, an allowed Host; the page's language comes from the language cookie
exactly as PreferredLanguageMiddleware decides it. Everything else goes down the normal stack.

Each stored answer remembers the page-cache versions of its namespaces; an invalidation bumps them,
so the stored answer is ignored from then on, in every process. Each web process also keeps the
answers it has just checked for FAST_PAGE_RECHECK_SECONDS (1 s) in its own memory: on a loaded
machine the Redis round trip is most of a cached page's cost, and a surge of readers asks for the
same few pages. Another process's invalidation is therefore seen within that second (this process's
own at once); the page is sent as `public, max-age=10` anyway, so browsers, nginx and a CDN may show
it ten times longer. While Redis is away (core/cache.py has fallen back to process memory) the fast
path is off, like the page cache, and so is the memory.

On the way out the middleware also sets Cache-Control where the view did not: `public, max-age=…`
(PUBLIC_PAGE_MAX_AGE, short) on an anonymous page the page cache may share, `private, no-store` on
everything else, so nginx's micro-cache (deploy/nginx.conf) and a CDN keep only what may be shared.
"""

import hashlib
import logging
import time
from types import SimpleNamespace

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.http.response import ResponseHeaders
from django.utils.cache import patch_cache_control

from .cache import is_degraded
from .middleware import cookie_language
from .pagecache import DEFAULT_TIMEOUT, on_invalidate, version_key

logger = logging.getLogger(__name__)

PRIVATE = "private, no-store"
# The namespaces of each stored page, learned once per process: a fast answer then needs a single
# round trip (the answer and its namespaces' versions in one MGET). Bounded: a crawler walking
# every query string must not grow a worker.
_MEMO_LIMIT = 5000
_namespaces: dict[str, tuple[str, ...]] = {}
# Answers checked against Redis in the last FAST_PAGE_RECHECK_SECONDS: key → (checked until, prepared).
_LOCAL_LIMIT = 300
_local: dict[str, tuple[float, tuple]] = {}


def forget_local() -> None:
    """Drop this process's memory of answers (its own invalidations, tests)."""
    _local.clear()
    _namespaces.clear()


on_invalidate(forget_local)


def fast_language(request) -> str | None:
    """The language of the anonymous page this request may be given, or None: the slow path decides."""
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return None
    return cookie_language(request)


def entry_key(language: str, full_path: str) -> str:
    # Hashed: a query string may be long or hold characters some cache backends refuse in keys.
    return f"fastpage:{language}:{hashlib.blake2b(full_path.encode(), digest_size=16).hexdigest()}"


class CachedPublicPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = fast_language(request)
        if language is not None:
            response = self._answer(request, language)
            if response is not None:
                return response
        response = self.get_response(request)
        return self._finish(request, response, language)

    def _answer(self, request, language):
        if is_degraded(cache):
            return None
        try:
            request.get_host()  # a disallowed Host gets the slow path's 400
        except Exception:
            return None
        key = entry_key(language, request.get_full_path())
        now = time.monotonic()
        held = _local.get(key)
        if held is not None and held[0] > now:
            return _response(request, held[1])
        try:
            namespaces = _namespaces.get(key)
            if namespaces is None:
                entry = cache.get(key)
                if entry is None:
                    return None
                namespaces = tuple(entry[0])
                _remember(key, namespaces)
                found = cache.get_many([version_key(ns) for ns in namespaces])
            else:
                found = cache.get_many([key, *(version_key(ns) for ns in namespaces)])
                entry = found.get(key)
                if entry is None:
                    return None
        except Exception:
            logger.warning("page cache unreachable: %s taken the slow way", request.path, exc_info=True)
            return None
        versions = entry[0]
        if is_degraded(cache) or any(found.get(version_key(ns)) != v for ns, v in versions.items()):
            _local.pop(key, None)
            return None  # invalidated since it was stored (or Redis has just gone away)
        prepared = _prepare(entry)
        _hold(key, prepared, now)
        return _response(request, prepared)

    def _finish(self, request, response, language):
        if "Cache-Control" in response:
            return response  # the view decided (never_cache, a private download…)
        versions = getattr(request, "public_page_versions", None)
        if (
            versions is None
            or language is None  # a session, messages or credentials: this reader's own answer
            or response.status_code != 200
            or response.cookies
            or getattr(response, "streaming", False)
        ):
            response["Cache-Control"] = PRIVATE
            return response
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
        if not is_degraded(cache):
            self._store(request, response, language, versions)
        return response

    def _store(self, request, response, language, versions):
        key = entry_key(language, request.get_full_path())
        match = getattr(request, "resolver_match", None)
        entry = (
            versions,
            response.status_code,
            list(response.headers.items()),
            response.content,
            match.view_name if match else "",
        )
        timeout = getattr(request, "public_page_timeout", DEFAULT_TIMEOUT)
        if not timeout:
            return  # rendered at the very end of a coalescing window (core/pagecache.py): not kept
        try:
            cache.set(key, entry, timeout)
        except Exception:
            logger.warning("page cache unreachable: %s not stored", request.path, exc_info=True)
            return
        _remember(key, tuple(versions))
        _hold(key, _prepare(entry), time.monotonic())


def _prepare(entry: tuple) -> tuple:
    """(status, headers as Django keeps them, body, view name): the headers are checked and encoded
    once here rather than one by one on every answer."""
    _, status, headers, body, view_name = entry
    return status, ResponseHeaders(dict(headers))._store, body, view_name


def _response(request, prepared: tuple):
    status, store, body, view_name = prepared
    response = HttpResponse(body, status=status)
    response.headers._store = dict(store)  # a copy: the outer middleware adds its own headers
    # For /metrics (ops.middleware), which labels requests by view name.
    request.resolver_match = SimpleNamespace(view_name=view_name)
    return response


def _hold(key: str, prepared: tuple, now: float) -> None:
    recheck = settings.FAST_PAGE_RECHECK_SECONDS
    if recheck <= 0:
        return
    if len(_local) >= _LOCAL_LIMIT:
        _local.clear()
    _local[key] = (now + recheck, prepared)


def _remember(key: str, namespaces: tuple[str, ...]) -> None:
    if len(_namespaces) >= _MEMO_LIMIT:
        _namespaces.clear()
    _namespaces[key] = namespaces
