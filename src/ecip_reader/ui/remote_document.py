"""One document open in the render worker, as seen from the GUI thread.

A :class:`RemoteDocument` remembers which pages it asked for, turns the
view's wish list into render batches (newest wins in the worker), keeps the
rendered pages in the client's shared cache and tells its view through
signals.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from ecip_reader.pdf.render_protocol import (
    CloseDocument,
    DocumentInfo,
    Dropped,
    FindWords,
    OpenDocument,
    Opened,
    OpenFailed,
    Outline,
    RenderBatch,
    RenderFailed,
    RenderJob,
    Words,
)
from ecip_reader.ui.reply_reader import PageImage

if TYPE_CHECKING:
    from ecip_reader.ui.render_client import RenderClient

MAX_BATCH = 16


def image_bytes(image: object) -> int:
    return int(image.sizeInBytes()) if isinstance(image, QImage) else 0


class RemoteDocument(QObject):
    opened = Signal(object)  # DocumentInfo
    failed = Signal(str)  # one sentence: the document cannot be shown
    page_ready = Signal(int)  # 0-based page now in the cache
    page_failed = Signal(int, str)  # 0-based page that could not be drawn
    words_ready = Signal(int, object, object)  # page, terms, boxes
    outline_ready = Signal(object)  # tuple of (level, title, page)

    def __init__(self, client: RenderClient, handle: int, path: Path, password: str | None) -> None:
        super().__init__()  # no Qt parent: it lives as long as the client or a view holds it
        self._client: RenderClient | None = client
        self.handle = handle
        self.path = path
        self._password = password
        self.info: DocumentInfo | None = None
        self.outline: tuple[tuple[int, str, int], ...] = ()
        self.error: str | None = None
        self.crashes = 0
        self._opening = True
        self._pending: dict[tuple[int, int], int] = {}
        self._requests: dict[int, tuple[int, int, float]] = {}
        self._sent_in: dict[int, int] = {}  # request id -> newest batch that asked for it
        self._words: dict[int, int] = {}
        self._generation = 0
        self._last_batch: tuple[tuple[int, int], ...] = ()

    # ------------------------------------------------------------ asking

    def request_pages(self, wanted: Sequence[tuple[int, int, float]]) -> None:
        """Ask for ``(page, device pixel width, device pixel ratio)`` in order of need.

        Pages already cached are skipped; the request replaces the previous one.
        """
        client = self._client
        if client is None or self.info is None:
            return
        jobs: list[RenderJob] = []
        keys: list[tuple[int, int]] = []
        for page, width, ratio in wanted:
            key = (page, width)
            if key in keys or (self.handle, page, width) in client.cache:
                continue
            if not 0 <= page < self.info.page_count:
                continue
            req_id = self._pending.get(key)
            if req_id is None:
                req_id = client.next_request_id()
                self._pending[key] = req_id
                self._requests[req_id] = (page, width, ratio)
            page_width = self.info.page_sizes[page][0]
            jobs.append(RenderJob(req_id, page, width / page_width))
            keys.append(key)
            if len(jobs) >= MAX_BATCH:
                break
        if tuple(keys) == self._last_batch:
            return
        self._last_batch = tuple(keys)
        self._generation += 1
        for job in jobs:
            self._sent_in[job.req_id] = self._generation
        client.send(RenderBatch(self.handle, self._generation, tuple(jobs)))

    def request_words(self, page: int, terms: Sequence[str]) -> None:
        client = self._client
        if client is None or self.info is None:
            return
        req_id = client.next_request_id()
        self._words[req_id] = page
        client.send(FindWords(req_id, self.handle, page, tuple(terms)))

    def image(self, page: int, width: int) -> QImage | None:
        client = self._client
        if client is None:
            return None
        found = client.cache.get((self.handle, page, width))
        return found if isinstance(found, QImage) else None

    def placeholder(self, page: int, width: int) -> QImage | None:
        """The best image of ``page`` at another width, or its small preview."""
        client = self._client
        if client is None:
            return None
        near = client.cache.nearest(self.handle, page, width)
        if near is not None and isinstance(near[1], QImage):
            return near[1]
        preview = client.previews.get((self.handle, page, 0))
        return preview if isinstance(preview, QImage) else None

    def busy(self) -> bool:
        """Whether the worker owed this document an answer."""
        return self._opening or bool(self._pending) or bool(self._words)

    def close(self) -> None:
        client = self._client
        if client is None:
            return
        client.send(CloseDocument(self.handle))
        client.forget(self)
        self.detach()

    def detach(self) -> None:
        self._client = None
        self._pending.clear()
        self._requests.clear()
        self._sent_in.clear()
        self._words.clear()

    # ------------------------------------------------------------ answers

    def deliver(self, message: object) -> None:
        client = self._client
        if client is None:
            return
        if isinstance(message, PageImage):
            self._received_page(client, message)
        elif isinstance(message, Opened):
            self.info = message.info
            self.error = None
            self._opening = False
            self.opened.emit(message.info)
        elif isinstance(message, Dropped):
            for req_id in message.req_ids:
                # A request asked for again after that batch is still coming.
                if self._sent_in.get(req_id, 0) < message.generation:
                    self._forget_request(req_id)
        elif isinstance(message, Words):
            if self._words.pop(message.req_id, None) is not None:
                self.words_ready.emit(message.page, message.terms, message.boxes)
        elif isinstance(message, RenderFailed):
            self._forget_request(message.req_id)
            self.page_failed.emit(message.page, message.message)
        elif isinstance(message, Outline):
            self.outline = message.entries
            self.outline_ready.emit(message.entries)
        elif isinstance(message, OpenFailed):
            self._opening = False
            self._fail(message.message)

    def _received_page(self, client: RenderClient, reply: PageImage) -> None:
        request = self._forget_request(reply.req_id)
        if request is None:
            return
        page, width, ratio = request
        reply.image.setDevicePixelRatio(ratio)
        reply.preview.setDevicePixelRatio(ratio)
        client.store(self.handle, page, width, reply)
        self.crashes = 0
        self.page_ready.emit(page)

    def _forget_request(self, req_id: int) -> tuple[int, int, float] | None:
        request = self._requests.pop(req_id, None)
        self._sent_in.pop(req_id, None)
        if request is not None:
            self._pending.pop((request[0], request[1]), None)
            self._last_batch = ()
        return request

    # ------------------------------------------------------------ worker restarts

    def reopen(self) -> None:
        """Open again in a new worker; the view asks for its pages when ``opened`` fires."""
        client = self._client
        if client is None:
            return
        self._pending.clear()
        self._requests.clear()
        self._sent_in.clear()
        self._words.clear()
        self._last_batch = ()
        self._generation = 0
        self._opening = True
        client.send(OpenDocument(self.handle, str(self.path), self._password))

    def fail_after_crash(self, reason: str) -> None:
        self._fail(f"{self.path.name} could not be shown: {reason}.")
        client = self._client
        if client is not None:
            client.forget(self)
        self.detach()

    def _fail(self, message: str) -> None:
        self.error = message
        self.failed.emit(message)
