import pytest
from django.test import override_settings
from django.urls import reverse

from tests.conftest import require_redis_of_shape, restore_broker, use_broker, use_broker_of_shape

pytestmark = pytest.mark.django_db
TOKEN = "monitor-token-0123456789"


@pytest.fixture(autouse=True)
def _monitor_token(settings):
    settings.HEALTHZ_TOKEN = TOKEN


@pytest.fixture
def services_up():
    """The shape's services answer: with REDIS_URL, its Redis (the test is skipped without one)."""
    require_redis_of_shape()


def get_health(client):
    """As the monitor sees it: with the token, every check and its detail."""
    return client.get(reverse("healthz"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


def test_healthz_is_200_with_every_check_ok(client, services_up):
    response = get_health(client)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "worker"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_is_503_when_the_cache_is_down(client):
    # A real Redis client pointed at a port where nothing listens.
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=down):
        response = get_health(client)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_healthz_is_503_when_the_embedded_file_cache_cannot_be_written(client, tmp_path):
    """The embedded default's equivalent of a Redis outage: the cache's folder cannot be made."""
    (tmp_path / "a-file").write_text("not a folder")
    broken = {
        "default": {
            "BACKEND": "core.filecache.AtomicFileBasedCache",
            "LOCATION": str(tmp_path / "a-file" / "cache"),
        }
    }
    with override_settings(CACHES=broken):
        response = get_health(client)
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


def test_healthz_is_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    original = use_broker("redis://127.0.0.1:1/0")
    try:
        response = get_health(client)
    finally:
        use_broker(original)
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_healthz_is_503_when_no_worker_answers(client, settings, tmp_path):
    """The broker (the machine's real Redis, or the embedded file broker) is up, but no worker
    consumes from it."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    original = use_broker_of_shape(tmp_path)
    try:
        response = get_health(client)
    finally:
        restore_broker(original)
    body = response.json()
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["worker"] == {"ok": False, "detail": "no worker answered"}
    assert response.status_code == 503


def test_anonymous_callers_learn_only_up_or_down(client, services_up):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_wrong_token_shows_no_details(client, services_up):
    response = client.get(reverse("healthz"), HTTP_AUTHORIZATION="Bearer guess")
    assert response.json() == {"status": "ok"}


def test_anonymous_callers_see_503_without_the_reason_when_the_cache_is_down(client):
    down = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=down):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "fail"}


def test_site_admin_sees_the_details(client, make_user):
    from accounts.roles import Role

    client.force_login(make_user(Role.SITE_ADMIN))
    assert "checks" in client.get(reverse("healthz")).json()
    client.force_login(make_user(Role.CASEWORKER))
    assert "checks" not in client.get(reverse("healthz")).json()
