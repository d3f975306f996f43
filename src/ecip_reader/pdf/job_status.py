"""What the render worker is doing right now, readable from the window's process.

The worker writes a few integers into memory both processes share (a
``multiprocessing`` raw array made by the window); the window reads them to
time each job against a budget and, when the worker dies, to know which
document it was working on. Nothing travels through the pipes, so a worker
stuck on one page or blocked on a full pipe can still be seen.

Writes follow a sequence lock: the counter is odd while the other cells
change, and a reader that sees it odd, or changed under it, reads again.
Qt-free and PyMuPDF-free.
"""

from __future__ import annotations

from collections.abc import MutableSequence
from dataclasses import dataclass
from enum import IntEnum

# Cells of the shared array.
_SEQ, _DOC, _KIND, _PAGE, _RECEIVED, _WAITING = range(6)
CELLS = 8


class JobKind(IntEnum):
    NONE = 0
    OPEN = 1
    PAGE = 2  # drawing a page (or a part of one) for a view, printing or presenting
    THUMBNAIL = 3
    TEXT = 4  # words, links and boxes of a page
    FIND = 5
    OUTLINE = 6


@dataclass(frozen=True)
class JobSnapshot:
    """One consistent reading of the worker's status.

    ``seq`` changes whenever a job starts or ends; ``received`` counts the
    requests the worker has taken off the pipe; ``waiting`` is set while it
    waits for a request with nothing else to do.
    """

    seq: int
    doc: int
    kind: JobKind
    page: int
    received: int
    waiting: bool

    @property
    def busy(self) -> bool:
        return self.kind is not JobKind.NONE


IDLE = JobSnapshot(0, -1, JobKind.NONE, -1, 0, True)


class JobStatus:
    """The shared cells, with the worker's writing side and the window's reading side."""

    def __init__(self, cells: MutableSequence[int]) -> None:
        if len(cells) < CELLS:
            raise ValueError(f"the job status needs {CELLS} cells")
        self.cells = cells

    # ------------------------------------------------------------ the worker

    def begin(self, doc: int, kind: JobKind, page: int = -1) -> None:
        self._write(doc, kind, page)

    def end(self) -> None:
        self._write(-1, JobKind.NONE, -1)

    def took_request(self) -> None:
        self.cells[_RECEIVED] += 1

    def set_waiting(self, waiting: bool) -> None:
        self.cells[_WAITING] = int(waiting)

    def _write(self, doc: int, kind: JobKind, page: int) -> None:
        cells = self.cells
        cells[_SEQ] += 1
        cells[_DOC] = doc
        cells[_KIND] = int(kind)
        cells[_PAGE] = page
        cells[_SEQ] += 1

    # ------------------------------------------------------------ the window

    def read(self) -> JobSnapshot:
        cells = self.cells
        for _attempt in range(1000):
            seq = cells[_SEQ]
            if seq % 2:
                continue
            doc, kind, page = cells[_DOC], cells[_KIND], cells[_PAGE]
            received, waiting = cells[_RECEIVED], cells[_WAITING]
            if cells[_SEQ] == seq:
                return JobSnapshot(seq, doc, _kind(kind), page, received, bool(waiting))
        # A worker killed half-way through a write leaves the counter odd: nothing is known.
        return JobSnapshot(cells[_SEQ], -1, JobKind.NONE, -1, cells[_RECEIVED], False)


def _kind(value: int) -> JobKind:
    try:
        return JobKind(value)
    except ValueError:
        return JobKind.NONE


class JobClock:
    """How long the worker has been on its current job, timed by the reading process.

    The worker's clock is never used: a job starts, as far as the reader is
    concerned, at the first reading that shows it.
    """

    def __init__(self) -> None:
        self._seq = -1
        self._since = 0.0

    def elapsed(self, snapshot: JobSnapshot, now: float) -> float:
        if snapshot.seq != self._seq:
            self._seq = snapshot.seq
            self._since = now
        return now - self._since if snapshot.busy else 0.0


def too_slow_message(name: str, kind: JobKind, page: int, seconds: float) -> str:
    """The sentence for document ``name`` whose worker gave up one job after ``seconds``."""
    limit = f"{seconds:g} seconds"
    if kind is JobKind.OPEN:
        return f"{name} is too slow to open: reading it took more than {limit}."
    if page >= 0:
        return f"{name} is too slow to draw: page {page + 1} took more than {limit}."
    return f"{name} is too slow to draw: reading its pages took more than {limit}."
