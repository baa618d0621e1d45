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
    "cache_location": s.CACHES["default"].get("LOCATION", ""),
    "ecpay_checkout": s.ECPAY_CHECKOUT_URL,
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
    "GOODDAY_SERVER_TIMING",
    "FIELD_ENCRYPTION_KEYS",
    "FIELD_HASH_KEY",
    "FIELD_HASH_KEYS",
    "DJANGO_SECRET_KEY_FALLBACKS",
    "SENTRY_DSN",
    "CELERY_BROKER_URL",
    "PORT",
    "CELERY_TASK_ALWAYS_EAGER",
    "CACHE_URL",
    "TRUSTED_PROXY_COUNT",
    "ECPAY_MERCHANT_ID",
    "ECPAY_HASH_KEY",
    "ECPAY_HASH_IV",
    "ECPAY_CHECKOUT_URL",
    "ECPAY_QUERY_URL",
    "ECPAY_PERIOD_ACTION_URL",
    "ECPAY_SANDBOX",
    "ECPAY_STAGING_SITE",
)
# What production needs besides DJANGO_DEBUG=0 (keys that cannot have a safe default).
PRODUCTION_KEYS = {
    "DJANGO_SECRET_KEY": "k3y-" + "a1B2c3D4e5" * 6,
    "HONOR_CARD_SIGNING_KEY": "A" * 43 + "=",
    "FIELD_ENCRYPTION_KEYS": "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=",
    "FIELD_HASH_KEY": "h4sh-" + "f6G7h8J9k0" * 4,
    "ECPAY_MERCHANT_ID": "1000001",
    "ECPAY_HASH_KEY": "prodKEY000000001",
    "ECPAY_HASH_IV": "prodIV0000000001",
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
    assert s["cache"] == "core.filecache.AtomicFileBasedCache"  # atomic counters: rate limits hold
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
    assert s["cache"] == "core.cache.ResilientRedisCache"


def test_the_runtime_folder_is_made_on_postgresql_and_redis_too(tmp_path):
    """Beat keeps its schedule in VAR_DIR whatever the shape: a fresh clone with DATABASE_URL and
    REDIS_URL set must have the folder before `make run`'s worker starts beat."""
    folder = tmp_path / "fresh-var"
    probe(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/0",
        GOODDAY_VAR_DIR=str(folder),
    )
    assert folder.is_dir()


@pytest.mark.parametrize(
    ("redis_url", "cache_url"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"),
        ("redis://127.0.0.1:6379/13", "redis://127.0.0.1:6379/14"),
        ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379/1"),
    ],
)
def test_the_cache_takes_the_redis_database_after_the_brokers(redis_url, cache_url):
    s, _ = probe(REDIS_URL=redis_url)
    assert s["broker"] == redis_url
    assert s["cache_location"] == cache_url


def test_cache_url_puts_the_cache_where_it_says():
    s, _ = probe(REDIS_URL="redis://127.0.0.1:6379/13", CACHE_URL="redis://127.0.0.1:6379/7")
    assert s["cache_location"] == "redis://127.0.0.1:6379/7"


def test_a_broker_on_the_last_redis_database_needs_an_explicit_cache_url():
    base = {k: v for k, v in os.environ.items() if k not in CLEAR}
    base.update(REDIS_URL="redis://127.0.0.1:6379/15", DJANGO_SETTINGS_MODULE="config.settings")
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=base, capture_output=True, text=True)
    assert out.returncode != 0
    assert "CACHE_URL" in out.stderr


def _start(**env):
    base = {k: v for k, v in os.environ.items() if k not in CLEAR}
    base.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=base, capture_output=True, text=True)


@pytest.mark.parametrize(
    "test_setting",
    [
        {"ECPAY_MERCHANT_ID": "3002607"},
        {"ECPAY_MERCHANT_ID": "2000132"},
        {"ECPAY_HASH_KEY": "pwFHCqoQZGmho4w6"},
        {"ECPAY_HASH_IV": "EkRm7iFT261dpevs"},
        {"ECPAY_CHECKOUT_URL": "https://payment-stage.ecpay.com.tw/Cashier/AioCheckOut/V5"},
        {"ECPAY_SANDBOX": "1"},
    ],
)
def test_production_refuses_to_start_on_ecpays_published_test_setup(test_setting):
    out = _start(**{**PRODUCTION_KEYS, **test_setting}, DJANGO_DEBUG="0")
    assert out.returncode != 0
    assert "ECPAY_STAGING_SITE" in out.stderr


def test_production_with_no_ecpay_settings_at_all_refuses_to_start():
    keys = {k: v for k, v in PRODUCTION_KEYS.items() if not k.startswith("ECPAY_")}
    out = _start(**keys, DJANGO_DEBUG="0")
    assert out.returncode != 0
    assert "3002607" in out.stderr


def test_production_uses_ecpays_production_site_by_default():
    s, _ = probe(DJANGO_DEBUG="0", **PRODUCTION_KEYS)
    assert s["ecpay_checkout"].startswith("https://payment.ecpay.com.tw/")


def test_a_declared_staging_site_starts_on_the_test_merchant_and_check_deploy_reports_it():
    keys = {k: v for k, v in PRODUCTION_KEYS.items() if not k.startswith("ECPAY_")}
    s, _ = probe(DJANGO_DEBUG="0", ECPAY_STAGING_SITE="1", **keys)
    assert s["ecpay_checkout"].startswith("https://payment-stage.ecpay.com.tw/")
    base = {k: v for k, v in os.environ.items() if k not in CLEAR}
    base.update(
        keys,
        DJANGO_DEBUG="0",
        ECPAY_STAGING_SITE="1",
        DJANGO_ALLOWED_HOSTS="staging.example.gov.tw",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0
    assert "goodday.W001" in out.stdout + out.stderr


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
