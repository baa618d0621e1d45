import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# The embedded default's broker URL stays "filesystem://" (settings, /healthz, the tests): kombu
# resolves it through this alias, here to our transport that never loses a message to a half-written
# file (core/filebroker.py). Every process that talks to the broker (runserver, the worker, `manage.py`,
# the tests) imports this module first: config/__init__.py loads it.
TRANSPORT_ALIASES["filesystem"] = "core.filebroker:Transport"

app = Celery("goodday")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
