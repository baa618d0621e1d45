"""Rate limits hold under concurrency and cannot be dodged: one atomic counter per window in the
shared cache (Redis, or the embedded default's files), and the client address taken from the proxies
we trust (TRUSTED_PROXY_COUNT), never from a header the client wrote."""

import os
import subprocess
import sys
import threading
from pathlib import Path
from subprocess import PIPE
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse

from core.ratelimit import client_ip, hit
from tests.conftest import require_redis
from tests.honorcards.factories import World
from volunteers.api.views import UnitRateThrottle

ROOT = Path(__file__).resolve().parents[2]


def in_parallel(func, calls: int, threads: int = 16) -> list:
    results, lock = [], threading.Lock()
    per_thread = calls // threads
    start = threading.Barrier(threads)

    def run():
        start.wait()
        mine = [func() for _ in range(per_thread)]
        with lock:
            results.extend(mine)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return results


@pytest.fixture(params=["redis", "files"])
def shared_cache(request, tmp_path):
    """The caches the counters live in: Redis (skipped when none answers, see tests/conftest.py) and
    the embedded default's file cache, shared by every process on the machine. The clock stands
    still (tests/conftest.py, ``ratelimit_clock``): 800 calls on a busy machine may otherwise cross
    a window's edge, where twice the limit may pass."""
    if request.param == "redis":
        backend = {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": require_redis(4)}
    else:
        backend = {"BACKEND": "core.filecache.AtomicFileBasedCache", "LOCATION": str(tmp_path / "cache")}
    with override_settings(CACHES={"default": {**backend, "KEY_PREFIX": "ratelimit-test"}}):
        cache.clear()
        yield
        cache.clear()


def test_the_counter_lets_exactly_the_limit_through_under_parallel_requests(shared_cache):
    allowed = in_parallel(lambda: hit("parallel", 100, 60), calls=800)
    assert allowed.count(True) == 100


def test_the_units_api_throttle_holds_under_parallel_requests(shared_cache, settings):
    """DRF's own throttle reads a list, appends and writes it back: parallel requests slipped through."""
    settings.VOLUNTEER_API_THROTTLE_RATE = "100/min"
    request = SimpleNamespace(auth=None, user=SimpleNamespace(pk=42, is_authenticated=True), META={})

    def one():
        return UnitRateThrottle().allow_request(request, None)

    allowed = in_parallel(one, calls=800)
    assert allowed.count(True) == 100


COUNT_IN_A_PROCESS = """
import django, sys
django.setup()
from core.ratelimit import hit
print(sum(hit("processes", 100, 10**9) for _ in range(int(sys.argv[1]))))  # one window
"""


@pytest.mark.slow
def test_processes_of_the_embedded_default_share_one_counter(tmp_path):
    """runserver, the worker and `manage.py …` count against the same limit (one file cache in
    VAR_DIR), and their increments do not overwrite each other."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", "GOODDAY_VAR_DIR": str(tmp_path / "var")}
    processes = [
        subprocess.Popen([sys.executable, "-c", COUNT_IN_A_PROCESS, "120"], cwd=ROOT, env=env, stdout=PIPE)
        for _ in range(3)
    ]
    allowed = [int(p.communicate(timeout=120)[0].decode().split()[-1]) for p in processes]
    assert sum(allowed) == 100


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "client"),
    [
        (0, "6.6.6.6", "203.0.113.9", "203.0.113.9"),  # nothing in front: the header is the client's own
        (1, "6.6.6.6, 198.51.100.7", "10.0.0.2", "198.51.100.7"),  # nginx appended what it saw
        (1, "", "10.0.0.2", "10.0.0.2"),
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.3", "10.0.0.2", "198.51.100.7"),
    ],
)
def test_the_client_address_comes_from_trusted_proxies_only(settings, proxies, forwarded, remote, client):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client


@pytest.mark.django_db
@pytest.mark.parametrize("proxies", [0, 1])
def test_a_made_up_x_forwarded_for_does_not_dodge_the_card_check_limit(client, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.HONOR_CARD_CHECK_RATE_PER_MINUTE = 3
    url = reverse("honorcards:verify", kwargs={"token": World().issue().token})
    statuses = []
    for n in range(6):
        # A new made-up address each time; behind nginx (1 proxy) it appends the real one.
        forwarded = f"10.9.9.{n}" + (", 198.51.100.7" if proxies else "")
        statuses.append(client.get(url, HTTP_X_FORWARDED_FOR=forwarded).status_code)
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429, 429]


@pytest.mark.django_db
def test_signing_in_is_limited_by_the_trusted_address_too(client, settings, make_user):
    from tests.accounts.factories import PASSWORD

    settings.TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = {"login": "3/m/ip"}
    user = make_user()
    codes = [
        client.post(
            reverse("account_login"),
            {"login": user.email, "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=f"10.8.8.{n}",
        ).status_code
        for n in range(5)
    ]
    assert 429 in codes[3:]
