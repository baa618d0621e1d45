"""The embedded default's file broker (core/filebroker.py): no message lost or read half-written while
other processes write, none dropped silently when it cannot be decoded, none lost with a consumer
killed before it acknowledged it."""

import json
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from queue import Empty

import pytest
from celery import shared_task
from django.conf import settings as django_settings
from kombu import Connection

from config.celery import app
from core.filebroker import CLAIMED_SUFFIX, Transport

QUEUE = "jobs"


@pytest.fixture
def options(tmp_path):
    folders = {
        "data_folder_in": tmp_path / "queue",
        "data_folder_out": tmp_path / "queue",
        "control_folder": tmp_path / "control",
    }
    for folder in folders.values():
        folder.mkdir(exist_ok=True)
    # kombu remembers bindings per process, not per folder: one made in another test's folder would
    # keep this one's exchange table from being written.
    Transport.global_state.clear()
    return {name: str(folder) for name, folder in folders.items()}


@pytest.fixture
def channel(options):
    with Connection("filesystem://", transport_options=options) as conn:
        yield conn.default_channel


def produce(options, producer, count):
    """A process of its own (the web process beside the worker): declares the queue (binding it in the
    exchange table) and publishes ``count`` messages."""
    with Connection("filesystem://", transport_options=options) as conn:
        queue = conn.SimpleQueue(QUEUE)
        for n in range(count):
            queue.put({"job": f"{producer}-{n}", "padding": "x" * 4096})


def bind(options, producer, count):
    """Binds a queue of its own to each of ``count`` exchanges, racing the other binder to create each
    exchange's table."""
    with Connection("filesystem://", transport_options=options) as conn:
        for n in range(count):
            conn.default_channel._queue_bind(f"fan{n}", "", "", f"q{producer}")


def in_processes(target, options, count, processes=2):
    context = multiprocessing.get_context("fork")  # the children need no Django: kombu alone
    started = [context.Process(target=target, args=(options, p, count)) for p in range(processes)]
    for process in started:
        process.start()
    return started


def test_the_embedded_broker_url_stays_filesystem_and_is_served_by_our_transport(options):
    with app.connection_for_write("filesystem://") as conn:
        assert conn.transport_cls == "filesystem"  # what /healthz looks at
        assert isinstance(conn.transport, Transport)


def test_messages_put_by_two_processes_while_a_consumer_polls_are_all_received_once(options):
    with Connection("filesystem://", transport_options=options) as conn:
        queue = conn.SimpleQueue(QUEUE)
        producers = in_processes(produce, options, 200)
        received = []
        while True:
            finished = not any(p.is_alive() for p in producers)  # before the drain: nothing comes after
            try:
                while True:
                    message = queue.get_nowait()
                    received.append(message.payload["job"])
                    message.ack()
            except Empty:
                if finished:
                    break
        assert [p.exitcode for p in producers] == [0, 0]
    assert sorted(received) == sorted(f"{p}-{n}" for p in range(2) for n in range(200))
    assert not os.listdir(os.path.join(options["data_folder_in"]))  # nothing left, nothing failed


def test_a_message_cannot_be_taken_before_it_is_whole(channel, monkeypatch):
    seen_while_writing = []
    fsync = os.fsync

    def consumer_looks_in(fd):  # the bytes are written, the file not yet under its name
        seen_while_writing.append(channel._size(QUEUE))
        with pytest.raises(Empty):
            channel._get(QUEUE)
        fsync(fd)

    monkeypatch.setattr(os, "fsync", consumer_looks_in)
    channel._put(QUEUE, {"job": 1})
    monkeypatch.undo()
    assert seen_while_writing == [0]
    assert channel._get(QUEUE) == {"job": 1}


def test_a_half_written_temporary_file_is_never_delivered(channel, options):
    partial = os.path.join(options["data_folder_in"], f"1_abc.{QUEUE}.msg.0123abcd.tmp")
    with open(partial, "wb") as f:
        f.write(b'{"body": "hal')
    with pytest.raises(Empty):
        channel._get(QUEUE)
    assert channel._size(QUEUE) == 0
    assert os.path.exists(partial)  # left alone for its writer to finish


