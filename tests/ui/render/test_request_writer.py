"""The request queue in front of the worker's pipe: never blocks, and newer wishes win."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection

import pytest

from ecip_reader.pdf.render_protocol import (
    CloseDocument,
    Find,
    FindWords,
    OpenDocument,
    ReleaseSamples,
    RenderBatch,
    RenderJob,
    Shutdown,
    ThumbnailBatch,
)
from ecip_reader.ui.render.request_writer import RequestWriter

BIG = FindWords(0, 9, 0, ("x" * 2_000_000,))  # more than a pipe holds: the writer blocks on it


def batch(doc: int, generation: int, *req_ids: int) -> RenderBatch:
    return RenderBatch(doc, generation, tuple(RenderJob(r, r, 1.0) for r in req_ids))


@pytest.fixture
def pipe() -> Iterator[tuple[Connection, RequestWriter]]:
    """The worker's end of a request pipe, and a writer whose thread is stuck on a full pipe."""
    reading, writing = multiprocessing.get_context("spawn").Pipe(duplex=False)
    writer = RequestWriter(writing)
    writer.put(BIG)
    deadline = time.monotonic() + 10
    while writer.sent < 1 and time.monotonic() < deadline:
        time.sleep(0.005)
    yield reading, writer
    writer.stop()
    reading.close()
    assert writer.join(10)


def drain(reading: Connection, count: int) -> list[object]:
    """What the worker reads: the big message first, then ``count`` more."""
    assert reading.recv() == BIG
    return [reading.recv() for _ in range(count)]


def test_putting_never_waits_for_a_full_pipe(pipe: tuple[Connection, RequestWriter]) -> None:
    _reading, writer = pipe
    longest = 0.0
    for number in range(5_000):
        started = time.perf_counter()
        writer.put(FindWords(number, 1, 0, ("sepsis",)))
        longest = max(longest, time.perf_counter() - started)
    assert writer.waiting() == 5_000
    assert longest < 1.0  # a blocked write would be for ever


def test_a_newer_batch_replaces_the_waiting_one_of_the_same_document(
    pipe: tuple[Connection, RequestWriter],
) -> None:
    reading, writer = pipe
    assert writer.put(batch(1, 1, 10, 11)) is None
    assert writer.put(batch(2, 1, 20)) is None
    assert writer.put(ThumbnailBatch(1, 1, ())) is None
    assert writer.put(Find(1, 1, "sepsis")) is None
    assert writer.put(batch(1, 2, 11, 12)) == batch(1, 1, 10, 11)
    assert writer.put(ThumbnailBatch(1, 2, ())) == ThumbnailBatch(1, 1, ())
    assert writer.put(Find(1, 2, "sepsis screening")) == Find(1, 1, "sepsis")
    # The newest wish goes where the newest goes: last.
    assert drain(reading, 4) == [
        batch(2, 1, 20),
        batch(1, 2, 11, 12),
        ThumbnailBatch(1, 2, ()),
        Find(1, 2, "sepsis screening"),
    ]


def test_releases_of_page_memory_go_first(pipe: tuple[Connection, RequestWriter]) -> None:
    reading, writer = pipe
    writer.put(batch(1, 1, 10))
    writer.put(ReleaseSamples(5))
    writer.put(FindWords(7, 1, 0, ()))
    writer.put(ReleaseSamples(6))
    assert drain(reading, 4) == [
        ReleaseSamples(5),
        ReleaseSamples(6),
        batch(1, 1, 10),
        FindWords(7, 1, 0, ()),
    ]


def test_closing_a_document_drops_what_waits_for_it_and_nothing_else(
    pipe: tuple[Connection, RequestWriter],
) -> None:
    reading, writer = pipe
    writer.put(batch(1, 1, 10))
    writer.put(FindWords(11, 1, 0, ()))
    writer.put(batch(2, 1, 20))
    writer.put(CloseDocument(1))
    assert drain(reading, 2) == [batch(2, 1, 20), CloseDocument(1)]


def test_no_wish_stands_in_for_one_made_after_the_document_was_opened_again(
    pipe: tuple[Connection, RequestWriter],
) -> None:
    reading, writer = pipe
    writer.put(batch(1, 7, 10))
    writer.put(OpenDocument(1, "/library/a.pdf"))
    assert writer.put(batch(1, 1, 30)) is None
    assert drain(reading, 3) == [
        batch(1, 7, 10),
        OpenDocument(1, "/library/a.pdf"),
        batch(1, 1, 30),
    ]


def test_shutdown_replaces_everything_waiting_and_ends_the_thread(
    pipe: tuple[Connection, RequestWriter],
) -> None:
    reading, writer = pipe
    for number in range(50):
        writer.put(batch(number, 1, number))
    writer.put(Shutdown())
    writer.put(batch(1, 2, 99))  # too late: ignored
    assert drain(reading, 1) == [Shutdown()]
    assert writer.join(10)
    with pytest.raises(EOFError):
        reading.recv()  # the thread closed its end


def test_a_worker_that_went_away_ends_the_thread_quietly() -> None:
    reading, writing = multiprocessing.get_context("spawn").Pipe(duplex=False)
    writer = RequestWriter(writing)
    reading.close()
    writer.put(batch(1, 1, 10))
    assert writer.join(10)
    assert writer.broken
    assert writer.put(batch(1, 2, 11)) is None  # still never raises nor blocks
