"""The embedded default's cache (no REDIS_URL): files under VAR_DIR, one cache for every process on
the machine (runserver's threads, the worker, `manage.py …`).

Django's file cache counts by reading a value and writing it back, so parallel requests lose each
other's increments and slip past the rate limits (core/ratelimit.py counts with `add` + `incr`).
Here `add` and `incr` run under one exclusive lock on a file beside the entries (flock: it holds
across processes and threads alike), as Redis's INCR is atomic; `incr` keeps the counter's expiry
where Django's would reset it to the default timeout.
"""

import fcntl
import os
import pickle
import tempfile
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files.move import file_move_safe

LOCK_NAME = ".counters.lock"  # not a ".djcache" file: clear() and culling leave it alone


class AtomicFileBasedCache(FileBasedCache):
    @contextmanager
    def _counter_lock(self):
        self._createdir()
        with open(os.path.join(self._dir, LOCK_NAME), "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._counter_lock():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        fname = self._key_to_file(key, version)
        with self._counter_lock():
            try:
                # The cache's own files, read as Django's FileBasedCache.get reads them.
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)  # noqa: S301
                    if expiry is not None and expiry < time.time():
                        raise ValueError(f"Key '{key}' not found")
                    value = pickle.loads(zlib.decompress(f.read()))  # noqa: S301
            except FileNotFoundError:
                raise ValueError(f"Key '{key}' not found") from None
            new_value = value + delta
            fd, tmp_path = tempfile.mkstemp(dir=self._dir)
            try:
                with open(fd, "wb") as f:
                    f.write(pickle.dumps(expiry, self.pickle_protocol))
                    f.write(zlib.compress(pickle.dumps(new_value, self.pickle_protocol)))
                file_move_safe(tmp_path, fname, allow_overwrite=True)
            except BaseException:
                if os.path.exists(tmp_path):
                    os.remove(tmp_path)
                raise
            return new_value