def test_a_message_that_cannot_be_decoded_is_moved_aside_and_the_next_one_delivered(channel, options, caplog):
    with open(os.path.join(options["data_folder_in"], f"0_bad.{QUEUE}.msg"), "wb") as f:
        f.write(b'{"body": "trunc')
    channel._put(QUEUE, {"job": "next"})
    with caplog.at_level(logging.ERROR, logger="core.filebroker"):
        assert channel._get(QUEUE) == {"job": "next"}
    failed = os.path.join(options["data_folder_in"], "failed")
    [kept] = os.listdir(failed)
    with open(os.path.join(failed, kept), "rb") as f:
        assert f.read() == b'{"body": "trunc'  # kept as it was, for someone to look at
    assert "cannot be decoded" in caplog.text
    assert os.listdir(options["data_folder_in"]) == ["failed"]


def test_queues_bound_by_two_processes_while_the_tables_are_read_are_all_kept(channel, options):
    binders = in_processes(bind, options, 100)
    n = 0
    while any(p.is_alive() for p in binders):
        channel.get_table(f"fan{n % 100}")  # never an empty or half-written table: it would not decode
        n += 1
    assert [p.exitcode for p in binders] == [0, 0]
    for n in range(100):
        assert sorted(q.queue for q in channel.get_table(f"fan{n}")) == ["q0", "q1"]  # none overwritten


def test_a_table_being_written_is_read_as_it_was_before(channel, monkeypatch):
    seen_while_writing = []
    fsync = os.fsync

    def reader_looks_in(fd):
        seen_while_writing.append([q.queue for q in channel.get_table("fan")])
        fsync(fd)

    monkeypatch.setattr(os, "fsync", reader_looks_in)
    channel._queue_bind("fan", "a", "", "qa")
    channel._queue_bind("fan", "b", "", "qb")
    monkeypatch.undo()
    assert seen_while_writing == [[], ["qa"]]
    assert [q.queue for q in channel.get_table("fan")] == ["qb", "qa"]


def test_an_unbound_queue_leaves_the_exchange_table(channel, options):
    channel._queue_bind("fan", "a", "", "qa")
    channel._queue_bind("fan", "b", "", "qb")
    channel._delete("qa", "fan", "a", "")
    assert [q.queue for q in channel.get_table("fan")] == ["qb"]
    with open(os.path.join(options["control_folder"], "fan.exchange")) as f:
        assert json.load(f) == [["b", "", "qb"]]


# --- A message stays on disk until it is acknowledged -------------------------------------------


def files(options) -> list[str]:
    folder = options["data_folder_in"]
    return sorted(f for f in os.listdir(folder) if os.path.isfile(os.path.join(folder, f)))


def claimed_by(options, pid) -> list[str]:
    return [f for f in files(options) if f.endswith(f".{pid}{CLAIMED_SUFFIX}")]


def take_and_hold(options, pipe):
    """A consumer of its own: takes a message, says which, and holds it unacknowledged until told to
    stop (then shuts down normally) or killed."""
    with Connection("filesystem://", transport_options=options) as conn:
        message = conn.SimpleQueue(QUEUE).get_nowait()
        pipe.send(message.payload["job"])
        pipe.recv()


def consumer_holding_a_message(options):
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    consumer = context.Process(target=take_and_hold, args=(options, theirs))
    consumer.start()
    assert ours.poll(30), "the consumer never took the message"
    assert ours.recv() == "a"
    return consumer, ours


