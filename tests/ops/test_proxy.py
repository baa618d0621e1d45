"""The shipped nginx configurations, run by a real nginx in front of a stand-in backend that echoes
the headers it receives: who sets X-Forwarded-Proto, and the request id shared with the app."""

import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = [pytest.mark.slow, pytest.mark.skipif(NGINX is None, reason="nginx is not installed")]


class Echo(BaseHTTPRequestHandler):
    """Echoes the request headers; under /cache-test/ it plays the app's Cache-Control instead
    (public/… shared for 10 s, private/… never) and counts what reaches it."""

    reached: dict = {}

    def do_GET(self):
        if self.path.startswith("/cache-test/"):
            return self.cache_test()
        body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def cache_test(self):
        Echo.reached[self.path] = Echo.reached.get(self.path, 0) + 1
        language = "en" if "django_language=en" in (self.headers.get("Cookie") or "") else "zh-hant"
        body = f"{self.path} {language} #{Echo.reached[self.path]}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Cookie")
        shared = self.path.startswith("/cache-test/public")
        self.send_header("Cache-Control", "public, max-age=10" if shared else "private, no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(folder: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "goodday.test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (folder / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


@pytest.fixture
def backend():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port
    server.shutdown()


def nginx_version() -> tuple[int, ...]:
    out = subprocess.run([NGINX, "-v"], capture_output=True, text=True).stderr
    return tuple(int(n) for n in re.search(r"nginx/(\d+)\.(\d+)", out).groups())


@pytest.fixture
def run_nginx(tmp_path, backend):
    """run_nginx("nginx-tls.conf") → {"http": port, "https": port, "log": path}: the shipped file,
    with only addresses, certificate and log paths pointed at this test."""
    started = []

    def run(name: str) -> dict:
        ports = {"http": free_port(), "https": free_port()}
        self_signed(tmp_path)
        site = (ROOT / "deploy" / name).read_text()
        site = site.replace("server web:8000;", f"server 127.0.0.1:{backend};")
        site = site.replace("listen 80;", f"listen 127.0.0.1:{ports['http']};")
        site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{ports['https']} ssl;")
        site = site.replace("/etc/nginx/certs/", f"{tmp_path}/")
        site = site.replace("/var/log/nginx/access.log", f"{tmp_path}/access.log")
        site = site.replace("/var/cache/nginx/goodday", f"{tmp_path}/cache")
        if nginx_version() < (1, 25):  # the `http2` directive is newer than Debian 12's nginx
            site = site.replace("    http2 on;\n", "")
        (tmp_path / "site.conf").write_text(site)
        (tmp_path / "nginx.conf").write_text(
            f"daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
            # As root, nginx's workers would run as nobody, who cannot write the test's cache folder.
            + ("user root;\n" if os.geteuid() == 0 else "")
            + "events {}\n"
            f"http {{ client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
            f"  include {tmp_path}/site.conf; }}\n"
        )
        check = subprocess.run([NGINX, "-t", "-c", f"{tmp_path}/nginx.conf"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        process = subprocess.Popen([NGINX, "-c", f"{tmp_path}/nginx.conf"])
        started.append(process)
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", ports["http"])) == 0:
                    break
            time.sleep(0.05)
        return {**ports, "log": tmp_path / "access.log"}

    yield run
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def get(port, path="/", *, tls=False, headers=None):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": "goodday.example.gov.tw", **(headers or {})})
    response = conn.getresponse()
    return response, response.read()


def test_exposed_nginx_answers_plain_http_only_with_a_redirect_even_when_told_it_is_https(run_nginx):
    nginx = run_nginx("nginx-tls.conf")
    response, _ = get(nginx["http"], "/donations/?x=1", headers={"X-Forwarded-Proto": "https"})
    assert response.status == 301
    assert response.getheader("Location") == "https://goodday.example.gov.tw/donations/?x=1"


def test_exposed_nginx_sets_the_scheme_and_client_address_itself(run_nginx):
    nginx = run_nginx("nginx-tls.conf")
    response, body = get(
        nginx["https"], tls=True, headers={"X-Forwarded-Proto": "http", "X-Forwarded-For": "203.0.113.9"}
    )
    seen = json.loads(body)
    assert response.status == 200
    assert seen["x-forwarded-proto"] == "https"
    assert seen["x-forwarded-for"] == "127.0.0.1"  # what nginx saw, not what the client claimed
    assert re.fullmatch(r"[0-9a-f]{32}", seen["x-request-id"])
    assert f"rid={seen['x-request-id']}" in _access_log(nginx["log"], seen["x-request-id"])


def test_behind_a_tls_terminator_nginx_passes_its_scheme_on_and_shares_the_request_id(run_nginx):
    nginx = run_nginx("nginx.conf")
    _, body = get(nginx["http"], headers={"X-Forwarded-Proto": "https"})
    seen = json.loads(body)
    assert seen["x-forwarded-proto"] == "https"  # as the terminator in front set it
    assert f"rid={seen['x-request-id']}" in _access_log(nginx["log"], seen["x-request-id"])


def _access_log(path, request_id, wait=5.0):
    """nginx writes the access-log line after the answer has gone out: read until it is there."""
    deadline = time.monotonic() + wait
    while True:
        text = path.read_text() if path.exists() else ""
        if request_id in text or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


# --- The micro-cache (issue 21) ---------------------------------------------------------------


@pytest.fixture
def cached_nginx(run_nginx):
    Echo.reached.clear()
    return run_nginx("nginx.conf")


def test_a_second_anonymous_reader_is_served_by_nginx_without_reaching_the_app(cached_nginx):
    first, body = get(cached_nginx["http"], "/cache-test/public/a")
    second, again = get(cached_nginx["http"], "/cache-test/public/a")
    assert first.getheader("X-Cache-Status") == "MISS"
    assert second.getheader("X-Cache-Status") == "HIT"
    assert again == body
    assert Echo.reached["/cache-test/public/a"] == 1


def test_other_cookies_share_the_anonymous_copy(cached_nginx):
    get(cached_nginx["http"], "/cache-test/public/b")
    response, _ = get(
        cached_nginx["http"], "/cache-test/public/b", headers={"Cookie": "csrftoken=abc; _ga=1"}
    )
    assert response.getheader("X-Cache-Status") == "HIT"
    assert Echo.reached["/cache-test/public/b"] == 1


@pytest.mark.parametrize("cookie", ["sessionid=abc", "csrftoken=x; sessionid=abc", "messages=abc"])
def test_a_request_with_a_session_or_messages_cookie_always_reaches_the_app(cached_nginx, cookie):
    get(cached_nginx["http"], "/cache-test/public/c")
    for _ in range(2):
        response, _ = get(cached_nginx["http"], "/cache-test/public/c", headers={"Cookie": cookie})
        assert response.getheader("X-Cache-Status") == "BYPASS"
    assert Echo.reached["/cache-test/public/c"] == 3
    # …and what it was answered is not kept for the next anonymous reader
    _, body = get(cached_nginx["http"], "/cache-test/public/c")
    assert body.endswith(b"#1")


def test_an_api_key_always_reaches_the_app(cached_nginx):
    get(cached_nginx["http"], "/cache-test/public/d")
    get(cached_nginx["http"], "/cache-test/public/d", headers={"Authorization": "Token abc"})
    assert Echo.reached["/cache-test/public/d"] == 2


def test_each_language_cookie_has_its_own_copy(cached_nginx):
    _, zh = get(cached_nginx["http"], "/cache-test/public/e")
    _, en = get(cached_nginx["http"], "/cache-test/public/e", headers={"Cookie": "django_language=en"})
    _, en_again = get(cached_nginx["http"], "/cache-test/public/e", headers={"Cookie": "django_language=en"})
    assert b"zh-hant" in zh and b" en " in en and en_again == en
    assert Echo.reached["/cache-test/public/e"] == 2


def test_private_answers_are_never_kept(cached_nginx):
    for _ in range(2):
        response, _ = get(cached_nginx["http"], "/cache-test/private/f")
    assert response.getheader("X-Cache-Status") == "MISS"
    assert Echo.reached["/cache-test/private/f"] == 2


def test_each_scheme_has_its_own_copy(cached_nginx):
    """The app's HSTS header is only on answers to HTTPS requests: they are kept apart."""
    get(cached_nginx["http"], "/cache-test/public/g", headers={"X-Forwarded-Proto": "http"})
    get(cached_nginx["http"], "/cache-test/public/g", headers={"X-Forwarded-Proto": "https"})
    assert Echo.reached["/cache-test/public/g"] == 2


def test_the_exposed_nginx_micro_caches_too(run_nginx):
    Echo.reached.clear()
    nginx = run_nginx("nginx-tls.conf")
    get(nginx["https"], "/cache-test/public/h", tls=True)
    response, _ = get(nginx["https"], "/cache-test/public/h", tls=True)
    assert response.getheader("X-Cache-Status") == "HIT"
    response, _ = get(nginx["https"], "/cache-test/public/h", tls=True, headers={"Cookie": "sessionid=x"})
    assert response.getheader("X-Cache-Status") == "BYPASS"
    assert Echo.reached["/cache-test/public/h"] == 2
