"""Stand-ins for the render worker process, for tests of the window's side of the pipes.

Each function has the signature of :func:`ecip_reader.pdf.render_worker.serve`
and runs in a spawned process, so it must live at module level.
"""

from __future__ import annotations

from collections.abc import MutableSequence
from multiprocessing.connection import Connection

from ecip_reader.pdf.job_status import JobStatus
from ecip_reader.pdf.render_protocol import (
    DocumentInfo,
    Opened,
    Outline,
    ReleaseSamples,
    Rendered,
    Shutdown,
)
from ecip_reader.pdf.sample_ring import attach_segment

FLOOD = 3_000  # page replies sent before the stub reads a single request


def flood_then_listen(
    requests: Connection,
    replies: Connection,
    ring_name: str | None = None,
    status: MutableSequence[int] | None = None,
) -> None:
    """Answer document 1 with ``FLOOD`` tiny pages in the shared ring, reading nothing meanwhile.

    Only then does it read its requests; once the window has released the
    samples of every page it sends an outline whose one title says how many
    releases arrived, and it waits to be told to stop. A window that sends the
    releases on the thread that receives the pages stops receiving once the
    request pipe is full, and both sides wait for each other for ever.
    """
    if ring_name is None or status is None:
        raise ValueError("this stand-in needs the shared ring and status cells")
    segment = attach_segment(ring_name)
    taken = JobStatus(status)
    try:
        replies.send(Opened(1, DocumentInfo(1, ((100.0, 100.0),))))
        segment.buf[0:3] = b"\xff\xff\xff"
        for number in range(FLOOD):
            replies.send(Rendered(10_000 + number, 1, 0, 1, 1, 3, 0, 3))
        released = 0
        while released < FLOOD:
            message = requests.recv()
            taken.took_request()
            if isinstance(message, Shutdown):
                return
            if isinstance(message, ReleaseSamples):
                released += 1
        replies.send(Outline(1, ((1, f"released {released}", 1),)))
        taken.set_waiting(True)
        while not isinstance(requests.recv(), Shutdown):
            taken.took_request()
    except (EOFError, OSError):
        pass
    finally:
        segment.close()