@pytest.mark.parametrize("reaped", [True, False], ids=["reaped", "zombie"])
def test_a_message_taken_by_a_consumer_killed_before_acknowledging_it_is_given_to_the_next(
    options, caplog, reaped
):
    with Connection("filesystem://", transport_options=options) as conn:
        conn.SimpleQueue(QUEUE).put({"job": "a"})
    consumer, _ = consumer_holding_a_message(options)
    assert len(claimed_by(options, consumer.pid)) == 1  # on disk, not only in the consumer's memory
    os.kill(consumer.pid, signal.SIGKILL)  # kill -9: no shutdown, nothing put back by kombu
    if reaped:
        consumer.join()
    else:  # dead, but its parent has not collected it yet: the pid still answers os.kill(pid, 0)
        os.waitid(os.P_PID, consumer.pid, os.WEXITED | os.WNOWAIT)
    with (
        caplog.at_level(logging.WARNING, logger="core.filebroker"),
        Connection("filesystem://", transport_options=options) as conn,
    ):
        message = conn.SimpleQueue(QUEUE).get_nowait()
        assert message.payload == {"job": "a"}
        message.ack()
    consumer.join()
    assert f"taken by process {consumer.pid}" in caplog.text
    assert files(options) == []


def test_a_message_held_by_a_live_consumer_is_not_taken_from_it_and_comes_back_once_when_it_stops(options):
    with Connection("filesystem://", transport_options=options) as conn:
        conn.SimpleQueue(QUEUE).put({"job": "a"})
    consumer, pipe = consumer_holding_a_message(options)
    try:
        with Connection("filesystem://", transport_options=options) as conn, pytest.raises(Empty):
            conn.SimpleQueue(QUEUE).get_nowait()
        assert len(claimed_by(options, consumer.pid)) == 1
    finally:
        pipe.send("stop")  # a normal shutdown: kombu puts the unacknowledged message back
        consumer.join(30)
    assert consumer.exitcode == 0
    [back] = files(options)
    assert back.endswith(f".{QUEUE}.msg")  # written again, the claim gone: not delivered twice
    with Connection("filesystem://", transport_options=options) as conn:
        queue = conn.SimpleQueue(QUEUE)
        message = queue.get_nowait()
        assert message.payload == {"job": "a"}
        message.ack()
        with pytest.raises(Empty):
            queue.get_nowait()


def test_a_taken_message_stays_on_disk_until_acknowledged_then_is_gone(options):
    with Connection("filesystem://", transport_options=options) as conn:
        queue = conn.SimpleQueue(QUEUE)
        queue.put({"job": "a"})
        message = queue.get_nowait()
        assert claimed_by(options, os.getpid()) == files(options) != []
        message.ack()
        assert files(options) == []


def test_a_message_rejected_with_requeue_is_delivered_once_more_and_not_twice(options):
    with Connection("filesystem://", transport_options=options) as conn:
        queue = conn.SimpleQueue(QUEUE)
        queue.put({"job": "a"})
        queue.get_nowait().requeue()
        [again] = files(options)
        assert again.endswith(f".{QUEUE}.msg")
        message = queue.get_nowait()
        assert message.payload == {"job": "a"}
        message.ack()
        with pytest.raises(Empty):
            queue.get_nowait()
    assert files(options) == []


def test_a_message_rejected_without_requeue_is_gone(options):
    with Connection("filesystem://", transport_options=options) as conn:
        queue = conn.SimpleQueue(QUEUE)
        queue.put({"job": "a"})
        queue.get_nowait().reject()
    assert files(options) == []


def test_a_message_consumed_unacknowledged_goes_back_once_when_the_consumer_shuts_down(options):
    with Connection("filesystem://", transport_options=options) as conn:
        queue = conn.SimpleQueue(QUEUE)
        queue.put({"job": "a"})
        assert queue.get(timeout=5).payload == {"job": "a"}  # through basic_consume, as a worker
    [back] = files(options)
    assert back.endswith(f".{QUEUE}.msg")


@pytest.mark.parametrize("how", ["get", "consume"])
def test_a_message_taken_with_no_ack_leaves_nothing_on_disk(options, how):
    with Connection("filesystem://", transport_options=options) as conn:
        queue = conn.SimpleQueue(QUEUE, no_ack=True)  # as Celery's control messages are taken
        queue.put({"job": "a"})
        message = queue.get_nowait() if how == "get" else queue.get(timeout=5)
        assert message.payload == {"job": "a"}
        assert files(options) == []


