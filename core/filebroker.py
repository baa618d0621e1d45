"""The embedded default's Celery broker (no REDIS_URL): kombu's filesystem transport, made safe for
the web process and the worker writing and reading the same folders at once.

kombu's own transport (5.7) loses jobs under load:
- ``_put`` creates the message file under its final name and only then writes it, so a consumer can
  take it while still empty; ``_get`` removes the file *before* decoding it, so the JSON error that
  follows loses the message for good.
- ``_queue_bind`` truncates the exchange table before locking it, so a reader can find it empty.

Here every file (message or exchange table) is written under a name no reader looks at (``….tmp``),
flushed to disk, then renamed to its final name (``os.replace``: atomic on POSIX), so a reader sees
the whole file or none of it. A message is claimed by renaming it (one consumer wins), decoded,
and only then removed; one that does not decode is moved to a ``failed`` folder and logged, never
dropped. The URL stays ``filesystem://``: config/celery.py points kombu's alias at this class.
"""

import logging
import os
import uuid
from time import monotonic

from kombu.transport import filesystem
from kombu.transport.filesystem import LOCK_EX, exchange_queue_t, lock, unlock
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"  # a name ending in .tmp never matches a queue's "<queue>.msg"
CLAIMED_SUFFIX = ".claimed"  # neither does a message a consumer has taken


def write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` so that no reader ever sees the file half-written."""
    temporary = f"{path}.{uuid.uuid4().hex}{TEMP_SUFFIX}"
    try:
        with open(temporary, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        # kombu's name (time-ordered, unique), written whole before it appears under that name.
        filename = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        try:
            write_atomically(os.path.join(self.data_folder_out, filename), str_to_bytes(dumps(payload)))
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot add file {filename!r} to directory") from exc

    def _get(self, queue):
        wanted = f"{queue}.msg"
        for filename in sorted(os.listdir(self.data_folder_in)):
            if filename.partition(".")[2] != wanted:
                continue
            path = os.path.join(self.data_folder_in, filename)
            claimed = f"{path}.{os.getpid()}{CLAIMED_SUFFIX}"
            try:
                os.rename(path, claimed)  # atomic: of two consumers, one gets it
            except FileNotFoundError:
                continue  # another consumer took it first
            message = self._decode(claimed)
            if message is not None:
                return message
        raise filesystem.Empty()

    def _decode(self, claimed: str):
        """The message in the claimed file, which is removed only once decoded; None (the file moved
        aside to the failed folder) when it does not decode."""
        try:
            with open(claimed, "rb") as f:
                message = loads(bytes_to_str(f.read()))
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot read file {claimed!r} from queue.") from exc
        except ValueError:  # JSONDecodeError, UnicodeDecodeError
            os.makedirs(self.failed_folder, exist_ok=True)
            aside = os.path.join(self.failed_folder, os.path.basename(claimed))
            os.replace(claimed, aside)
            logger.error("File broker: a message that cannot be decoded was moved to %s", aside)
            return None
        if self.store_processed:
            os.replace(claimed, os.path.join(self.processed_folder, os.path.basename(claimed)))
        else:
            os.remove(claimed)
        return message

    @property
    def failed_folder(self) -> str:
        return self.transport_options.get("failed_folder") or os.path.join(self.data_folder_in, "failed")

    # The exchange table: read-modify-write under a lock file of its own (the table's inode changes
    # on every write, so it cannot carry the lock), written whole. kombu's get_table reads it as is.
    def _update_table(self, exchange, change) -> None:
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(exist_ok=True)
        with open(f"{file}.lock", "a+b") as guard:
            lock(guard, LOCK_EX)
            try:
                queues = self.get_table(exchange)
                changed = change(queues)
                if changed is not None:
                    write_atomically(os.fspath(file), str_to_bytes(dumps(changed)))
            finally:
                unlock(guard)

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        entry = exchange_queue_t(routing_key or "", pattern or "", queue or "")
        self._update_table(exchange, lambda queues: None if entry in queues else [entry, *queues])

    def _delete(self, queue, exchange, routing_key, pattern, *args, **kwargs):
        # kombu's own _delete would rewrite the table in place: skip to the virtual channel's.
        super(filesystem.Channel, self)._delete(queue, exchange, routing_key, pattern, *args, **kwargs)
        entry = exchange_queue_t(routing_key or "", pattern or "", queue or "")
        if os.path.exists(self._exchange_file(exchange)):
            self._update_table(
                exchange, lambda queues: [q for q in queues if q != entry] if entry in queues else None
            )


class Transport(filesystem.Transport):
    Channel = Channel
