"""Goodday settings.

Everything an operator changes comes from the environment (see README, "Settings").
With nothing set the project runs on an embedded default: SQLite, a cache and a Celery broker in
files under var/ (tasks run eagerly in-process, except under `make run`, which starts a worker with
beat on that broker), mail printed to the console.
"""

import contextlib
from pathlib import Path

import environ
from celery.schedules import crontab
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-goodday-development-key-never-use-in-production-0123456789"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# The public address of the portal: used in e-mails, QR codes and the gateway's callback URLs.
# By default the address `make run` serves (it passes its PORT on).
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",  # its widget templates, for the project's form renderer (FORM_RENDERER)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served as our own static files
    "csp",
]
# The project's own apps, in one list (core/portal.py, docs/adding-an-app.md): INSTALLED_APPS, the
# URLs, the demo data's order, the header's menu and the permission matrix all follow it. What each
# app brings (its URL mounts, its place in the menu) is declared on its AppConfig.
PORTAL_APPS = [
    "core",
    "accounts",
    "audit",
    "programs",
    "donations",
    "volunteers",
    "opportunities",
    "honorcards",
    "disclosure",
    "dashboard",
    "privacy",
    "corporate",
    "largeevents",
    "ops",
]
INSTALLED_APPS += PORTAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers a cached anonymous page before the rest of the stack; sets Cache-Control (core/fastpage.py).
    "core.fastpage.CachedPublicPageMiddleware",
    # Answers the payment gateway's server-to-server POSTs without sessions, users or messages (core/leanpath.py).
    "core.leanpath.ServerToServerMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireStaffTwoFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Every form renders through core.forms: ISO date values, required marks, the shared field template.
FORM_RENDERER = "core.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

# How long a browser, nginx's micro-cache (deploy/nginx.conf) or a CDN may keep an anonymous public
# page (Cache-Control: public, max-age=…): short, so a change shows within seconds everywhere.
PUBLIC_PAGE_MAX_AGE = env.int("PUBLIC_PAGE_MAX_AGE", default=10)
# How long a web process serves a cached page from its own memory before asking Redis whether it was
# invalidated (core/fastpage.py); 0 asks Redis on every request.
FAST_PAGE_RECHECK_SECONDS = env.float("FAST_PAGE_RECHECK_SECONDS", default=1.0)
# Money arriving (a paid gift) invalidates the program pages at most once per this many seconds
# (core/pagecache.py): the first gift shows at once, a later one within the window by its end. In a
# disaster appeal's surge the pages are then rendered once per window, not once per gift. 0: at once.
PAGE_CACHE_COALESCE_SECONDS = env.int("PAGE_CACHE_COALESCE_SECONDS", default=5)

# --- Database -------------------------------------------------------------------------------
# Runtime state of the embedded default (file cache, file broker, beat schedule), never committed.
VAR_DIR = Path(env.str("GOODDAY_VAR_DIR", default=str(BASE_DIR / "var")))
# Made here for every shape: beat's schedule lives in it even when PostgreSQL and Redis hold the
# rest (a fresh clone's `make run` with DATABASE_URL/REDIS_URL had no var/, and beat died at start).
# Tolerant: a read-only image's one-off command still starts.
with contextlib.suppress(OSError):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's own psycopg 3 connection pool; persistent connections must then stay off.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=1),
        "max_size": env.int("DATABASE_POOL_MAX", default=10),
        "timeout": 10,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several processes and threads at once (runserver's threads, the
    # worker, a management command). WAL: readers go on while one writer writes. The busy timeout:
    # a writer waits its turn instead of failing with "database is locked". IMMEDIATE: a transaction
    # takes the write lock when it begins, so two that read and then write cannot deadlock (SQLite
    # cannot upgrade a read lock another reader holds, and then fails at once, timeout or not).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=30),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL",
        }
    )
    # Tests use a file too (not memory): other processes (a worker, a management command) and
    # threads with their own connections then see the same database, as under `make run`.
    DATABASES["default"]["TEST"] = {
        "NAME": env.str("SQLITE_TEST_DATABASE", default=str(VAR_DIR / "test-db.sqlite3"))
    }
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")


def _cache_url(broker_url: str) -> str:
    """The cache lives on the Redis database after the broker's (redis://host/3 → cache on db 4),
    so broker keys and cached pages never mix. Say CACHE_URL to put it elsewhere."""
    base, _, last = broker_url.rstrip("/").rpartition("/")
    if not last.isdigit():  # redis://host:6379 (no database): the broker is on db 0
        return f"{broker_url.rstrip('/')}/1"
    if int(last) >= 15:
        raise ImproperlyConfigured(
            f"REDIS_URL uses Redis database {last}; set CACHE_URL (the cache takes the next database)."
        )
    return f"{base}/{int(last) + 1}"


