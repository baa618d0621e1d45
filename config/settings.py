"""Goodday settings.

Everything an operator changes comes from the environment (see README, "Settings").
With nothing set the project runs on an embedded default: SQLite, Celery tasks run
eagerly in-process, mail printed to the console.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
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
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
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
    "csp",
    "core",
    "accounts",
    "audit",
    "programs",
    "donations",
    "volunteers",
    "honorcards",
    "disclosure",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
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

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's own psycopg 3 connection pool; persistent connections must then stay off.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=1),
        "max_size": env.int("DATABASE_POOL_MAX", default=10),
        "timeout": 10,
    }
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")


def _redis_db(url: str, db: int) -> str:
    """The same Redis server on another logical database (broker and cache kept apart)."""
    base, _, last = url.rpartition("/")
    return f"{base}/{db}" if last.isdigit() else f"{url.rstrip('/')}/{db}"


if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("CACHE_URL", default=_redis_db(REDIS_URL, 1)),
            "KEY_PREFIX": "goodday",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
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
    "honor-card-expiry-reminders": {
        "task": "honorcards.tasks.send_expiry_reminders",
        "schedule": crontab(hour="8", minute="0"),
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
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[好日子] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS_ENABLED = True  # allauth's defaults: failed logins, signups, resets per IP and key
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
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
}
SPECTACULAR_SETTINGS = {
    "TITLE": "好日子 Goodday API",
    "DESCRIPTION": "Open data of the city's donation disclosure and the volunteer units' API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "LICENSE": {"name": "政府資料開放授權條款－第1版 (Open Government Data License, version 1.0)"},
}

# --- Domain settings ------------------------------------------------------------------------
ISSUING_AUTHORITY = env.str("ISSUING_AUTHORITY", default="臺北市政府社會局")
CITY_NAME = env.str("CITY_NAME", default="臺北市")
# Keys for personal identifiers at rest (Fernet keys, newest first); default: derived from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
FIELD_HASH_KEY = env.str("FIELD_HASH_KEY", default="")

# --- programs settings ----------------------------------------------------------------------

# --- donations settings ---------------------------------------------------------------------
# ECPay credentials; with none set, ECPay's published test merchant (payments go to its stage site,
# or to our local sandbox gateway when DEBUG is on).
ECPAY_MERCHANT_ID = env.str("ECPAY_MERCHANT_ID", default="3002607")
ECPAY_HASH_KEY = env.str("ECPAY_HASH_KEY", default="pwFHCqoQZGmho4w6")
ECPAY_HASH_IV = env.str("ECPAY_HASH_IV", default="EkRm7iFT261dpevs")
ECPAY_CHECKOUT_URL = env.str(
    "ECPAY_CHECKOUT_URL", default="https://payment-stage.ecpay.com.tw/Cashier/AioCheckOut/V5"
)
ECPAY_QUERY_URL = env.str(
    "ECPAY_QUERY_URL", default="https://payment-stage.ecpay.com.tw/Cashier/QueryTradeInfo/V5"
)
ECPAY_PERIOD_ACTION_URL = env.str(
    "ECPAY_PERIOD_ACTION_URL", default="https://payment-stage.ecpay.com.tw/Cashier/CreditCardPeriodAction"
)
# The local sandbox plays ECPay's part: on by default in development with the test merchant.
ECPAY_SANDBOX = env.bool("ECPAY_SANDBOX", default=DEBUG and ECPAY_MERCHANT_ID == "3002607")
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
