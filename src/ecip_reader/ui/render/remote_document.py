"""One document open in a render worker, as seen from the GUI thread.

A :class:`RemoteDocument` remembers which pages it asked for, turns the
view's wish list into render batches (newest wins in the worker), keeps the
rendered pages in the client's shared cache and tells its view through
signals. When its worker is replaced it opens again in the new one and asks
again for what was still owed: single images (printing waits for them) and
the rest of a running search, which goes on from the first page not searched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from ecip_reader.pdf.job_status import JobKind, too_slow_message
from ecip_reader.pdf.render_protocol import (
    CloseDocument,
    DocumentInfo,
    Dropped,
    Find,
    FindHits,
    FindWords,
    GetPageText,
    OpenDocument,
    Opened,
    OpenFailed,
    Outline,
    PageTextLayer,
    RenderBatch,
    RenderFailed,
    RenderJob,
    RenderOne,
    ThumbnailBatch,
    Words,
)
from ecip_reader.ui.render.find_progress import FindProgress
from ecip_reader.ui.render.reply_reader import PageImage
from ecip_reader.viewing.page_cache import PageCache

MAX_BATCH = 16
MAX_TEXTS = 400  # pages whose words and links are kept
THUMB_MAX_PIXELS = 200_000


def image_bytes(image: object) -> int:
    return int(image.sizeInBytes()) if isinstance(image, QImage) else 0


class RenderChannel(Protocol):
    """What a document needs of the client that owns the render worker."""

    cache: PageCache[object]
    previews: PageCache[object]
    thumbs: PageCache[object]

    def next_request_id(self) -> int: ...

    def send(self, message: object) -> None: ...

    def forget(self, doc: RemoteDocument) -> None: ...

    def forget_images(self, handle: int) -> None: ...

    def store(self, doc: int, page: int, width: int, image: PageImage) -> None: ...


class RemoteDocument(QObject):
    opened = Signal(object)  # DocumentInfo
    failed = Signal(str)  # one sentence: the document cannot be shown
    password_needed = Signal(str)  # one sentence: ask for the password (or a new one)
    page_ready = Signal(int)  # 0-based page now in the cache
    page_failed = Signal(int, str)  # 0-based page that could not be drawn
    words_ready = Signal(int, object, object)  # page, terms, boxes
    outline_ready = Signal(object)  # tuple of (level, title, page)
    text_ready = Signal(int, object)  # 0-based page, PageTextLayer
    find_hits = Signal(object)  # FindHits of the newest search
    thumbnail_ready = Signal(int)  # 0-based page
    image_ready = Signal(int, object)  # request id of request_image(), QImage
    image_failed = Signal(int, str)  # request id, one sentence

    def __init__(
        self, client: RenderChannel, handle: int, path: Path, password: str | None
    ) -> None:
        super().__init__()  # no Qt parent: it lives as long as the client or a view holds it
        self._client: RenderChannel | None = client
        self.handle = handle
        self.path = path
        self._password = password
        self.info: DocumentInfo | None = None
        self.error: str | None = None
        self.crashes = 0
        self._opening = True
        self._pending: dict[tuple[int, int], int] = {}
        self._requests: dict[int, tuple[int, int, float]] = {}
        self._sent_in: dict[int, int] = {}  # request id -> newest batch that asked for it
        self._words: dict[int, int] = {}
        self._generation = 0
        self._last_batch: tuple[tuple[int, int], ...] = ()
        self.rotation = 0
        self._texts: dict[int, PageTextLayer] = {}
        self._text_asked: dict[int, int] = {}  # page -> request id
        self._find_generation = 0
        self._search = FindProgress()  # to take the search up again after a restart
        self._thumb_generation = 0
        self._thumb_asked: dict[int, tuple[int, int]] = {}  # request id -> (page, width)
        self._images: dict[int, RenderJob] = {}  # single images still owed

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
            jobs.append(RenderJob(req_id, page, width / self.shown_size(page)[0], self.rotation))
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

    def shown_size(self, page: int) -> tuple[float, float]:
        """Size in points of ``page`` (0-based) as the view shows it, turned by ``rotation``."""
        if self.info is None or not 0 <= page < len(self.info.page_sizes):
            return (612.0, 792.0)
        width, height = self.info.page_sizes[page]
        return (height, width) if self.rotation % 180 else (width, height)

    def set_rotation(self, degrees: int) -> None:
        """Turn every page clockwise by ``degrees`` (a multiple of 90); drops the drawn pages."""
        degrees %= 360
        client = self._client
        if degrees == self.rotation or client is None:
            return
        self.rotation = degrees
        client.forget_images(self.handle)
        self._pending.clear()
        self._requests.clear()
        self._sent_in.clear()
        self._thumb_asked.clear()
        self._last_batch = ()

    def request_text(self, page: int) -> None:
        """Ask for the words, links and content box of ``page``; answered by ``text_ready``."""
        client = self._client
        if client is None or self.info is None or page in self._text_asked:
            return
        if page in self._texts or not 0 <= page < self.info.page_count:
            return
        req_id = client.next_request_id()
        self._text_asked[page] = req_id
        client.send(GetPageText(req_id, self.handle, page))

    def text(self, page: int) -> PageTextLayer | None:
        return self._texts.get(page)

    def find(self, query: str, match_case: bool, whole_words: bool, start_page: int) -> int:
        """Start a search (an empty query stops the running one); returns its generation."""
        self._find_generation += 1
        generation = self._find_generation
        request = Find(self.handle, generation, query, match_case, whole_words, start_page)
        self._search.stop()
        client = self._client
        if client is not None and self.info is not None:
            client.send(request)
            self._search.start(request if query.strip() else None)
        return self._find_generation

    def request_thumbnails(self, pages: Sequence[int], width: int) -> None:
        """Ask for small images of ``pages`` (most wanted first), replacing the last wish."""
        client = self._client
        if client is None or self.info is None:
            return
        jobs = []
        asked = {key: req_id for req_id, key in self._thumb_asked.items()}
        for page in pages:
            if not 0 <= page < self.info.page_count:
                continue
            if (self.handle, page, width) in client.thumbs:
                continue
            req_id = asked.get((page, width), -1)
            if req_id < 0:
                req_id = client.next_request_id()
                self._thumb_asked[req_id] = (page, width)
            zoom = width / self.shown_size(page)[0]
            jobs.append(RenderJob(req_id, page, zoom, self.rotation, THUMB_MAX_PIXELS))
        self._thumb_generation += 1
        client.send(ThumbnailBatch(self.handle, self._thumb_generation, tuple(jobs)))

    def thumbnail(self, page: int, width: int) -> QImage | None:
        client = self._client
        if client is None:
            return None
        found = client.thumbs.get((self.handle, page, width))
        return found if isinstance(found, QImage) else None

    def request_image(
        self,
        page: int,
        zoom: float,
        clip: tuple[float, float, float, float] | None = None,
        max_pixels: int = 8_000_000,
    ) -> int:
        """Draw ``page`` (or the ``clip`` part of it) once, outside the cache.

        Answered by ``image_ready`` or ``image_failed`` with the returned request id.
        """
        client = self._client
        if client is None:
            return -1
        req_id = client.next_request_id()
        job = RenderJob(req_id, page, zoom, self.rotation, max_pixels, clip)
        self._images[req_id] = job
        client.send(RenderOne(self.handle, job))
        return req_id

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

    def close(self) -> None:
        client = self._client
        if client is None:
            return
        client.send(CloseDocument(self.handle))
        client.forget(self)
        self.detach()

    def detach(self) -> None:
        self._client = None
        self._text_asked.clear()
        self._thumb_asked.clear()
        self._images.clear()
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
        elif isinstance(message, PageTextLayer):
            self._received_text(message)
        elif isinstance(message, FindHits):
            self._received_hits(message)
        elif isinstance(message, RenderFailed):
            if self._images.pop(message.req_id, None) is not None:
                self.image_failed.emit(message.req_id, message.message)
                return
            self._thumb_asked.pop(message.req_id, None)
            if self._forget_request(message.req_id) is not None:
                self.page_failed.emit(message.page, message.message)
        elif isinstance(message, Outline):
            self.outline_ready.emit(message.entries)
        elif isinstance(message, OpenFailed):
            self._opening = False
            if message.needs_password:
                self._password = None
                self.error = message.message
                self.password_needed.emit(message.message)
            else:
                self._fail(message.message)

    def _received_hits(self, message: FindHits) -> None:
        if message.generation == self._find_generation:
            self.find_hits.emit(self._search.received(message))

    def _received_text(self, message: PageTextLayer) -> None:
        if self._text_asked.get(message.page) != message.req_id:
            return
        del self._text_asked[message.page]
        self._texts[message.page] = message
        while len(self._texts) > MAX_TEXTS:
            del self._texts[next(iter(self._texts))]
        self.text_ready.emit(message.page, message)

    def _received_page(self, client: RenderChannel, reply: PageImage) -> None:
        if self._images.pop(reply.req_id, None) is not None:
            self.image_ready.emit(reply.req_id, reply.image)
            return
        thumb = self._thumb_asked.pop(reply.req_id, None)
        if thumb is not None:
            client.thumbs.put((self.handle, thumb[0], thumb[1]), reply.image)
            self.thumbnail_ready.emit(thumb[0])
            return
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
        """Open again in a new worker; the view asks for its pages when ``opened`` fires.

        Single images still owed are asked for again, and a running search goes
        on from the first page the old worker had not searched.
        """
        client = self._client
        if client is None:
            return
        self._pending.clear()
        self._requests.clear()
        self._sent_in.clear()
        self._words.clear()
        self._text_asked.clear()
        self._thumb_asked.clear()
        self._last_batch = ()
        self._generation = 0
        self._opening = True
        client.send(OpenDocument(self.handle, str(self.path), self._password))
        for job in self._images.values():
            client.send(RenderOne(self.handle, job))
        resumed = self._search.resume(self.info.page_count if self.info is not None else 0)
        if resumed is not None:
            client.send(resumed)

    def retry_with_password(self, password: str) -> None:
        """Open again with ``password`` (held in memory only, for worker restarts)."""
        self._password = password
        self.reopen()

    def fail_after_crash(self, reason: str) -> None:
        self._give_up(f"{self.path.name} could not be shown: {reason}.")

    def fail_too_slow(self, kind: JobKind, page: int, seconds: float) -> None:
        """Its worker was stopped after one job took more than ``seconds``."""
        self._give_up(too_slow_message(self.path.name, kind, page, seconds))

    def _give_up(self, message: str) -> None:
        owed = list(self._images)
        self._images.clear()
        self._search.stop()
        self._fail(message)
        for req_id in owed:
            self.image_failed.emit(req_id, message)
        client = self._client
        if client is not None:
            client.forget(self)
        self.detach()

    def _fail(self, message: str) -> None:
        self.error = message
        self.failed.emit(message)
