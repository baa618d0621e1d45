import os

import pytest
from django.test import override_settings
from django.urls import reverse

from config.celery import app as celery_app
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


@pytest.fixture
def file_broker(settings, tmp_path):
    """The embedded default's file broker (as `make run` starts it), in folders of this test's own,
    whichever shape runs: yields the folders {"queue": …, "control": …}."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    folders = {name: tmp_path / "broker" / name for name in ("queue", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    previous_options = celery_app.conf.broker_transport_options
    celery_app.conf.broker_transport_options = {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "control_folder": str(folders["control"]),
    }
    previous = (use_broker("filesystem://"), previous_options)
    yield folders
    for folder in folders.values():
        if folder.is_dir():
            folder.chmod(0o755)
    restore_broker(previous)


def test_the_file_broker_with_its_folders_in_place_is_up_and_the_probe_leaves_nothing(client, file_broker):
    body = get_health(client).json()
    assert body["checks"]["broker"] == {"ok": True, "detail": "ok"}
    # (The worker check's ping leaves the transport's own exchange file in the control folder.)
    assert [p for folder in file_broker.values() for p in folder.glob(".healthz-*")] == []


def test_healthz_is_503_when_the_file_brokers_queue_folder_is_gone(client, file_broker):
    file_broker["queue"].rmdir()
    response = get_health(client)
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["broker"] == {"ok": False, "detail": "queue folder (in) missing"}
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_healthz_is_503_when_a_file_stands_where_the_control_folder_should_be(client, file_broker):
    file_broker["control"].rmdir()
    file_broker["control"].write_text("not a folder")
    response = get_health(client)
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"ok": False, "detail": "control folder missing"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders: the fault cannot be made")
def test_healthz_is_503_when_the_file_brokers_queue_folder_is_read_only(client, file_broker):
    file_broker["queue"].chmod(0o555)
    response = get_health(client)
    assert response.status_code == 503
    broker = response.json()["checks"]["broker"]
    assert broker["ok"] is False
    assert broker["detail"].startswith("queue folder (in) not writable")


def test_healthz_is_503_when_the_file_brokers_queue_folder_is_not_writable(client, file_broker, monkeypatch):
    """As root (where a read-only mode is no fault) the write itself is made to fail, as a full or
    read-only-mounted disk makes it fail: the folder stays, the probe's write is refused."""
    import tempfile

    real = tempfile.NamedTemporaryFile
    queue = str(file_broker["queue"])

    def refusing(*args, dir=None, **kwargs):
        if dir == queue:
            raise OSError(30, "Read-only file system", dir)
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refusing)
    response = get_health(client)
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {
        "ok": False,
        "detail": "queue folder (in) not writable (OSError)",
    }


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
