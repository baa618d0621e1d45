from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.defaults import bad_request


def cookie_language(request) -> str:
    """The page's language: the visitor's choice in the language cookie, else zh-Hant (also for the
    fast path of cached pages, core/fastpage.py, which must decide exactly as this middleware does)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in _supported() else settings.LANGUAGE_CODE


def _supported() -> set[str]:
    return {code for code, _ in settings.LANGUAGES}


class PreferredLanguageMiddleware:
    """Traditional Chinese first: the portal speaks zh-Hant unless the visitor chose another
    language with the switch (stored in the language cookie). The browser's Accept-Language is
    deliberately not consulted, so a city portal looks the same on every office machine."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = cookie_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNulBytesMiddleware:
    """A NUL byte in a query or form value is never legitimate input, and PostgreSQL refuses it in
    any text (a 500 wherever it reaches a query). Refused here, for every view: 400, nothing done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (
            request.method == "POST"
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            and _has_nul(request.POST)
        ):
            # Answered here (a scanner's probe is not worth a traceback in the log).
            return bad_request(request, BadRequest("NUL byte in request parameters"))
        return self.get_response(request)


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())
