"""A lean path for server-to-server POSTs: the payment gateway's notifications (decision 0025).

ECPay's server posts each payment result to us (ReturnURL, PaymentInfoURL, PeriodReturnURL). No
browser is behind it: no session, no signed-in user, no flash messages, no CSRF token (the views are
exempt; the gateway's CheckMacValue is the check), no language choice. Yet each notification went
through every middleware — sessions, CSRF, authentication, messages, allauth, the staff second
factor — before its view, and in a disaster appeal's surge there is one per gift.

A view marked ``@server_to_server`` (which also exempts it from CSRF) is answered by this middleware,
which sits right after the fast path of cached pages (core/fastpage.py), for a POST only: it
checks what the skipped middleware would have refused (a disallowed Host: 400; a NUL byte in a
parameter: 400, as core.middleware.RejectNulBytesMiddleware), activates the language exactly as
PreferredLanguageMiddleware would, calls the view, and adds the headers the skipped middleware add
(Vary, Content-Language, Content-Length, X-Frame-Options, the Content-Security-Policy). The middleware above it
still run: the request id and metrics, SecurityMiddleware's headers, Cache-Control. Nothing reads
or creates a session. Every other request, and a marked view's GET (answered 405 by its view),
takes the whole stack.
"""

from django.contrib.auth.models import AnonymousUser
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import Resolver404, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from .middleware import RejectNulBytesMiddleware, cookie_language


def server_to_server(view):
    """Mark a view that only another server calls (csrf-exempt; it must not need a session, a user or
    messages): its POSTs take the lean path."""
    view = csrf_exempt(view)
    view.server_to_server = True
    return view


def _no_response(request):  # the finishing middleware are only asked for their process_response
    raise AssertionError("not called")


class ServerToServerMiddleware:
    def __init__(self, get_response):
        from csp.middleware import CSPMiddleware

        self.get_response = get_response
        # What the skipped middleware do on the way in (NUL bytes) and out (headers), by the same code.
        self._reject_nul = RejectNulBytesMiddleware(lambda request: None)
        self._finishing = (XFrameOptionsMiddleware(_no_response), CSPMiddleware(_no_response))

    def __call__(self, request):
        match = self._lean_match(request)
        if match is None:
            return self.get_response(request)
        request.get_host()  # DisallowedHost → 400, as the full stack answers
        refused = self._reject_nul(request)
        if refused is not None:
            return refused
        language = cookie_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        request.user = AnonymousUser()
        request.resolver_match = match
        response = match.func(request, *match.args, **match.kwargs)
        return self._finish(request, response, language)

    def _lean_match(self, request):
        if request.method != "POST":
            return None
        try:
            match = get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
        except Resolver404:
            return None
        return match if getattr(match.func, "server_to_server", False) else None

    def _finish(self, request, response, language):
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))  # as CommonMiddleware
        for middleware in self._finishing:
            response = middleware.process_response(request, response)
        return response