if REDIS_URL:
    CACHES = {
        "default": {
            # Falls back to process memory while Redis is unreachable (core/cache.py).
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": env.str("CACHE_URL", default="") or _cache_url(REDIS_URL),
            "KEY_PREFIX": "goodday",
        }
    }
else:
    # One cache for every process on the machine (runserver, the worker, `manage.py …`), so an
    # invalidation reaches them all. Files rather than the database: cached pages and rate-limit
    # counters then never compete with payments for SQLite's single writer.
    CACHES = {
        "default": {
            # Django's file cache with atomic add/incr, so rate limits hold (core/filecache.py).
            "BACKEND": "core.filecache.AtomicFileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": "goodday",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# A message a worker took but never acknowledged (the worker died) goes back to the queue: on Redis
# after the visibility timeout (the file broker puts a dead worker's messages back when a worker
# starts, or within a minute: core/filebroker.py). The timeout is longer than the longest job (a
# 200,000-row import, a card batch: minutes), or a slow job would be started twice. Jobs that stop making progress are noticed sooner by the beat
# task (core/jobs.py): running with no heartbeat for JOB_STALLED_SECONDS, or queued and not started
# for JOB_QUEUED_SECONDS, they are marked failed with a "try again".
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("JOB_VISIBILITY_TIMEOUT", default=7200)}
JOB_STALLED_SECONDS = env.int("JOB_STALLED_SECONDS", default=900)
JOB_QUEUED_SECONDS = env.int("JOB_QUEUED_SECONDS", default=3600)

# Without Redis, a broker in plain files under VAR_DIR: `make run` starts a worker (with beat) on
# it, no server needed. Other processes keep running tasks eagerly unless told otherwise.
# "filesystem://" is served by core/filebroker.py (config/celery.py): files written whole, a taken
# message kept on disk until acknowledged, one that cannot be decoded kept in broker/queue/failed/.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _BROKER_DIR = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "data_folder_in": str(_BROKER_DIR / "queue"),
            "data_folder_out": str(_BROKER_DIR / "queue"),
            "control_folder": str(_BROKER_DIR / "control"),
        }
    )
    for _folder in ("queue", "control"):
        # Tolerant: a process that never queues (a read-only image's one-off command) still starts.
        with contextlib.suppress(OSError):
            (_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Nothing reads a task's return value (progress lives in the database), so none is stored: no
# result keys piling up in Redis and no result subscription on every task sent from a request.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Taipei"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # The month before is reported on the 1st (Taiwan time).
    "build-last-month-disclosure": {
        "task": "disclosure.tasks.build_previous_month_report",
        "schedule": crontab(day_of_month="1", hour="2", minute="0"),
    },
    "expire-overdue-payment-vouchers": {
        "task": "donations.tasks.expire_overdue_vouchers",
        "schedule": crontab(minute="*/30"),
    },
    "mark-stalled-jobs": {"task": "core.tasks.mark_stalled_jobs", "schedule": crontab(minute="*/5")},
    "honor-card-expiry-reminders": {
        "task": "honorcards.tasks.send_expiry_reminders",
        "schedule": crontab(hour="8", minute="0"),
    },
    # Opportunities past their last day are recorded as closed (the board hides them by date anyway).
    "close-past-opportunities": {
        "task": "opportunities.tasks.close_past_opportunities",
        "schedule": crontab(hour="0", minute="10"),
    },
    # Applications still undecided when their opportunity has ended are declined (e-mailed once).
    "decline-undecided-applications": {
        "task": "opportunities.tasks.decline_undecided_applications",
        "schedule": crontab(hour="0", minute="20"),
    },
    # Accepted volunteers are reminded of a shift within a day of it (once per sign-up).
    "opportunity-shift-reminders": {
        "task": "opportunities.tasks.send_shift_reminders",
        "schedule": crontab(minute="*/15"),
    },
    # The city's volunteer statistics, computed ahead (seconds at Taipei's size; cached 15 minutes).
    "refresh-volunteer-statistics": {
        "task": "volunteers.tasks.refresh_city_statistics",
        "schedule": crontab(minute="*/10"),
    },
    # Personal data past its retention period (README, "Privacy and retention") is anonymised.
    "anonymise-expired-personal-data": {
        "task": "privacy.tasks.anonymise_expired_personal_data",
        "schedule": crontab(hour="3", minute="30"),
    },
}

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = (
    "[好日子] "  # worded per language by accounts.adapters (core.notify.subject_line)
)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Rate limits: allauth's own defaults, on because ACCOUNT_RATE_LIMITS is left unset (never set it to
# False): failed logins 10/min per address and 5 per 5 min per account, sign-ups, resets, codes.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"  # the donor's name and receipt details
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "好日子 Goodday"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (favicon.ico, apple-touch-icon.png), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "public"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Personal documents (record-book pages, ID photos, receipts) live apart from public media
# and are only ever served through views that check permissions.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
GOODDAY_BENCH = env.bool("GOODDAY_BENCH", default=False)
# The surge benchmark's Server-Timing header (core/servertiming.py): only its own gunicorn sets it,
# so the public pages' benchmark measures the stack as deployed.
GOODDAY_SERVER_TIMING = env.bool("GOODDAY_SERVER_TIMING", default=False)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Mail -----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="好日子 Goodday <noreply@goodday.example.gov.tw>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -------------------------------------------------------------------------------
# TLS ends at the proxy in front of us; it tells us the scheme in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Proxies in front of the portal that append to X-Forwarded-For: 0 when clients talk to us directly
# (`make run`), 1 behind compose's nginx. Rate limits key on the address the first of them saw
# (core/ratelimit.py); anything a client writes into the header itself is ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# /healthz tells anonymous callers only up or down; a monitor sending this token (Authorization:
# Bearer …) and signed-in site admins see each check and why it failed.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")
# Sessions in the database (a Redis restart signs nobody out), a new one inserted without first
# asking whether its random key is taken (core/sessions.py).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

