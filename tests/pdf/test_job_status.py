"""What the render worker is working on, as the window reads it: in-process and across processes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.pdf.job_status import (
    CELLS,
    JobClock,
    JobKind,
    JobSnapshot,
    JobStatus,
    too_slow_message,
)
from ecip_reader.pdf.render_protocol import (
    OpenDocument,
    Opened,
    RenderBatch,
    Rendered,
    RenderJob,
    Reply,
)
from ecip_reader.pdf.render_worker import RenderServer, serve
from tests.support.slow_pdfs import write_inflating_pdf


class Watched:
    """A render server whose replies are stamped with what its status said when they were sent."""

    def __init__(self) -> None:
        self.status = JobStatus([0] * CELLS)
        self.seen: list[tuple[type, JobSnapshot]] = []
        self.server = RenderServer(self._sent, None, self.status)

    def _sent(self, reply: Reply) -> None:
        self.seen.append((type(reply), self.status.read()))


@pytest.fixture
def watched() -> Iterator[Watched]:
    made = Watched()
    yield made
    made.server.close_all()


def test_each_job_is_named_while_it_runs_and_cleared_after(
    watched: Watched, small_library: Catalogue
) -> None:
    path = small_library.path_of(small_library.get("perfect-week"))
    watched.server.handle(OpenDocument(4, str(path)))
    watched.server.handle(RenderBatch(4, 1, (RenderJob(1, 2, 0.3),)))
    while watched.server.run_one():
        pass
    during = [(kind, snap.doc, snap.kind, snap.page) for kind, snap in watched.seen]
    assert (Opened, 4, JobKind.OPEN, -1) in during
    assert (Rendered, 4, JobKind.PAGE, 2) in during
    after = watched.status.read()
    assert not after.busy and after.doc == -1


def test_a_reading_is_never_torn() -> None:
    cells = [0] * CELLS
    status = JobStatus(cells)
    status.begin(3, JobKind.FIND)
    cells[0] += 1  # a writer stopped half-way: the counter stays odd
    snapshot = status.read()
    assert not snapshot.busy and snapshot.doc == -1


def test_the_clock_times_a_job_from_the_first_reading_that_shows_it() -> None:
    status = JobStatus([0] * CELLS)
    clock = JobClock()
    assert clock.elapsed(status.read(), 100.0) == 0.0
    status.begin(1, JobKind.PAGE, 0)
    assert clock.elapsed(status.read(), 101.0) == 0.0
    assert clock.elapsed(status.read(), 104.5) == 3.5
    status.end()
    status.begin(1, JobKind.PAGE, 1)  # the next job starts its own time
    assert clock.elapsed(status.read(), 105.0) == 0.0
    status.end()
    assert clock.elapsed(status.read(), 200.0) == 0.0


def test_the_sentence_names_what_was_too_slow() -> None:
    assert too_slow_message("a.pdf", JobKind.OPEN, -1, 10.0) == (
        "a.pdf is too slow to open: reading it took more than 10 seconds."
    )
    assert too_slow_message("a.pdf", JobKind.PAGE, 4, 2.5) == (
        "a.pdf is too slow to draw: page 5 took more than 2.5 seconds."
    )
    assert too_slow_message("a.pdf", JobKind.OUTLINE, -1, 10.0) == (
        "a.pdf is too slow to draw: reading its pages took more than 10 seconds."
    )


@pytest.mark.slow
def test_the_status_outlives_a_worker_killed_in_the_middle_of_a_page(tmp_path: Path) -> None:
    heavy = write_inflating_pdf(tmp_path / "heavy.pdf")
    ctx = multiprocessing.get_context("spawn")
    cells = ctx.RawArray("q", CELLS)
    status = JobStatus(cells)
    requests_in, requests_out = ctx.Pipe(duplex=False)
    replies_in, replies_out = ctx.Pipe(duplex=False)
    process = ctx.Process(target=serve, args=(requests_in, replies_out, None, cells), daemon=True)
    process.start()
    requests_in.close()
    replies_out.close()
    try:
        requests_out.send(OpenDocument(7, str(heavy)))
        requests_out.send(RenderBatch(7, 1, (RenderJob(1, 0, 1.0),)))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and status.read().kind is not JobKind.PAGE:
            time.sleep(0.02)
        drawing = status.read()
        assert (drawing.doc, drawing.kind, drawing.page, drawing.received) == (
            7,
            JobKind.PAGE,
            0,
            2,
        )
        assert not drawing.waiting
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        process.join(10)
        assert status.read() == drawing  # what it was doing when it died
    finally:
        if process.is_alive():
            process.kill()
            process.join()
        process.close()
        for connection in (requests_out, replies_in):
            connection.close()
