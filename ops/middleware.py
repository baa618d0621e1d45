"""Outermost middleware: the request id (see requestid.py), request rate and latency by view for
/metrics, and the scraper's own door to /metrics (checked before the host and HTTPS checks, which a
scraper inside the network, asking a replica by its address over plain HTTP, would fail)."""

import sys
import time

from . import metrics, requestid


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = requestid.current()
        if rid == "-":  # not started through Django's handler (request_started binds it)
            rid = requestid.from_header(request.META.get("HTTP_X_REQUEST_ID"))
            requestid.bind(rid)
        request.request_id = rid
        if "sentry_sdk" in sys.modules:
            sys.modules["sentry_sdk"].set_tag("request_id", rid)
        started = time.perf_counter()
        view = ""
        if request.path_info == "/metrics" and metrics.scraper_token_ok(request):
            response, view = metrics.metrics_response(), "metrics"
        else:
            response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = view or (match.view_name if match else "")
        metrics.observe_request(request.method, view, response.status_code, time.perf_counter() - started)
        response["X-Request-ID"] = rid
        return response