ECPAY_CHECKOUT_HOSTS = ["https://payment.ecpay.com.tw", "https://payment-stage.ecpay.com.tw"]
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https://*.tile.openstreetmap.org", "https://tile.openstreetmap.org"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *ECPAY_CHECKOUT_HOSTS],
    }
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "600/min"},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "好日子 Goodday API",
    "DESCRIPTION": "Open data of the city's donation disclosure and the volunteer units' API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "LICENSE": {"name": "政府資料開放授權條款－第1版 (Open Government Data License, version 1.0)"},
    # The documentation UI from our own static files: the CSP allows no CDN (nor may an intranet reach one).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Domain settings ------------------------------------------------------------------------
ISSUING_AUTHORITY = env.str("ISSUING_AUTHORITY", default="臺北市政府社會局")
CITY_NAME = env.str("CITY_NAME", default="臺北市")
# Keys for personal identifiers at rest: see "Production operations" below.

# --- programs settings ----------------------------------------------------------------------

# --- donations settings ---------------------------------------------------------------------
# ECPay credentials; with none set, ECPay's published test merchant (payments go to its stage site,
# or to our local sandbox gateway when DEBUG is on). An empty variable counts as unset.
ECPAY_MERCHANT_ID = env.str("ECPAY_MERCHANT_ID", default="") or "3002607"
ECPAY_HASH_KEY = env.str("ECPAY_HASH_KEY", default="") or "pwFHCqoQZGmho4w6"
ECPAY_HASH_IV = env.str("ECPAY_HASH_IV", default="") or "EkRm7iFT261dpevs"
# A staging site may run with DEBUG off on ECPay's test merchant and stage site; it says so here.
ECPAY_STAGING_SITE = env.bool("ECPAY_STAGING_SITE", default=False)
# ECPay's addresses: its stage site in development and on a staging site, its production site otherwise.
_ECPAY_HOST = (
    "https://payment-stage.ecpay.com.tw" if DEBUG or ECPAY_STAGING_SITE else "https://payment.ecpay.com.tw"
)
ECPAY_CHECKOUT_URL = env.str("ECPAY_CHECKOUT_URL", default="") or f"{_ECPAY_HOST}/Cashier/AioCheckOut/V5"
ECPAY_QUERY_URL = env.str("ECPAY_QUERY_URL", default="") or f"{_ECPAY_HOST}/Cashier/QueryTradeInfo/V5"
ECPAY_PERIOD_ACTION_URL = (
    env.str("ECPAY_PERIOD_ACTION_URL", default="") or f"{_ECPAY_HOST}/Cashier/CreditCardPeriodAction"
)
# The local sandbox plays ECPay's part: on by default in development with the test merchant.
ECPAY_SANDBOX = env.bool("ECPAY_SANDBOX", default=DEBUG and ECPAY_MERCHANT_ID == "3002607")
# Production never runs on credentials ECPay publishes for testing: anyone could sign a "paid"
# notification with them (donations/ecpay_test_credentials.py lists what counts as a test setup).
if not DEBUG and not ECPAY_STAGING_SITE:
    from donations.ecpay_test_credentials import problems_with_test_setup

    _ecpay_problems = problems_with_test_setup(
        merchant_id=ECPAY_MERCHANT_ID,
        hash_key=ECPAY_HASH_KEY,
        hash_iv=ECPAY_HASH_IV,
        urls=[ECPAY_CHECKOUT_URL, ECPAY_QUERY_URL, ECPAY_PERIOD_ACTION_URL],
        sandbox=ECPAY_SANDBOX,
    )
    if _ecpay_problems:
        raise ImproperlyConfigured(
            "With DJANGO_DEBUG=0 the portal needs ECPay's production credentials (ECPAY_MERCHANT_ID, "
            "ECPAY_HASH_KEY, ECPAY_HASH_IV and production URLs), or ECPAY_STAGING_SITE=1 on a staging "
            "site: " + "; ".join(_ecpay_problems)
        )
