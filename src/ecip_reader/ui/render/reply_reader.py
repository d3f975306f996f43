"""Receiving the render worker's replies off the GUI thread.

:class:`ReplyReader` is a thread that only waits for replies, copies page
samples out of the shared ring into a :class:`QImage` (Qt converts them to
its native pixel format there, with the interpreter lock released), frees
the ring space and hands the result to the GUI thread with a queued signal.
It never calls PyMuPDF and never writes into the request pipe itself: the
release of ring space goes into the request queue
(:class:`~ecip_reader.ui.render.request_writer.RequestWriter`), so receiving
never waits for a worker that is busy sending.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtGui import QImage

from ecip_reader.pdf.render_protocol import ReleaseSamples, Rendered, RenderFailed

log = logging.getLogger(__name__)

PREVIEW_DIVISOR = 4


@dataclass(frozen=True)
class PageImage:
    """A rendered page ready to draw, with a small copy kept as a placeholder."""

    req_id: int
    doc: int
    page: int
    image: QImage
    preview: QImage


class ReplyReader(QThread):
    received = Signal(int, object)  # worker serial, reply
    lost = Signal(int)  # worker serial whose pipe closed

    def __init__(
        self,
        connection: Connection,
        ring: memoryview | None,
        release: Callable[[ReleaseSamples], object],
        serial: int,
    ) -> None:
        super().__init__()
        self._connection = connection
        self._ring = ring
        self._release = release
        self._serial = serial

    def run(self) -> None:
        try:
            self._receive()
        finally:
            # Closed here, by the only thread that reads it, never under a read.
            self._connection.close()
        self.lost.emit(self._serial)

    def _receive(self) -> None:
        while True:
            try:
                message = self._connection.recv()
            except (EOFError, OSError):
                return
            except Exception:
                log.exception("unreadable reply from the render worker")
                return
            if isinstance(message, Rendered):
                try:
                    message = self._to_image(message)
                except Exception:
                    log.exception("page samples could not be converted")
                    text = f"Page {message.page + 1} could not be shown."
                    message = RenderFailed(message.req_id, message.doc, message.page, text)
            self.received.emit(self._serial, message)

    def _to_image(self, reply: Rendered) -> PageImage:
        fmt = QImage.Format.Format_RGB888
        if reply.samples is not None:
            source = QImage(reply.samples, reply.width, reply.height, reply.stride, fmt)
            image = source.convertToFormat(QImage.Format.Format_RGB32)
            del source
        elif self._ring is None:
            raise ValueError("page samples arrived in shared memory this process does not have")
        else:
            view = self._ring[reply.offset : reply.offset + reply.nbytes]
            try:
                source = QImage(view, reply.width, reply.height, reply.stride, fmt)
                image = source.convertToFormat(QImage.Format.Format_RGB32)
                del source
            finally:
                view.release()
                self._release(ReleaseSamples(reply.req_id))
        preview = image.scaledToWidth(
            max(1, reply.width // PREVIEW_DIVISOR), Qt.TransformationMode.SmoothTransformation
        )
        return PageImage(reply.req_id, reply.doc, reply.page, image, preview)
