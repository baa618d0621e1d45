"""Load public pages served by gunicorn (2 workers) with wrk on loopback, against a bare Django view."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# Keys the whole benchmark shares: the demo data is seeded and then served with the same keys
# (ID numbers are encrypted and hashed with the field keys; card tokens are signed).
BENCH_KEYS = {
    "DJANGO_SECRET_KEY": "bench-" + "x" * 60,
    "HONOR_CARD_SIGNING_KEY": "YmVuY2gtaG9ub3ItY2FyZC1zaWduaW5nLWtleS0zMmI=",
    "FIELD_ENCRYPTION_KEYS": "YmVuY2gtZmllbGQtZW5jcnlwdGlvbi1rZXktMzJieXQ=",
    "FIELD_HASH_KEY": "bench-field-hash-key-" + "y" * 40,
}


def production_env(env: dict) -> dict:
    """The environment gunicorn serves the benchmark with: production settings on loopback."""
    return dict(
        env,
        **BENCH_KEYS,
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        GOODDAY_BENCH="1",
        # The payment benchmark signs notifications with ECPay's test merchant: a declared staging site.
        ECPAY_STAGING_SITE="1",
        LOG_LEVEL="WARNING",
    )


def parse_wrk(output: str) -> tuple[float, float]:
    """(requests per second, p99 in ms) from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rps, p99


# Peak resident memory (MB) of each kind of process seen during the run: "web worker", "Celery
# worker"; `make bench` prints them at the end.
PEAK_MB: dict[str, float] = {}


def process_tree(root: int) -> list[int]:
    """The process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size so far (VmHWM), in MB; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def note_peak(kind: str, pids: list[int]) -> None:
    peak = max((peak_rss_mb(pid) for pid in pids), default=0.0)
    PEAK_MB[kind] = max(PEAK_MB.get(kind, 0.0), peak)


class Gunicorn:
    def __init__(
        self,
        env: dict,
        port: int = 18900,
        workers: int = 2,
        threads: int = 1,
        app: str = "config.wsgi:application",
        kind: str = "web worker",
    ):
        self.env, self.port, self.workers, self.threads = env, port, workers, threads
        self.app, self.kind = app, kind
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self):
        self.proc = subprocess.Popen(
            [
                os.path.join(os.path.dirname(sys.executable), "gunicorn"),
                "--config",
                "config/gunicorn.py",
                self.app,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=dict(self.env, GUNICORN_ACCESS_LOG=""),  # no access log: the load would fill it
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2)
                return self
            except urllib.error.HTTPError:
                return self  # it answers (503 only says no Celery worker runs during the benchmark)
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        if self.kind:  # the workers' peak memory over everything this server was loaded with
            note_peak(self.kind, [pid for pid in process_tree(self.proc.pid) if pid != self.proc.pid])
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(10)


# Each page is loaded this many times and the run with the median p99 is the figure: on a shared
# 2-core machine one pause of the host or one full garbage collection in a worker moves a single
# run's p99 by tens of milliseconds. The table shows every run's p99 beside it.
RUNS = 3


def median_run(runs: list[tuple[float, float]]) -> tuple[float, float, list[float]]:
    """(rate, p99) of the run with the median p99, and all runs' p99s in order."""
    ordered = sorted(runs, key=lambda run: run[1])
    rps, p99 = ordered[len(ordered) // 2]
    return rps, p99, [run[1] for run in ordered]


def spread(p99s: list[float]) -> str:
    return "runs " + ", ".join(f"{p99:.0f}" for p99 in p99s)


def load(
    url: str, *, seconds: int = 6, connections: int = 16, headers: dict | None = None, runs: int = RUNS
) -> tuple[float, float, list[float]]:
    """Load one URL with wrk `runs` times: the median run's (rate, p99) and every run's p99."""
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (make install-test installs it)")
    headers = headers or {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        if response.status != 200 or response.url != url:  # warm the page cache; a redirect is no page
            raise RuntimeError(f"{url} answered {response.status} at {response.url}")
    header_args = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    results = []
    for _ in range(runs):
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *header_args, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        results.append(parse_wrk(out))
    return median_run(results)
