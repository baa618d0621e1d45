"""Settings come from the environment; with nothing set the project runs on embedded defaults."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "debug": s.DEBUG,
    "engine": s.DATABASES["default"]["ENGINE"],
    "pool": bool(s.DATABASES["default"].get("OPTIONS", {}).get("pool")),
    "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "broker": s.CELERY_BROKER_URL,
    "cache": s.CACHES["default"]["BACKEND"],
    "email": s.EMAIL_BACKEND,
    "hosts": s.ALLOWED_HOSTS,
    "language": s.LANGUAGE_CODE,
    "tz": s.TIME_ZONE,
    "ssl_header": list(s.SECURE_PROXY_SSL_HEADER),
    "hsts": s.SECURE_HSTS_SECONDS,
    "secure_cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
    "site_url": s.SITE_URL,
    "csrf_origins": s.CSRF_TRUSTED_ORIGINS,
    "db_options": {k: v for k, v in s.DATABASES["default"].get("OPTIONS", {}).items() if k != "pool"},
}))
"""
CLEAR = (
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SITE_URL",
    "HONOR_CARD_SIGNING_KEY",
    "GOODDAY_BENCH",
    "FIELD_ENCRYPTION_KEYS",
    "FIELD_HASH_KEY",
    "FIELD_HASH_KEYS",
    "DJANGO_SECRET_KEY_FALLBACKS",
    "SENTRY_DSN",
    "CELERY_BROKER_URL",
    "PORT",
    "CELERY_TASK_ALWAYS_EAGER",
)
# What production needs besides DJANGO_DEBUG=0 (keys that cannot have a safe default).
PRODUCTION_KEYS = {
    "DJANGO_SECRET_KEY": "k3y-" + "a1B2c3D4e5" * 6,
    "HONOR_CARD_SIGNING_KEY": "A" * 43 + "=",
    "FIELD_ENCRYPTION_KEYS": "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=",
    "FIELD_HASH_KEY": "h4sh-" + "f6G7h8J9k0" * 4,
}


def probe(**env):
    base = {k: v for k, v in os.environ.items() if k not in CLEAR}
    base.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=base, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1]), out


def test_with_nothing_set_the_project_runs_on_embedded_defaults():
    s, _ = probe()
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["eager"] is True
    # The worker `make run` starts reads a broker in files; a cache in files is shared by every process.
    assert s["broker"] == "filesystem://"
    assert s["cache"].endswith("FileBasedCache")
    assert s["site_url"] == "http://127.0.0.1:8000"
    assert s["email"] == "django.core.mail.backends.console.EmailBackend"
    assert s["language"] == "zh-hant"
    assert s["tz"] == "Asia/Taipei"


def test_database_and_redis_urls_switch_to_postgresql_with_a_pool_and_a_real_broker():
    s, _ = probe(DATABASE_URL="postgres://postgres@127.0.0.1:5432/x", REDIS_URL="redis://127.0.0.1:6379/0")
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["pool"] is True
    assert s["eager"] is False
    assert s["broker"] == "redis://127.0.0.1:6379/0"
    assert s["cache"].endswith("RedisCache")


def test_the_site_address_follows_the_port_make_run_serves():
    s, _ = probe(PORT="8080")
    assert s["site_url"] == "http://127.0.0.1:8080"
    assert s["csrf_origins"] == ["http://127.0.0.1:8080"]
    assert probe(PORT="8080", SITE_URL="https://goodday.example.gov.tw/")[0]["site_url"] == (
        "https://goodday.example.gov.tw"
    )


def test_sqlite_waits_for_the_writer_instead_of_failing_and_locks_when_a_transaction_begins():
    s, _ = probe()
    assert s["db_options"]["transaction_mode"] == "IMMEDIATE"
    assert s["db_options"]["timeout"] >= 10
    assert "journal_mode=WAL" in s["db_options"]["init_command"]


def test_lists_are_comma_separated():
    s, _ = probe(DJANGO_ALLOWED_HOSTS="a.gov.tw,localhost")
    assert s["hosts"] == ["a.gov.tw", "localhost"]


def test_production_mode_is_secure_behind_a_tls_proxy():
    s, _ = probe(DJANGO_DEBUG="0", **PRODUCTION_KEYS)
    assert s["debug"] is False
    assert s["ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["hsts"] >= 31536000
    assert s["secure_cookies"] == [True, True]


@pytest.mark.parametrize("missing", sorted(PRODUCTION_KEYS))
def test_production_mode_refuses_to_start_without_its_keys(missing):
    base = {k: v for k, v in os.environ.items() if k not in CLEAR}
    base.update(PRODUCTION_KEYS, DJANGO_DEBUG="0", DJANGO_SETTINGS_MODULE="config.settings")
    del base[missing]
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=base, capture_output=True, text=True, check=False
    )
    assert out.returncode != 0
    assert missing in out.stderr


@pytest.mark.slow
def test_check_deploy_is_clean_with_production_settings():
    base = {k: v for k, v in os.environ.items() if k not in CLEAR}
    base.update(
        PRODUCTION_KEYS,
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="goodday.example.gov.tw",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.slow
def test_static_files_collect_for_production(tmp_path):
    """Production serves hashed static files (ManifestStaticFilesStorage): every file a CSS or JS
    file points to must exist, or collectstatic (and so the deployment) fails."""
    base = {k: v for k, v in os.environ.items() if k not in CLEAR}
    base.update(PRODUCTION_KEYS, DJANGO_DEBUG="0", DJANGO_SETTINGS_MODULE="config.settings")
    out = subprocess.run(
        [sys.executable, "-c", COLLECT.format(root=str(tmp_path))],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert (tmp_path / "staticfiles.json").exists()


COLLECT = """
import django
from django.conf import settings
settings.STATIC_ROOT = {root!r}
django.setup()
from django.core.management import call_command
call_command("collectstatic", "--noinput", verbosity=0)
"""
