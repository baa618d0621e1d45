"""One request id per request, shared with the proxy's access log: nginx sends its ``$request_id``
as ``X-Request-ID``; the app logs it on every line of that request and returns it in the answer."""

import logging
import re
import uuid
from contextvars import ContextVar

_current: ContextVar[str] = ContextVar("request_id", default="-")
# What we accept from the proxy (nginx's $request_id is 32 hex digits); anything else is replaced.
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def from_header(value: str | None) -> str:
    return value if value and _ACCEPTED.match(value) else uuid.uuid4().hex


def current() -> str:
    return _current.get()


def bind(value: str) -> None:
    _current.set(value)


# Bound from request_started to request_finished, not only inside the middleware: Django writes its
# "Not Found" and "Internal Server Error" lines after the middleware has answered.
def on_request_started(sender, environ=None, **kwargs) -> None:
    bind(from_header((environ or {}).get("HTTP_X_REQUEST_ID")))


def on_request_finished(sender, **kwargs) -> None:
    bind("-")


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record ("-" outside a request: workers, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True
