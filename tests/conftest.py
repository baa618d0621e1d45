import pytest
from django.core.cache import cache

from config.celery import app as celery_app


@pytest.fixture(autouse=True)
def _isolated_services(settings, tmp_path):
    """Each test: tasks run eagerly (a real worker is tested explicitly), media in a temp folder,
    an empty cache (rate limits and cached pages from other tests do not leak in)."""
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
    yield
    cache.clear()


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