def test_the_periodic_check_removes_temporary_files_abandoned_by_dead_writers_but_not_fresh_ones(
    channel, options
):
    folder = options["data_folder_in"]
    old = os.path.join(folder, f"1_abc.{QUEUE}.msg.0123abcd.tmp")
    fresh = os.path.join(folder, f"2_def.{QUEUE}.msg.4567cdef.tmp")
    table = os.path.join(options["control_folder"], "celery.exchange.89ab.tmp")
    for path in (old, fresh, table):
        with open(path, "wb") as f:
            f.write(b'{"body": "hal')
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(table, (an_hour_ago, an_hour_ago))
    channel._next_claims_check = 0.0
    with pytest.raises(Empty):
        channel._get(QUEUE)
    assert not os.path.exists(old) and not os.path.exists(table)
    assert os.path.exists(fresh)


def test_a_claim_left_by_an_earlier_process_with_this_process_id_is_put_back(options):
    """A worker restarted in a container is often given the same pid as the one that died."""
    with Connection("filesystem://", transport_options=options) as conn:
        conn.SimpleQueue(QUEUE).put({"job": "a"})
    [name] = files(options)
    folder = options["data_folder_in"]
    os.rename(os.path.join(folder, name), os.path.join(folder, f"{name}.{os.getpid()}{CLAIMED_SUFFIX}"))
    with Connection("filesystem://", transport_options=options) as conn:
        message = conn.SimpleQueue(QUEUE).get_nowait()
        assert message.payload == {"job": "a"}
        message.ack()
    assert files(options) == []


# --- A real Celery worker, killed in the middle of a task ------------------------------------------
ROOT = Path(__file__).resolve().parents[2]


@shared_task(name="tests.filebroker.work_until_let_go")
def work_until_let_go(folder):
    """Says it started (by its pid), waits until the test lets it go, then says it finished."""
    folder = Path(folder)
    (folder / f"started-{os.getpid()}").touch()
    while not (folder / "go").exists():
        time.sleep(0.05)
    (folder / f"finished-{os.getpid()}").touch()


def _wait(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")  # this test's process queues only
def test_a_task_whose_worker_is_killed_is_finished_by_the_next_worker_on_the_file_broker(tmp_path):
    var, signals = tmp_path / "var", tmp_path / "signals"
    signals.mkdir()
    folders = {
        "data_folder_in": str(var / "broker" / "queue"),
        "data_folder_out": str(var / "broker" / "queue"),
        "control_folder": str(var / "broker" / "control"),
    }
    for folder in folders.values():
        os.makedirs(folder, exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL", "DATABASE_URL")
    }
    env |= {
        "GOODDAY_VAR_DIR": str(var),  # the embedded default: the file broker in var/broker
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
        "CELERY_SKIP_CHECKS": "1",  # a faster start: the system checks have tests of their own
    }

    def start_worker(n):
        log = open(tmp_path / f"worker{n}.log", "wb")  # noqa: SIM115 (closed with the test's folder)
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo"]
        command += ["--include", __name__, "--without-gossip", "--without-mingle", "--without-heartbeat"]
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def log(n):
        return (tmp_path / f"worker{n}.log").read_text(errors="replace")[-3000:]

    def started():
        return sorted(p.name for p in signals.glob("started-*"))

    with app.connection_for_write("filesystem://", transport_options=folders) as conn:
        app.amqp.queues[app.conf.task_default_queue].bind(conn.default_channel).declare()
        with conn.Producer() as producer:
            app.send_task(work_until_let_go.name, args=[str(signals)], producer=producer)
    first = start_worker(1)
    second = None
    try:
        assert _wait(lambda: started() == [f"started-{first.pid}"]), log(1)
        os.killpg(first.pid, signal.SIGKILL)  # mid-task: never acknowledged, never finished
        first.wait()
        assert len(claimed_by(folders, first.pid)) == 1  # still on disk
        (signals / "go").touch()
        second = start_worker(2)
        assert _wait(lambda: (signals / f"finished-{second.pid}").exists()), log(2)
        assert started() == sorted([f"started-{first.pid}", f"started-{second.pid}"])
        assert _wait(lambda: not [f for f in files(folders) if ".celery.msg" in f]), log(2)  # acknowledged
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=30)
    assert not [f for f in files(folders) if ".celery.msg" in f]  # not put back at the shutdown either