RECEIPT_LEGAL_BASIS = env.str(
    "RECEIPT_LEGAL_BASIS", default="所得稅法第17條第1項第2款第2目之1、第36條第1款（對政府之捐贈）"
)

# --- disclosure settings --------------------------------------------------------------------

# --- volunteers settings --------------------------------------------------------------------
# The units' API (/api/v1/volunteers/…, service-records/bulk/): requests per key (or officer).
VOLUNTEER_API_THROTTLE_RATE = env.str("VOLUNTEER_API_THROTTLE_RATE", default="600/min")
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})["ServiceDomainEnum"] = (
    "volunteers.models.ServiceDomain"
)
# Event sign-in proves presence: the venue's code changes every EVENT_CODE_PERIOD_SECONDS (the
# previous one still works for EVENT_CODE_GRACE_SECONDS), and sign-in opens
# EVENT_SIGN_IN_OPENS_MINUTES before a shift and closes at its end.
EVENT_CODE_PERIOD_SECONDS = env.int("EVENT_CODE_PERIOD_SECONDS", default=60)
EVENT_CODE_GRACE_SECONDS = env.int("EVENT_CODE_GRACE_SECONDS", default=30)
EVENT_SIGN_IN_OPENS_MINUTES = env.int("EVENT_SIGN_IN_OPENS_MINUTES", default=30)

# --- honorcards settings --------------------------------------------------------------------
HONOR_CARD_VALID_YEARS = env.int("HONOR_CARD_VALID_YEARS", default=3)
HONOR_CARD_MIN_YEARS = env.int("HONOR_CARD_MIN_YEARS", default=3)
HONOR_CARD_MIN_HOURS = env.int("HONOR_CARD_MIN_HOURS", default=300)
HONOR_CARD_RECENT_SERVICE_MONTHS = env.int("HONOR_CARD_RECENT_SERVICE_MONTHS", default=6)
# 衛福部: hours in a service domain count only after the volunteer's special training in that domain.
HONOR_CARD_REQUIRE_SPECIAL_TRAINING = env.bool("HONOR_CARD_REQUIRE_SPECIAL_TRAINING", default=True)
HONOR_CARD_ISSUING_AUTHORITY = env.str("HONOR_CARD_ISSUING_AUTHORITY", default=ISSUING_AUTHORITY)
HONOR_CARD_WATERMARK = env.str("HONOR_CARD_WATERMARK", default=f"{CITY_NAME}政府")
# Ed25519 private key that signs the QR tokens: 32 random bytes, base64 (urlsafe or standard), e.g.
# `python -c "import os,base64;print(base64.b64encode(os.urandom(32)).decode())"`. Required when
# DJANGO_DEBUG=0 (the portal refuses to start without it); keep it stable, changing it invalidates
# every printed card's QR code. In DEBUG it is derived from SECRET_KEY so
# development works with nothing set.
HONOR_CARD_SIGNING_KEY = env.str("HONOR_CARD_SIGNING_KEY", default="")
HONOR_CARD_SIGNING_KEY_REQUIRED = not DEBUG
if HONOR_CARD_SIGNING_KEY_REQUIRED and not HONOR_CARD_SIGNING_KEY:
    raise ImproperlyConfigured("HONOR_CARD_SIGNING_KEY must be set when DJANGO_DEBUG=0.")
# Public check page: requests per minute per client address (0 turns the limit off).
HONOR_CARD_CHECK_RATE_PER_MINUTE = env.int(
    "HONOR_CARD_CHECK_RATE_PER_MINUTE", default=0 if GOODDAY_BENCH else 30
)

