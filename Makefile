# Goodday: `make run` for a demo on this machine, `make test` for the test suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install install-test run test lint format bench worker migrate messages backup restore check-deploy

$(STAMP): pyproject.toml scripts/system-deps.sh
	./scripts/system-deps.sh
	test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q ".[dev]"
	touch $(STAMP)

install: $(STAMP)

install-test: install
	./scripts/system-deps.sh --test

migrate: install
	PORT=$(PORT) $(PY) manage.py migrate --noinput

# The portal and, beside it, a Celery worker with beat on the file broker (see config/settings.py):
# scheduled jobs run and long jobs run in the background, with no other service. Ctrl-C stops both.
run: install migrate
	PORT=$(PORT) $(PY) manage.py seed_demo
	export PORT=$(PORT) CELERY_TASK_ALWAYS_EAGER=0; \
	$(VENV)/bin/celery -A config worker --beat --loglevel INFO --concurrency 2 --without-gossip --without-mingle & \
	worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-test
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))')} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-goodday.example.gov.tw} \
	HONOR_CARD_SIGNING_KEY=$${HONOR_CARD_SIGNING_KEY:-$$($(PY) -c 'import base64,os;print(base64.b64encode(os.urandom(32)).decode())')} \
	FIELD_ENCRYPTION_KEYS=$${FIELD_ENCRYPTION_KEYS:-$$($(PY) -c 'from cryptography.fernet import Fernet;print(Fernet.generate_key().decode())')} \
	FIELD_HASH_KEY=$${FIELD_HASH_KEY:-$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(48))')} \
	ECPAY_MERCHANT_ID=$${ECPAY_MERCHANT_ID:-1000001} \
	ECPAY_HASH_KEY=$${ECPAY_HASH_KEY:-$$($(PY) -c 'import secrets;print(secrets.token_hex(8))')} \
	ECPAY_HASH_IV=$${ECPAY_HASH_IV:-$$($(PY) -c 'import secrets;print(secrets.token_hex(8))')} \
	$(PY) manage.py check --deploy --fail-level WARNING

bench: install-test
	$(PY) -m bench $(if $(BENCH_SCALE),--scale $(BENCH_SCALE),) $(if $(BENCH_ONLY),--only $(BENCH_ONLY),)

worker: install
	$(VENV)/bin/celery -A config worker --beat --loglevel INFO --concurrency 2

messages: install
	cd $(CURDIR) && $(PY) manage.py compilemessages --ignore=.venv

backup:
	./scripts/backup.sh

restore:
	./scripts/restore.sh $(BACKUP)
