"""A cache or broker outage is not an outage of the site.

The cache here is really unreachable: a Redis client pointed at a port where nothing listens, with
the backend production uses (core/cache.py). Pages render uncached, sign-in works, rate limits keep
counting in process memory, /healthz says 503.
"""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from tests.accounts.factories import PASSWORD
from tests.honorcards.factories import World
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"
UNREACHABLE = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": CLOSED_PORT}}
# The stock Redis backend, for the page cache's own guard (it must not depend on the fallback).
UNREACHABLE_PLAIN = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED_PORT}
}


@pytest.fixture(autouse=True)
def _empty_fallback():
    """The fallback memory is per process (shared by every thread's cache client): empty it."""
    with override_settings(CACHES=UNREACHABLE):
        cache.clear()
    yield
    with override_settings(CACHES=UNREACHABLE):
        cache.clear()


@pytest.fixture
def public_pages(db):
    program = ProgramFactory(published=True)
    today = timezone.localdate()  # the month in progress: shown provisional
    card = World().issue()
    return [
        reverse("core:home"),
        reverse("programs:list"),
        reverse("programs:detail", kwargs={"pk": program.pk}),
        reverse("disclosure:index"),
        reverse("disclosure:month", kwargs={"year": today.year, "month": today.month}),
        reverse("dashboard:index"),
        reverse("dashboard:map"),
        reverse("dashboard:map_points"),
        reverse("honorcards:index"),
        reverse("honorcards:verify", kwargs={"token": card.token}),
    ]


def test_every_public_page_renders_with_the_cache_unreachable(client, public_pages):
    with override_settings(CACHES=UNREACHABLE):
        for url in public_pages:
            response = client.get(url)
            assert response.status_code == 200, url
            # And again: nothing was half-cached by the first answer.
            assert client.get(url).status_code == 200, url


def test_the_page_cache_renders_uncached_even_on_the_stock_redis_backend(client):
    with override_settings(CACHES=UNREACHABLE_PLAIN):
        assert client.get(reverse("core:home")).status_code == 200
        assert client.get(reverse("programs:list")).status_code == 200


def test_pages_are_not_cached_in_process_memory_while_redis_is_down(client, public_pages):
    with override_settings(CACHES=UNREACHABLE):
        client.get(reverse("core:home"))
        assert cache.is_degraded()
        pages = [k for k in cache._fallback._cache if "pagecache:" in k and "pagecache:version" not in k]
        assert not pages


def test_sign_in_works_with_the_cache_unreachable(client, make_user):
    donor = make_user(Role.DONOR)
    with override_settings(CACHES=UNREACHABLE):
        response = client.post(reverse("account_login"), {"login": donor.email, "password": PASSWORD})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(donor.pk)
        assert client.get(reverse("donations:dashboard")).status_code == 200


def test_the_failed_login_limit_still_counts_per_process_with_the_cache_unreachable(client, make_user):
    donor = make_user(Role.DONOR)
    with override_settings(CACHES=UNREACHABLE):
        for _ in range(10):
            client.post(reverse("account_login"), {"login": donor.email, "password": "wrong"})
        client.post(reverse("account_login"), {"login": donor.email, "password": PASSWORD})
        assert "_auth_user_id" not in client.session


def test_the_card_check_limit_still_counts_with_the_cache_unreachable(client, settings):
    card = World().issue()
    settings.HONOR_CARD_CHECK_RATE_PER_MINUTE = 3
    with override_settings(CACHES=UNREACHABLE):
        url = reverse("honorcards:verify", kwargs={"token": card.token})
        statuses = [client.get(url).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]


def test_healthz_says_503_with_the_cache_unreachable(client):
    with override_settings(CACHES=UNREACHABLE):
        assert client.get(reverse("healthz")).status_code == 503


def test_the_cache_comes_back_by_itself(monkeypatch):
    from core import cache as resilient

    with override_settings(CACHES=UNREACHABLE):
        cache.get("x")
        assert cache.is_degraded()
        monkeypatch.setattr(resilient, "RETRY_SECONDS", 0.0)
        cache._down_until = 0.0
        assert not cache.is_degraded()