# --- dashboard settings ---------------------------------------------------------------------
# How long the public dashboard's figures (and its cached pages) may be old; the page shows their time.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_ids": {"()": "core.logging.RedactIdentifiersFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # JSON lines in production (for the log collector), readable lines in development.
            "formatter": env.str("LOG_FORMAT", default="plain" if DEBUG else "json"),
            "filters": ["redact_ids"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

MESSAGE_TAGS_LABELS = {"success": _("成功"), "error": _("錯誤"), "warning": _("注意"), "info": _("訊息")}


# === Production operations (issue 24): keys, broker, backups, metrics, error reports ===========
# Kept together so an operator finds them in one place (README, "Production shape").

# Old secret keys still accepted for sessions, password-reset links and signed values while
# DJANGO_SECRET_KEY is rotated (newest key in DJANGO_SECRET_KEY, the previous ones here).
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])

# Keys for personal identifiers at rest (core/crypto.py). FIELD_ENCRYPTION_KEYS: Fernet keys, newest
# first (new values are encrypted with the first; all are tried to read). FIELD_HASH_KEYS: HMAC keys
# for the lookup hashes, newest first (stored hashes use the first; lookups try all while
# `manage.py rotate_field_keys` re-hashes); FIELD_HASH_KEY is the one-key spelling. Development
# derives both from SECRET_KEY; production refuses to start without them, because rotating the
# secret key would otherwise make every stored ID number unreadable and every lookup fail.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
FIELD_HASH_KEY = env.str("FIELD_HASH_KEY", default="")
FIELD_HASH_KEYS = env.list("FIELD_HASH_KEYS", default=[FIELD_HASH_KEY] if FIELD_HASH_KEY else [])
if not DEBUG:
    if not FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be set when DJANGO_DEBUG=0 (a new key: python3 -c "
            '"import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())"; README, "Keys").'
        )
    if not FIELD_HASH_KEYS:
        raise ImproperlyConfigured(
            "FIELD_HASH_KEY (or FIELD_HASH_KEYS) must be set when DJANGO_DEBUG=0 (a new key: python3 -c "
            '"import secrets;print(secrets.token_urlsafe(48))"; README, "Keys").'
        )
    if any(len(key) < 32 for key in FIELD_HASH_KEYS):
        raise ImproperlyConfigured("Each FIELD_HASH_KEYS key must be at least 32 characters.")
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key.encode())
    except ValueError:
        raise ImproperlyConfigured(
            "Each FIELD_ENCRYPTION_KEYS key must be a Fernet key (32 bytes, url-safe base64)."
        ) from None

# The Celery broker: a Redis with append-only persistence of its own in the production shape (a
# restart keeps queued e-mails, imports and card batches), while the cache stays volatile.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=CELERY_BROKER_URL)

# Nightly backup (ops.tasks.nightly_backup, run by beat): scripts/backup.sh into BACKUP_DIR, keeping
# BACKUP_KEEP_DAYS days; a failure is listed for staff with the failed tasks and e-mailed to ADMINS.
BACKUP_DIR = env.str("BACKUP_DIR", default=str(BASE_DIR / "backups"))
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=14)
BACKUP_SCHEDULE_ENABLED = env.bool("BACKUP_SCHEDULE_ENABLED", default=USING_POSTGRES and not DEBUG)
if BACKUP_SCHEDULE_ENABLED:
    CELERY_BEAT_SCHEDULE["nightly-backup"] = {
        "task": "ops.tasks.nightly_backup",
        "schedule": crontab(hour=env.int("BACKUP_HOUR", default=3), minute="15"),
    }
ADMINS = [("", address) for address in env.list("DJANGO_ADMINS", default=[])]

# First: times every request (for /metrics) and gives it the request id nginx sent (X-Request-ID).
MIDDLEWARE.insert(0, "ops.middleware.RequestMetricsMiddleware")
if GOODDAY_SERVER_TIMING:  # what each answer cost the server, for make bench's surge (core/servertiming.py)
    MIDDLEWARE.insert(0, "core.servertiming.ServerTimingMiddleware")
# /metrics: Prometheus text, for staff or a scraper presenting `Authorization: Bearer METRICS_TOKEN`.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Scraped inside the network over plain HTTP: no redirect to HTTPS.
SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^metrics$"]
# Log lines carry the request id; JSON lines as "request_id", plain lines in brackets.
LOGGING["filters"]["request_id"] = {"()": "ops.requestid.RequestIdFilter"}
LOGGING["handlers"]["console"]["filters"].append("request_id")
LOGGING["formatters"]["plain"]["format"] = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

# Error reports to Sentry or a Sentry-compatible service (GlitchTip, …): only with SENTRY_DSN set is
# sentry-sdk imported; personal data is not sent and ID numbers are masked.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from ops.sentry import init_sentry

    init_sentry(SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default="production"))
