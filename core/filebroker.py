"""The embedded default's Celery broker (no REDIS_URL): kombu's filesystem transport, made safe for
the web process and the worker writing and reading the same folders at once, and for a worker that
dies while it holds a message.

kombu's own transport (5.7) loses jobs under load:
- ``_put`` creates the message file under its final name and only then writes it, so a consumer can
  take it while still empty; ``_get`` removes the file *before* decoding it, so the JSON error that
  follows loses the message for good.
- ``_queue_bind`` truncates the exchange table before locking it, so a reader can find it empty.
- a message taken but not yet acknowledged (``acks_late``: until the task has finished) lives only
  in the worker's memory (kombu's QoS): a worker killed outright (kill -9, out of memory, power)
  takes it with it. Redis gives it to another worker after the visibility timeout.

Here every file (message or exchange table) is written under a name no reader looks at (``….tmp``),
flushed to disk, then renamed to its final name (``os.replace``: atomic on POSIX), so a reader sees
the whole file or none of it. A message is claimed by renaming it to ``<name>.<pid>.claimed`` (one
consumer wins) and decoded; one that does not decode is moved to a ``failed`` folder and logged,
never dropped. The claimed file stays on disk until the message is settled:
- acknowledged (``basic_ack``): the file is removed (or moved to ``processed_folder`` with
  ``store_processed``);
- rejected without requeue: removed; rejected with requeue, or put back by kombu at a normal
  shutdown (``QoS.restore_unacked`` → ``_restore``): kombu writes it again as a new file, and the
  claim is removed once that file is written, so it is delivered once more, not twice;
- taken by a consumer with ``no_ack`` (Celery's control messages): removed when delivered.
A consumer, on its first ``_get`` and then every ``dead_claims_check_interval`` seconds (transport
option, default 60), renames back to their queue name the claims of processes that are gone
(``os.kill(pid, 0)`` says no such process, or /proc says a zombie; or this process's own pid on a
claim it does not hold: a restarted worker given the same pid), so another worker is given them. Claims of live processes
are left alone. The pid check holds for consumers on one machine (one pid namespace), which is the
embedded default's shape.
The same check removes the ``….tmp`` files of writers that died mid-write (older than ten minutes;
a write takes milliseconds).

This is at-least-once delivery: a worker killed after its task did its work but before the
acknowledgement, or between the requeued copy being written and the claim removed, has that message
delivered again. Jobs are written to be safe to run twice (docs/architecture.md, "How a job
flows"); an e-mail may then go out twice, which is better than never.

The URL stays ``filesystem://``: config/celery.py points kombu's alias at this class.
"""

import logging
import os
import threading
import uuid
from time import monotonic, time

from kombu.transport import filesystem
from kombu.transport.filesystem import LOCK_EX, exchange_queue_t, lock, unlock
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"  # a name ending in .tmp never matches a queue's "<queue>.msg"
CLAIMED_SUFFIX = ".claimed"  # neither does a message a consumer has taken
DEAD_CLAIMS_CHECK_INTERVAL = 60  # seconds
# A write takes milliseconds: a temporary file this old was left by a writer that died mid-write.
ABANDONED_TEMP_SECONDS = 600


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


def process_is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's
        pass
    try:  # a zombie (dead, not yet reaped by its parent) still answers the signal
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rpartition(b")")[2].split()[0] == b"Z"
    except (OSError, IndexError):  # no /proc (not Linux), or reaped meanwhile: asked again later
        return False


def tag_of(message):
    """The tag kombu gave a message when it was published (``properties['delivery_tag']``); it
    acknowledges or rejects the message by it. None for a payload that is not kombu's."""
    properties = message.get("properties") if isinstance(message, dict) else None
    return properties.get("delivery_tag") if isinstance(properties, dict) else None


