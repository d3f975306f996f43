"""Cover thumbnails: page 1 of each document, rendered once by the render worker and kept as PNG.

Files are named by the document's SHA-256, so a changed PDF gets a new cover
and an unchanged one is never rendered twice. Until a cover exists the grid
shows a title card (:func:`ecip_reader.ui.library.cards.paint_placeholder`).
"""

from __future__ import annotations

import logging
import math
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Signal
from PySide6.QtGui import QImage, QPixmap

from ecip_reader.errors import describe_os_error
from ecip_reader.fileio import atomic_write_bytes
from ecip_reader.library.catalogue import Catalogue, CatalogueEntry
from ecip_reader.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from ecip_reader.pdf.render_protocol import DocumentInfo
    from ecip_reader.ui.render.client import RenderClient
    from ecip_reader.ui.render.remote_document import RemoteDocument

log = logging.getLogger(__name__)

THUMB_WIDTH = 320  # device pixels: sharp at 2× in the 160-point-wide card
THUMB_MAX_PIXELS = 160_000  # cap for odd page shapes (a very tall page stays small)


def thumbnail_width(page_width: float, page_height: float) -> int:
    """Pixel width for a cover of a page of this shape, within the pixel cap."""
    if page_width <= 0 or page_height <= 0:
        return THUMB_WIDTH
    capped = math.sqrt(THUMB_MAX_PIXELS * page_width / page_height)
    return max(16, min(THUMB_WIDTH, int(capped)))


def encode_png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


class ThumbnailCache(QObject):
    """Covers in memory and on disk; makes missing ones through the render client."""

    ready = Signal(str)  # doc id whose cover is now available
    progress = Signal(int, int)  # covers made, covers to make
    finished = Signal()
    write_failed = Signal(str)  # a cover could not be saved: one sentence (said once)

    def __init__(
        self,
        folder: Path,
        catalogue: Catalogue | None,
        tasks: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self._catalogue = catalogue
        self._tasks = tasks
        self._entries: dict[str, CatalogueEntry] = {e.id: e for e in catalogue} if catalogue else {}
        self._pixmaps: dict[str, QPixmap | None] = {}
        self._queue: deque[CatalogueEntry] = deque()
        self._client: RenderClient | None = None
        self._doc: RemoteDocument | None = None
        self._current: CatalogueEntry | None = None
        self._total = 0
        self._done = 0
        self._writes_paused = False  # covers stay in memory while the folder cannot be written

    def file_of(self, entry: CatalogueEntry) -> Path:
        return self.folder / f"{entry.sha256}.png"

    def pixmap(self, doc_id: str) -> QPixmap | None:
        """The cover of ``doc_id``, or ``None`` while there is none."""
        if doc_id in self._pixmaps:  # a cover, or a miss remembered until one is written
            return self._pixmaps[doc_id]
        entry = self._entries.get(doc_id)
        pixmap: QPixmap | None = None
        if entry is not None:
            path = self.file_of(entry)
            if path.is_file():
                loaded = QPixmap(str(path))
                if not loaded.isNull():
                    loaded.setDevicePixelRatio(2.0)
                    pixmap = loaded
        self._pixmaps[doc_id] = pixmap
        return pixmap

    def missing(self) -> list[CatalogueEntry]:
        return [e for e in self._entries.values() if not self.file_of(e).is_file()]

    # -- making covers -----------------------------------------------------------------

    def generate_missing(self, client: RenderClient) -> int:
        """Render every missing cover, one document at a time; returns how many."""
        self._client = client
        self._queue = deque(self.missing())
        self._total = len(self._queue)
        self._done = 0
        if self._total:
            self.progress.emit(0, self._total)
            self._next()
        else:
            self.finished.emit()
        return self._total

    def stop(self) -> None:
        self._queue.clear()
        self._close_doc()
        self._client = None

    def _next(self) -> None:
        self._close_doc()
        if not self._queue or self._client is None or self._catalogue is None:
            self._current = None
            self._client = None
            self.finished.emit()
            return
        entry = self._queue.popleft()
        self._current = entry
        doc = self._client.open_document(self._catalogue.path_of(entry))
        self._doc = doc
        doc.opened.connect(self._opened)
        doc.page_ready.connect(self._page_ready)
        doc.failed.connect(self._failed)
        doc.page_failed.connect(lambda _page, message: self._failed(message))

    def _opened(self, info: DocumentInfo) -> None:
        if self._doc is None:
            return
        width_pt, height_pt = info.page_sizes[0]
        self._width = thumbnail_width(width_pt, height_pt)
        self._doc.request_pages([(0, self._width, 1.0)])

    def _page_ready(self, page: int) -> None:
        doc, entry = self._doc, self._current
        if doc is None or entry is None or page != 0:
            return
        image = doc.image(0, self._width)
        if image is None:
            return
        image = image.copy()
        image.setDevicePixelRatio(2.0)
        self._pixmaps[entry.id] = QPixmap.fromImage(image)
        self.ready.emit(entry.id)
        if not self._writes_paused:
            target = self.file_of(entry)
            doc_id = entry.id
            self._tasks.run(
                lambda: atomic_write_bytes(target, encode_png(image)),
                on_success=lambda _result: self._written(doc_id),
                on_failure=self._write_failed,
            )
        self._advance()

    def _write_failed(self, exc: BaseException) -> None:
        """A cover could not be saved: keep the others in memory, say it once."""
        if not isinstance(exc, OSError):
            self._tasks.report(exc)
            return
        log.warning("cover not saved: %s", exc)
        if not self._writes_paused:
            self._writes_paused = True
            named = OSError(exc.errno, exc.strerror, str(self.folder))  # the folder, not a file
            self.write_failed.emit(describe_os_error(named, "covers"))

    def resume_writes(self) -> None:
        """The folder can be written again: covers made from now on are saved."""
        self._writes_paused = False

    def _written(self, doc_id: str) -> None:
        """A cover is on disk now: forget a remembered miss so the next look finds it."""
        if doc_id in self._pixmaps and self._pixmaps[doc_id] is None:
            del self._pixmaps[doc_id]

    def _failed(self, message: str) -> None:
        entry = self._current
        log.warning("no cover for %s: %s", entry.id if entry else "?", message)
        self._advance()

    def _advance(self) -> None:
        self._done += 1
        self.progress.emit(self._done, self._total)
        self._next()

    def _close_doc(self) -> None:
        doc, self._doc = self._doc, None
        if doc is not None:
            for signal in (doc.opened, doc.page_ready, doc.failed, doc.page_failed):
                signal.disconnect()
            doc.close()
