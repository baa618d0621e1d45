"""The shipped nginx configurations, run by a real nginx in front of a stand-in backend that echoes
the headers it receives: who sets X-Forwarded-Proto, and the request id shared with the app."""

import http.client
import json
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
    def do_GET(self):
        body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
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
        if nginx_version() < (1, 25):  # the `http2` directive is newer than Debian 12's nginx
            site = site.replace("    http2 on;\n", "")
        (tmp_path / "site.conf").write_text(site)
        (tmp_path / "nginx.conf").write_text(
            f"daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
            "events {}\n"
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
