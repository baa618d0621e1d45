# Production image: Debian's Pango/HarfBuzz and CJK fonts for WeasyPrint, the app under gunicorn.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
       fonts-noto-cjk gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .
# Placeholder keys: collectstatic needs settings to load, and production settings refuse to load
# without their keys; the real ones come from the environment at run time.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only \
    HONOR_CARD_SIGNING_KEY=YnVpbGQtb25seS1ub3Qtc2VjcmV0LWJ1aWxkLW9ubHk= \
    FIELD_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3Qtc2VjcmV0LWJ1aWxkLW9ubHk= \
    FIELD_HASH_KEY=build-only-not-secret-build-only-not-secret ECPAY_STAGING_SITE=1 \
    python manage.py collectstatic --noinput

# The volumes mounted here start as these folders, so the app's user owns them (backups included).
RUN useradd --system --uid 1000 goodday && mkdir -p /data/media /data/private_media /data/backups \
    && chown -R goodday /data
USER goodday
EXPOSE 8000
CMD ["gunicorn", "--config", "config/gunicorn.py", "config.wsgi:application"]