class Claims:
    """The claimed files this process holds, by delivery tag: one registry for the whole process,
    whatever the connection or channel (a Celery worker has several, and one channel may reject a
    message another took). A tag is listed with every file claimed under it, oldest first (a message
    fanned out to two queues carries one tag; a requeued message keeps its tag)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._paths: set[str] = set()
        self._by_tag: dict[str, list[str]] = {}

    def taking(self, path: str) -> None:  # before the rename: a check in this process never sees it unheld
        with self._lock:
            self._paths.add(path)

    def dropped(self, path: str) -> None:
        with self._lock:
            self._paths.discard(path)

    def taken(self, tag: str, path: str) -> None:
        with self._lock:
            self._by_tag.setdefault(tag, []).append(path)

    def settle(self, tag) -> str | None:
        """The file to remove for the message under ``tag`` (still held until ``dropped``, once it
        is removed); None when none is held."""
        with self._lock:
            paths = self._by_tag.get(tag)
            if not paths:
                return None
            path = paths.pop(0)
            if not paths:
                del self._by_tag[tag]
            return path

    def holds(self, path: str) -> bool:
        with self._lock:
            return path in self._paths


claims = Claims()


class Channel(filesystem.Channel):
    _next_claims_check = 0.0  # the first _get looks for claims of dead consumers

    def _put(self, queue, payload, **kwargs):
        # kombu's name (time-ordered, unique), written whole before it appears under that name.
        filename = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        try:
            write_atomically(os.path.join(self.data_folder_out, filename), str_to_bytes(dumps(payload)))
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot add file {filename!r} to directory") from exc

    def _get(self, queue):
        if monotonic() >= self._next_claims_check:
            self.put_back_claims_of_dead_consumers()
            self.remove_abandoned_temporary_files()
            interval = self.transport_options.get("dead_claims_check_interval", DEAD_CLAIMS_CHECK_INTERVAL)
            self._next_claims_check = monotonic() + interval
        wanted = f"{queue}.msg"
        for filename in sorted(os.listdir(self.data_folder_in)):
            if filename.partition(".")[2] != wanted:
                continue
            path = os.path.join(self.data_folder_in, filename)
            claimed = f"{path}.{os.getpid()}{CLAIMED_SUFFIX}"
            claims.taking(claimed)
            try:
                os.rename(path, claimed)  # atomic: of two consumers, one gets it
            except FileNotFoundError:
                claims.dropped(claimed)
                continue  # another consumer took it first
            try:
                message = self._decode(claimed)
            except filesystem.ChannelError:
                claims.dropped(claimed)  # unread, still on disk: put back by the next check
                raise
            if message is None:
                claims.dropped(claimed)
                continue
            tag = tag_of(message)
            if tag is None:  # not kombu's (no tag to acknowledge it by): taken for good
                self._finish(claimed)
            else:
                claims.taken(tag, claimed)
            return message
        raise filesystem.Empty()

    def _decode(self, claimed: str):
        """The message in the claimed file; None (the file moved aside to the failed folder) when it
        does not decode."""
        try:
            with open(claimed, "rb") as f:
                return loads(bytes_to_str(f.read()))
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot read file {claimed!r} from queue.") from exc
        except ValueError:  # JSONDecodeError, UnicodeDecodeError
            os.makedirs(self.failed_folder, exist_ok=True)
            aside = os.path.join(self.failed_folder, os.path.basename(claimed))
            os.replace(claimed, aside)
            logger.error("File broker: a message that cannot be decoded was moved to %s", aside)
            return None

    # --- Settling a claim: the message's file leaves the disk only when kombu is done with it ---
    def basic_consume(self, queue, no_ack, callback, consumer_tag, **kwargs):
        result = super().basic_consume(queue, no_ack, callback, consumer_tag, **kwargs)
        if no_ack:  # nothing will acknowledge what this consumer is given
            deliver = self.connection._callbacks[queue]

            def settle_then_deliver(raw_message):
                self._settle(tag_of(raw_message))
                return deliver(raw_message)

            self.connection._callbacks[queue] = settle_then_deliver
        return result

    def basic_get(self, queue, no_ack=False, **kwargs):
        message = super().basic_get(queue, no_ack=no_ack, **kwargs)
        if message is not None and no_ack:
            self._settle(message.delivery_tag)
        return message

    def basic_ack(self, delivery_tag, multiple=False):
        super().basic_ack(delivery_tag, multiple=multiple)
        self._settle(delivery_tag, done=True)

    def basic_reject(self, delivery_tag, requeue=False):
        # With requeue, kombu writes the message again (_restore) and that settles the claim.
        super().basic_reject(delivery_tag, requeue=requeue)
        if not requeue:
            self._settle(delivery_tag)

    def _restore(self, message):
        # Rejected with requeue, or unacknowledged at a normal shutdown: written again as a new file,
        # then the old claim goes (if writing fails, the claim stays, to be put back after us).
        super()._restore(message)
        self._settle(message.delivery_tag)

    def _settle(self, tag, done=False) -> None:
        claimed = claims.settle(tag)
        if claimed is not None:
            self._finish(claimed, done=done)

    def _finish(self, claimed: str, done: bool = True) -> None:
        try:
            if done and self.store_processed:
                os.replace(claimed, os.path.join(self.processed_folder, os.path.basename(claimed)))
            else:
                os.remove(claimed)
        except FileNotFoundError:
            pass
        finally:
            claims.dropped(claimed)  # only now: until gone, no check in this process puts it back

    def put_back_claims_of_dead_consumers(self) -> int:
        """Rename back to their queue name the messages claimed by processes that are gone, so that
        a consumer is given them again; returns how many."""
        folder = self.data_folder_in
        put_back = 0
        for filename in os.listdir(folder):
            original, _, pid = filename.removesuffix(CLAIMED_SUFFIX).rpartition(".")
            if not filename.endswith(CLAIMED_SUFFIX) or not pid.isdigit() or not original.endswith(".msg"):
                continue
            claimed = os.path.join(folder, filename)
            if int(pid) == os.getpid():
                if claims.holds(claimed):
                    continue
            elif not process_is_gone(int(pid)):
                continue
            try:
                os.rename(claimed, os.path.join(folder, original))
            except FileNotFoundError:
                continue  # another consumer put it back first
            put_back += 1
            logger.warning(
                "File broker: %s was taken by process %s, gone before acknowledging it; put back to be "
                "delivered again",
                original,
                pid,
            )
        return put_back

    def remove_abandoned_temporary_files(self) -> int:
        """Remove the ``….tmp`` files of writers that died mid-write (older than
        ABANDONED_TEMP_SECONDS); one being written now is left alone. Returns how many."""
        removed = 0
        for folder in {self.data_folder_in, os.fspath(self.control_folder)}:
            try:
                names = [n for n in os.listdir(folder) if n.endswith(TEMP_SUFFIX)]
            except FileNotFoundError:
                continue
            for name in names:
                path = os.path.join(folder, name)
                try:
                    if time() - os.stat(path).st_mtime > ABANDONED_TEMP_SECONDS:
                        os.remove(path)
                        removed += 1
                except FileNotFoundError:
                    continue  # renamed by its writer, or removed by another consumer
        if removed:
            logger.warning("File broker: removed %s temporary file(s) left by writers that died", removed)
        return removed

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
