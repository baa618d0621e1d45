"""Error reports with SENTRY_DSN: a real sentry-sdk sends to a Sentry-compatible endpoint (here a
local one), and the report carries no ID number."""

import gzip
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from ops.sentry import scrub
from tests.core.test_settings import CLEAR, ROOT

pytestmark = pytest.mark.slow

SEND = """
import django
django.setup()
import sentry_sdk
try:
    raise RuntimeError("could not find volunteer A123456789")
except RuntimeError as exc:
    sentry_sdk.capture_exception(exc)
sentry_sdk.flush(timeout=10)
"""


def test_an_error_report_reaches_the_sentry_compatible_service_with_the_id_number_masked():
    received = []

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "br":
                import brotli

                body = brotli.decompress(body)
            received.append((self.path, body.decode("utf-8", "replace")))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {k: v for k, v in os.environ.items() if k not in CLEAR}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            SENTRY_DSN=f"http://publickey@127.0.0.1:{server.server_port}/42",
        )
        out = subprocess.run([sys.executable, "-c", SEND], cwd=ROOT, env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
    finally:
        server.shutdown()
    assert received, "nothing was sent"
    path, body = received[0]
    assert path == "/api/42/envelope/"
    assert "could not find volunteer A12" in body
    assert "A123456789" not in body


def test_scrub_masks_id_numbers_anywhere_in_a_report():
    event = {"message": "A123456789", "extra": {"rows": ["B234567890", 3]}}
    assert scrub(event, {}) == {"message": "A12****789", "extra": {"rows": ["B23****890", 3]}}
