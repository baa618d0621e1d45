"""The storage for personal documents (record-book pages, card photos, ID scans, receipts).

Model fields take ``storage=private_storage``: Django resolves such a callable once, when models
load, so it returns a lazy proxy of ``storages["private"]`` that is set up anew whenever the
STORAGES setting changes (as tests do), instead of a storage fixed at import time.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage_backend = PrivateStorage()


def private_storage():
    return private_storage_backend


@receiver(setting_changed)
def _forget_configured_storage(*, setting, **kwargs):
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT"):
        private_storage_backend._wrapped = empty
