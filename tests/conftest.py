import datetime
import functools
import os
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.utils import translation

from config.celery import app as celery_app


@receiver(connection_created)
def _sqlite_without_fsync(sender, connection, **kwargs):
    """The SQLite test database is a file (see settings): waiting for the disk on every commit
    would only slow the suite down, and a lost test database is simply made again."""
    if connection.vendor == "sqlite":
        connection.cursor().execute("PRAGMA synchronous=OFF")


@pytest.fixture(autouse=True)
def _isolated_services(settings, tmp_path):
    """Each test: tasks run eagerly (a real worker is tested explicitly), media in a temp folder,
    an empty cache (rate limits and cached pages from other tests do not leak in), zh-Hant active."""
    # Fast hashing: tests create many users; production keeps Django's PBKDF2 default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    celery_app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private_media", "base_url": None},
        },
    }
    cache.clear()
    # A request in English leaves English active in this thread (LocaleMiddleware does not reset
    # it): each test starts in the portal's own language.
    translation.activate(django_settings.LANGUAGE_CODE)
    forget_fast_pages()
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
    cache.clear()
    forget_fast_pages()


class RateLimitClock:
    """The clock of core/ratelimit.py's fixed windows, stopped: a test counting five refusals (or
    two API calls) counts them in one window however long it runs. ``advance(seconds)`` moves it,
    for a test that crosses a window's edge on purpose."""

    # 2026-06-15 12:30:30 in Taipei: mid-minute, mid-hour, mid-day.
    START = datetime.datetime(2026, 6, 15, 4, 30, 30, tzinfo=datetime.UTC).timestamp()

    def __init__(self):
        self.now = self.START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def ratelimit_clock(monkeypatch):
    """Every test runs with the rate limits' clock stopped (core.ratelimit._now, the one clock of
    every window); the limits themselves are unchanged."""
    clock = RateLimitClock()
    monkeypatch.setattr("core.ratelimit._now", clock)
    return clock


def forget_fast_pages():
    """The finished pages a web process holds in memory for a second (core/fastpage.py)."""
    from core.fastpage import forget_local

    forget_local()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login(staff)` stands for a finished sign-in: for a user with an authenticator that
    includes the second factor, which the portal checks on the session (accounts/middleware.py).
    `client.login(...)` (a password check and nothing else) stays what it is: a door without it."""
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from allauth.mfa.models import Authenticator

        from tests.accounts.factories import mark_second_factor_passed

        if Authenticator.objects.filter(user=user).exists():
            session = self.session
            mark_second_factor_passed(session, user)
            session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture
def user_factory(db):
    from tests.accounts.factories import UserFactory

    return UserFactory


@pytest.fixture
def make_user(db):
    """``make_user(Role.CASEWORKER, organisation=org)``: a verified user of that role with 2FA set up
    when the role needs it (so views are reachable, as they are for real staff)."""
    from tests.accounts.factories import make_user as _make_user

    return _make_user


def use_broker(url: str) -> str:
    """Point the Celery app at another broker, dropping pooled connections to the old one.
    Returns the previous URL."""
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = url
    # Celery reads CELERY_BROKER_URL from the environment before its own setting: follow it there.
    if "CELERY_BROKER_URL" in os.environ:
        os.environ["CELERY_BROKER_URL"] = url
    # Forget (not close: a worker thread may still hold them) the pooled connections to the old broker.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    return previous


def database_url() -> str:
    """The test database as another process (a worker, a management command) reaches it."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


# A machine may have no Redis at all (a fresh clone: the embedded default). Tests that need a real
# one use the address the shape configures (REDIS_URL), else TEST_REDIS_URL, else the usual local
# one, and are skipped with the reason when nothing answers there: CI, which runs a Redis, runs them
# in both shapes. `TEST_REDIS_URL=redis://127.0.0.1:6390` (a closed port) stands for no Redis.
USUAL_REDIS = "redis://127.0.0.1:6379/0"


def redis_for_tests(db: int) -> str:
    """Database `db` of the Redis the tests may use, beside the shape's own databases."""
    base = os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL") or USUAL_REDIS
    return urlsplit(base)._replace(path=f"/{db}").geturl()


@functools.cache
def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


def require_redis(db: int) -> str:
    """redis_for_tests(db), or skip the test when no Redis answers there."""
    url = redis_for_tests(db)
    if not redis_answers(url):
        where = urlsplit(url).netloc
        pytest.skip(f"needs a real Redis and none answers at {where} (REDIS_URL or TEST_REDIS_URL)")
    return url


def require_redis_of_shape() -> None:
    """Skip the test when the shape has a Redis (REDIS_URL) and it does not answer."""
    url = os.environ.get("REDIS_URL")
    if url and not redis_answers(url):
        pytest.skip(f"needs the Redis of REDIS_URL and none answers at {urlsplit(url).netloc}")


def broker_of_shape(tmp_path) -> tuple[str, dict]:
    """The broker of the shape under test: Redis when REDIS_URL is set (a db of its own; the test is
    skipped when that Redis does not answer), else the embedded default's file broker, in a folder
    of this test's own."""
    if os.environ.get("REDIS_URL"):
        return require_redis(14), {}
    folder = tmp_path / "broker"
    for sub in ("queue", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return "filesystem://", {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
    }


def use_broker_of_shape(tmp_path) -> tuple[str, dict]:
    """use_broker() on broker_of_shape(); returns what to hand back to restore_broker()."""
    url, options = broker_of_shape(tmp_path)
    previous_options = celery_app.conf.broker_transport_options
    celery_app.conf.broker_transport_options = options
    return use_broker(url), previous_options


def restore_broker(previous) -> None:
    url, options = previous
    celery_app.conf.broker_transport_options = options
    use_broker(url)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database is kept between runs (--reuse-db; on SQLite a file in var/): a run stopped
    halfway through a transactional test leaves its rows behind, so every run starts from empty."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("flush", "--noinput", verbosity=0)
