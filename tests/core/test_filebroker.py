"""The embedded default's file broker (core/filebroker.py): no message lost or read half-written while
other processes write, none dropped silently when it cannot be decoded."""

import json
import logging
import multiprocessing
import os
from queue import Empty

import pytest
from kombu import Connection

from config.celery import app
from core.filebroker import Transport

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
