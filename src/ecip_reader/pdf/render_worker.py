"""The render worker: one process that owns every open PDF and draws its pages.

The GUI process starts :func:`serve` with the "spawn" context and talks to it
with the messages of :mod:`ecip_reader.pdf.render_protocol`. The worker:

* answers the NEWEST request first — a view that scrolled on wants the pages
  it shows now, not the ones it asked for a moment ago;
* drops renders superseded by a newer batch for the same document and says so;
* caps every render's pixel count (:func:`ecip_reader.pdf.document.render_zoom`);
* refuses a path that is not a plain file (a named pipe would block it for good);
* turns every failure into a reply with one plain sentence and carries on;
* writes what it is working on into a :class:`~ecip_reader.pdf.job_status.JobStatus`
  the window reads, so that the window can time each job and, should the
  worker die, know which document it was drawing.

PyMuPDF is imported only inside the worker, so the GUI process that imports
this module to start the worker does not pay for it.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, MutableSequence
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ecip_reader.pdf.file_kind import not_a_plain_file
from ecip_reader.pdf.job_status import CELLS, JobKind, JobStatus
from ecip_reader.pdf.page_drawing import draw_page, pack_samples
from ecip_reader.pdf.page_geometry import page_geometry
from ecip_reader.pdf.process_memory import release_free_memory, resident_bytes
from ecip_reader.pdf.reading_jobs import (
    FindTask,
    find_words,
    outline_entries,
    page_text,
)
from ecip_reader.pdf.render_protocol import (
    CloseDocument,
    DocumentInfo,
    Dropped,
    Find,
    FindWords,
    GetPageText,
    OpenDocument,
    Opened,
    OpenFailed,
    Outline,
    PageTextLayer,
    ReleaseSamples,
    RenderBatch,
    RenderFailed,
    RenderJob,
    RenderOne,
    Reply,
    Shutdown,
    ThumbnailBatch,
    Words,
)
from ecip_reader.pdf.sample_ring import RingAllocator, attach_segment

log = logging.getLogger(__name__)

# Empty MuPDF's object store when the worker grows beyond this (bytes of resident memory).
STORE_FLUSH_RSS = 350 * 1024 * 1024
# Seconds without a request, after work, before freed memory goes back to the system.
QUIET_BEFORE_RELEASE = 0.25


@dataclass
class _OpenDoc:
    name: str
    handle: Any
    sizes: tuple[tuple[float, float], ...]
    generation: int = -1
    batch_seq: int = -1
    queue: list[RenderJob] = field(default_factory=list)
    thumb_generation: int = -1
    thumbs: list[RenderJob] = field(default_factory=list)
    find: FindTask | None = None
    find_generation: int = -1


Urgent = FindWords | GetPageText | RenderOne


class RenderServer:
    """The worker's state and scheduling, independent of how messages travel.

    ``handle()`` takes a request; ``run_one()`` does the most urgent piece of
    work and returns ``False`` when there is none. Replies go to ``send``;
    the job under way is written to ``status``.
    """

    def __init__(
        self,
        send: Callable[[Reply], None],
        ring: memoryview | None = None,
        status: JobStatus | None = None,
    ) -> None:
        self._send = send
        self.status = status if status is not None else JobStatus([0] * CELLS)
        self._ring = ring
        self._alloc = RingAllocator(len(ring)) if ring is not None else None
        self._docs: dict[int, _OpenDoc] = {}
        self._words: list[tuple[int, Urgent]] = []
        self._outlines: list[int] = []
        self._seq = 0
        self._renders = 0
        self._done: deque[int] = deque(maxlen=256)
        self.stopped = False

    # ------------------------------------------------------------ requests

    def handle(self, request: object) -> None:
        """Take one request; a malformed one is logged and ignored, never fatal."""
        try:
            self._take(request)
        except Exception:
            # The request's repr may hold a password: name its type only.
            log.exception("render worker: a %s request failed", type(request).__name__)

    def _take(self, request: object) -> None:
        self._seq += 1
        if isinstance(request, RenderBatch):
            self._queue_batch(request)
        elif isinstance(request, FindWords | GetPageText | RenderOne):
            self._words.append((self._seq, request))
        elif isinstance(request, ThumbnailBatch):
            self._queue_thumbnails(request)
        elif isinstance(request, Find):
            self._start_find(request)
        elif isinstance(request, ReleaseSamples):
            if self._alloc is not None:
                self._alloc.release(request.req_id)
        elif isinstance(request, OpenDocument):
            self._open(request)
        elif isinstance(request, CloseDocument):
            self._close(request.doc)
        elif isinstance(request, Shutdown):
            self.stopped = True
        else:
            log.error("render worker: unknown request %r", request)

    def has_work(self) -> bool:
        return bool(
            self._words
            or self._outlines
            or any(d.queue or d.thumbs or d.find for d in self._docs.values())
        )

    def run_one(self) -> bool:
        """Do the newest waiting job; a job that fails unexpectedly is logged and dropped.

        Pages a view shows come first (newest request first), then a running
        search, then thumbnails; the outline of a new document comes last.
        """
        job = self._next_job()
        if job is None:
            return False
        kind, doc_id, page, work = job
        self.status.begin(doc_id, kind, page)
        try:
            work()
        except Exception:
            log.exception("render worker: a job failed")
        finally:
            self.status.end()
        return True

    def _next_job(self) -> tuple[JobKind, int, int, Callable[[], None]] | None:
        best_doc: _OpenDoc | None = None
        best_doc_id = -1
        for doc_id, doc in self._docs.items():
            if doc.queue and (best_doc is None or doc.batch_seq > best_doc.batch_seq):
                best_doc, best_doc_id = doc, doc_id
        newest_words = max(range(len(self._words)), key=lambda i: self._words[i][0], default=-1)
        if newest_words >= 0 and (
            best_doc is None or self._words[newest_words][0] > best_doc.batch_seq
        ):
            request = self._words.pop(newest_words)[1]
            kind = JobKind.PAGE if isinstance(request, RenderOne) else JobKind.TEXT
            page = request.job.page if isinstance(request, RenderOne) else request.page
            return kind, request.doc, page, lambda: self._urgent(request)
        if best_doc is not None:
            return self._render_job(JobKind.PAGE, best_doc_id, best_doc, best_doc.queue.pop(0))
        for doc_id, doc in self._docs.items():
            if doc.find is not None:
                return JobKind.FIND, doc_id, -1, partial(self._find_step, doc_id, doc)
        for doc_id, doc in self._docs.items():
            if doc.thumbs:
                return self._render_job(JobKind.THUMBNAIL, doc_id, doc, doc.thumbs.pop(0))
        if self._outlines:
            doc_id = self._outlines.pop()
            return JobKind.OUTLINE, doc_id, -1, partial(self._outline, doc_id)
        return None

    def _render_job(
        self, kind: JobKind, doc_id: int, doc: _OpenDoc, job: RenderJob
    ) -> tuple[JobKind, int, int, Callable[[], None]]:
        return kind, doc_id, job.page, partial(self._render, doc_id, doc, job)

    def close_all(self) -> None:
        for doc_id in list(self._docs):
            self._close(doc_id)

    # ------------------------------------------------------------ documents

    def _open(self, request: OpenDocument) -> None:
        self._close(request.doc)
        path = Path(request.path)
        self.status.begin(request.doc, JobKind.OPEN)
        try:
            self._open_file(request, path)
        finally:
            self.status.end()

    def _open_file(self, request: OpenDocument, path: Path) -> None:
        from ecip_reader.errors import DocumentError
        from ecip_reader.pdf.describe import reading_notes, safe_metadata
        from ecip_reader.pdf.document import PasswordRequired, open_pdf

        problem = not_a_plain_file(path)
        if problem is not None:
            self._send(OpenFailed(request.doc, problem))
            return
        try:
            handle = open_pdf(path, request.password)
        except PasswordRequired as exc:
            self._send(OpenFailed(request.doc, str(exc), needs_password=True))
            return
        except DocumentError as exc:
            self._send(OpenFailed(request.doc, str(exc)))
            return
        except Exception:
            log.exception("render worker: opening %s failed", path)
            self._send(OpenFailed(request.doc, f"{path.name} could not be opened."))
            return
        try:
            sizes, rotations = page_geometry(handle)
            metadata = safe_metadata(handle)
            notes = reading_notes(handle, path.name)
        except Exception:
            log.exception("render worker: reading %s failed", path)
            handle.close()
            self._send(OpenFailed(request.doc, f"{path.name} is damaged and could not be read."))
            return
        self._docs[request.doc] = _OpenDoc(path.name, handle, sizes)
        self._outlines.insert(0, request.doc)
        info = DocumentInfo(len(sizes), sizes, metadata, rotations, notes)
        self._send(Opened(request.doc, info))

    def _close(self, doc_id: int) -> None:
        doc = self._docs.pop(doc_id, None)
        if doc is None:
            return
        self._words = [(seq, job) for seq, job in self._words if job.doc != doc_id]
        self._outlines = [d for d in self._outlines if d != doc_id]
        doc.handle.close()
        _mupdf().TOOLS.store_shrink(100)

    def _queue_thumbnails(self, batch: ThumbnailBatch) -> None:
        doc = self._docs.get(batch.doc)
        if doc is None or batch.generation < doc.thumb_generation:
            return
        doc.thumb_generation = batch.generation
        doc.thumbs = list(batch.jobs)

    def _start_find(self, request: Find) -> None:
        doc = self._docs.get(request.doc)
        if doc is None or request.generation < doc.find_generation:
            return
        doc.find_generation = request.generation
        doc.find = FindTask.start(request, len(doc.sizes)) if request.query.strip() else None

    def _find_step(self, doc_id: int, doc: _OpenDoc) -> None:
        task = doc.find
        if task is None:
            return

        def page_words(number: int) -> tuple[Any, Any, float, float]:
            page = doc.handle[number]
            width, height = doc.sizes[number]
            return page.get_text("words"), page.rotation_matrix, width, height

        hits = task.step(page_words)
        if hits.done:
            doc.find = None
        self._send(hits)

    def _urgent(self, request: Urgent) -> None:
        if isinstance(request, FindWords):
            self._find_words(request)
        elif isinstance(request, RenderOne):
            doc = self._docs.get(request.doc)
            if doc is not None:
                self._render(request.doc, doc, request.job)
        else:
            self._page_text(request)

    def _page_text(self, request: GetPageText) -> None:
        doc = self._docs.get(request.doc)
        if doc is None or not 0 <= request.page < len(doc.sizes):
            return
        try:
            reply = page_text(
                doc.handle, request.page, request.req_id, request.doc, doc.sizes[request.page]
            )
        except Exception:
            log.exception("render worker: text of page %d of %s failed", request.page + 1, doc.name)
            reply = PageTextLayer(request.req_id, request.doc, request.page, (), (), None)
        self._send(reply)

    def _queue_batch(self, batch: RenderBatch) -> None:
        doc = self._docs.get(batch.doc)
        if doc is None or batch.generation < doc.generation:
            return
        # A job answered while this batch was on its way needs no second render.
        jobs = [job for job in batch.jobs if job.req_id not in self._done]
        kept = {job.req_id for job in jobs}
        superseded = tuple(job.req_id for job in doc.queue if job.req_id not in kept)
        doc.generation = batch.generation
        doc.batch_seq = self._seq
        doc.queue = jobs
        if superseded:
            self._send(Dropped(batch.doc, batch.generation, superseded))

    # ------------------------------------------------------------ work

    def _render(self, doc_id: int, doc: _OpenDoc, job: RenderJob) -> None:
        if not 0 <= job.page < len(doc.sizes):
            self._send(RenderFailed(job.req_id, doc_id, job.page, "That page does not exist."))
            return
        try:
            pix = draw_page(doc.handle, doc.sizes[job.page], job)
        except Exception:
            log.exception("render worker: page %d of %s failed", job.page + 1, doc.name)
            message = f"Page {job.page + 1} of {doc.name} could not be drawn."
            self._send(RenderFailed(job.req_id, doc_id, job.page, message))
            return
        self._send(pack_samples(pix, job, doc_id, self._ring, self._alloc))
        self._done.append(job.req_id)
        self._renders += 1
        if self._renders % 16 == 0 and resident_bytes() > STORE_FLUSH_RSS:
            _mupdf().TOOLS.store_shrink(100)

    def _find_words(self, request: FindWords) -> None:
        doc = self._docs.get(request.doc)
        if doc is None or not 0 <= request.page < len(doc.sizes):
            self._send(Words(request.req_id, request.doc, request.page, request.terms, ()))
            return
        try:
            boxes = find_words(doc.handle, request.page, doc.sizes[request.page], request.terms)
        except Exception:
            log.exception("render worker: text of page %d of %s failed", request.page + 1, doc.name)
            boxes = ()
        self._send(Words(request.req_id, request.doc, request.page, request.terms, boxes))

    def _outline(self, doc_id: int) -> None:
        doc = self._docs.get(doc_id)
        if doc is None:
            return
        try:
            entries = outline_entries(doc.handle)
        except Exception:
            log.exception("render worker: outline of %s failed", doc.name)
            entries = ()
        self._send(Outline(doc_id, entries))


def _mupdf() -> Any:
    """PyMuPDF, imported on first use so that the GUI process never loads it."""
    import pymupdf

    return pymupdf


def serve(
    requests: Connection,
    replies: Connection,
    ring_name: str | None = None,
    status_cells: MutableSequence[int] | None = None,
) -> None:
    """Entry point of the worker process: serve requests until told to stop.

    ``status_cells`` is the shared array of the window's
    :class:`~ecip_reader.pdf.job_status.JobStatus`, if it keeps one.
    """
    pymupdf = _mupdf()
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    segment = attach_segment(ring_name) if ring_name else None
    ring = segment.buf if segment is not None else None
    status = JobStatus(status_cells if status_cells is not None else [0] * CELLS)
    server = RenderServer(replies.send, ring, status)
    worked = False  # since memory was last released
    try:
        while not server.stopped:
            if server.has_work() and not requests.poll(0):
                server.run_one()
                worked = True
                continue
            status.set_waiting(not server.has_work())
            if worked and not server.has_work() and not requests.poll(QUIET_BEFORE_RELEASE):
                release_free_memory()  # a few ms, once the window has stopped asking
                worked = False
            message = requests.recv()
            # Busy before counted: the window must never see the request taken and us idle.
            status.set_waiting(False)
            status.took_request()
            server.handle(message)
            worked = True
            while not server.stopped and requests.poll(0):
                message = requests.recv()
                status.took_request()
                server.handle(message)
    except (EOFError, BrokenPipeError, ConnectionResetError):
        pass  # the window went away: nothing left to serve
    finally:
        server.close_all()
        del ring, server
        if segment is not None:
            segment.close()
        requests.close()
        replies.close()
