"""Production settings for the operator: field keys checked at start-up, secret-key fallbacks, a
broker of its own, Sentry loaded only when asked for."""

import os
import subprocess
import sys

from tests.core.test_settings import CLEAR, PRODUCTION_KEYS, ROOT

PROBE = """
import json, sys, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "fallbacks": s.SECRET_KEY_FALLBACKS,
    "hash_keys": s.FIELD_HASH_KEYS,
    "broker": s.CELERY_BROKER_URL,
    "cache": s.CACHES["default"].get("LOCATION"),
    "sentry_loaded": "sentry_sdk" in sys.modules,
    "backup_scheduled": "nightly-backup" in s.CELERY_BEAT_SCHEDULE,
}))
"""


def run(**env):
    base = {k: v for k, v in os.environ.items() if k not in CLEAR}
    base.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=base, capture_output=True, text=True)


def settings_of(**env):
    import json

    out = run(**env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_refuses_an_encryption_key_that_is_not_a_fernet_key():
    out = run(DJANGO_DEBUG="0", **{**PRODUCTION_KEYS, "FIELD_ENCRYPTION_KEYS": "not-a-fernet-key"})
    assert out.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in out.stderr


def test_production_refuses_a_short_hash_key():
    out = run(DJANGO_DEBUG="0", **{**PRODUCTION_KEYS, "FIELD_HASH_KEY": "short"})
    assert out.returncode != 0
    assert "FIELD_HASH_KEYS" in out.stderr


def test_hash_keys_newest_first_stand_in_for_the_single_hash_key():
    keys = {k: v for k, v in PRODUCTION_KEYS.items() if k != "FIELD_HASH_KEY"}
    s = settings_of(DJANGO_DEBUG="0", FIELD_HASH_KEYS="n" * 40 + "," + "o" * 40, **keys)
    assert s["hash_keys"] == ["n" * 40, "o" * 40]


def test_old_secret_keys_are_accepted_as_fallbacks_while_the_secret_key_is_rotated():
    s = settings_of(DJANGO_SECRET_KEY_FALLBACKS="old-one,older-one")
    assert s["fallbacks"] == ["old-one", "older-one"]


def test_the_broker_can_be_a_redis_of_its_own_apart_from_the_cache():
    s = settings_of(
        REDIS_URL="redis://cache:6379/0",
        CACHE_URL="redis://cache:6379/0",
        CELERY_BROKER_URL="redis://broker:6379/0",
    )
    assert s["broker"] == "redis://broker:6379/0"
    assert s["cache"] == "redis://cache:6379/0"


def test_sentry_is_not_even_imported_without_a_dsn():
    assert settings_of()["sentry_loaded"] is False


def test_sentry_is_set_up_when_a_dsn_is_given():
    assert settings_of(SENTRY_DSN="https://public@sentry.example.gov.tw/1")["sentry_loaded"] is True


def test_production_on_postgresql_schedules_the_nightly_backup():
    s = settings_of(DJANGO_DEBUG="0", DATABASE_URL="postgres://u@db:5432/goodday", **PRODUCTION_KEYS)
    assert s["backup_scheduled"] is True
    assert settings_of()["backup_scheduled"] is False
