"""The GUI side of the render worker: one process for every open document.

:class:`RenderClient` starts the worker (``spawn`` context), sends requests
and receives replies on a reader thread that only receives bytes and turns
samples into :class:`QImage` objects; results reach the GUI thread through
queued signals, so the event loop never waits for the worker.

If the worker dies it is started again and every open document is reopened.
A document that was being worked on in two crashes in a row is reported as
failed instead, so one poisonous PDF cannot keep the worker crashing.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import deque
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from ecip_reader.pdf import render_worker
from ecip_reader.pdf.render_protocol import OpenDocument, Shutdown
from ecip_reader.pdf.sample_ring import create_segment
from ecip_reader.ui.render.remote_document import RemoteDocument, image_bytes
from ecip_reader.ui.render.reply_reader import PageImage, ReplyReader, Sender
from ecip_reader.viewing.page_cache import DEFAULT_BUDGET, PageCache

log = logging.getLogger(__name__)

PREVIEW_BUDGET = 24 * 1024 * 1024
THUMB_BUDGET = 16 * 1024 * 1024
# More crashes than this within CRASH_WINDOW seconds: stop restarting on our own.
MAX_CRASHES = 4
CRASH_WINDOW = 60.0


def _shared_ring() -> SharedMemory | None:
    """The shared memory for page samples, or ``None`` to send them through the pipe."""
    try:
        return create_segment()
    except OSError as exc:
        log.warning("no shared memory for page images (%s); using the pipe instead", exc)
        return None


class RenderClient(QObject):
    """Owns the one render worker process of the application."""

    worker_restarted = Signal()

    def __init__(self, parent: QObject | None = None, cache_budget: int = DEFAULT_BUDGET) -> None:
        super().__init__(parent)
        self.cache: PageCache[object] = PageCache(image_bytes, cache_budget)
        self.previews: PageCache[object] = PageCache(image_bytes, PREVIEW_BUDGET)
        self.thumbs: PageCache[object] = PageCache(image_bytes, THUMB_BUDGET)
        self._segment = _shared_ring()
        self._docs: dict[int, RemoteDocument] = {}
        self._handles = itertools.count(1)
        self._req_ids = itertools.count(1)
        self._crashes: deque[float] = deque()
        self._incarnation = 0
        self._closed = False
        self._running = False
        self._process: BaseProcess | None = None
        self._sender: Sender | None = None
        self._reader: ReplyReader | None = None
        self._replies: Connection | None = None
        self._start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    # ------------------------------------------------------------ public API

    def open_document(self, path: Path, password: str | None = None) -> RemoteDocument:
        """Ask the worker to open ``path``; the answer comes as a signal of the returned object."""
        handle = next(self._handles)
        doc = RemoteDocument(self, handle, Path(path), password)
        self._docs[handle] = doc
        if not self._running and not self._closed:
            self._crashes.clear()
            self._start()
        self.send(OpenDocument(handle, str(path), password))
        return doc

    def worker_pid(self) -> int | None:
        """Process id of the worker (for diagnostics and tests)."""
        if self._process is None or not self._running:
            return None
        return self._process.pid

    def next_request_id(self) -> int:
        return next(self._req_ids)

    def send(self, message: object) -> None:
        if self._sender is not None and self._running:
            self._sender.send(message)

    def forget(self, doc: RemoteDocument) -> None:
        """Called by a document when it closes."""
        self._docs.pop(doc.handle, None)
        self.forget_images(doc.handle)

    def forget_images(self, handle: int) -> None:
        """Drop every drawn image of a document (it closed, or its pages were turned)."""
        self.cache.drop_document(handle)
        self.previews.drop_document(handle)
        self.thumbs.drop_document(handle)

    def close(self) -> None:
        """Stop the worker process and free the shared memory (safe to call twice)."""
        if self._closed:
            return
        self._closed = True
        for doc in list(self._docs.values()):
            doc.detach()
        self._docs.clear()
        self.send(Shutdown())
        self._stop_worker(grace=3.0)
        if self._segment is not None:
            self._segment.close()
            self._segment.unlink()
        self.cache.clear()
        self.previews.clear()
        self.thumbs.clear()

    # ------------------------------------------------------------ worker lifetime

    def _start(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        requests_in, requests_out = ctx.Pipe(duplex=False)
        replies_in, replies_out = ctx.Pipe(duplex=False)
        process = ctx.Process(
            target=render_worker.serve,
            args=(requests_in, replies_out, self._segment.name if self._segment else None),
            name="ecip-render-worker",
            daemon=True,
        )
        process.start()
        requests_in.close()
        replies_out.close()
        self._incarnation += 1
        self._process = process
        self._sender = Sender(requests_out)
        self._replies = replies_in
        ring = self._segment.buf if self._segment is not None else None
        self._reader = ReplyReader(replies_in, ring, self._sender, self._incarnation)
        self._reader.received.connect(self._on_reply)
        self._reader.lost.connect(self._on_lost)
        self._running = True
        self._reader.start()

    def _stop_worker(self, grace: float) -> None:
        process = self._process
        self._running = False
        if process is not None:
            process.join(grace)
            if process.is_alive():
                log.warning("render worker did not stop in time; killing it")
                process.kill()
                process.join(5.0)
            process.close()
        self._process = None
        if self._reader is not None:
            self._reader.wait()
            self._reader.received.disconnect(self._on_reply)
            self._reader.lost.disconnect(self._on_lost)
            self._reader.deleteLater()
            self._reader = None
        if self._sender is not None:
            self._sender.close()
            self._sender = None
        if self._replies is not None:
            self._replies.close()
            self._replies = None

    @Slot(int)
    def _on_lost(self, incarnation: int) -> None:
        if self._closed or incarnation != self._incarnation:
            return
        self._stop_worker(grace=1.0)
        now = time.monotonic()
        self._crashes.append(now)
        while self._crashes and now - self._crashes[0] > CRASH_WINDOW:
            self._crashes.popleft()
        log.warning("render worker stopped unexpectedly (%d recent crashes)", len(self._crashes))
        if len(self._crashes) > MAX_CRASHES:
            for doc in list(self._docs.values()):
                doc.fail_after_crash("the page renderer keeps stopping")
            return
        self._start()
        for doc in list(self._docs.values()):
            if doc.error is not None:
                continue  # it could not be opened before; nothing to reopen
            if doc.busy():
                doc.crashes += 1
            if doc.crashes >= 2:
                doc.fail_after_crash("the page renderer stopped twice while drawing it")
            else:
                doc.reopen()
        self.worker_restarted.emit()

    @Slot(int, object)
    def _on_reply(self, incarnation: int, message: object) -> None:
        if incarnation != self._incarnation:
            return
        doc = self._docs.get(getattr(message, "doc", -1))
        if doc is not None:
            doc.deliver(message)

    # ------------------------------------------------------------ used by documents

    def store(self, doc: int, page: int, width: int, image: PageImage) -> None:
        self.cache.put((doc, page, width), image.image)
        self.previews.put((doc, page, 0), image.preview)
