"""Receiving the render worker's replies off the GUI thread.

:class:`ReplyReader` is a thread that only waits for replies, copies page
samples out of the shared ring into a :class:`QImage` (Qt converts them to
its native pixel format there, with the interpreter lock released), frees
the ring space and hands the result to the GUI thread with a queued signal.
It never calls PyMuPDF.
"""

from __future__ import annotations

import contextlib
import logging
import threading
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


class Sender:
    """Sends requests to the worker from the GUI thread and the reader thread alike."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()

    def send(self, message: object) -> None:
        with self._lock:
            if self._connection.closed:
                return
            # If the worker is gone, the reader notices and the client restarts it.
            with contextlib.suppress(OSError, ValueError):
                self._connection.send(message)

    def close(self) -> None:
        with self._lock:
            self._connection.close()


class ReplyReader(QThread):
    received = Signal(int, object)  # worker incarnation, reply
    lost = Signal(int)  # worker incarnation whose pipe closed

    def __init__(
        self, connection: Connection, ring: memoryview | None, sender: Sender, incarnation: int
    ) -> None:
        super().__init__()
        self._connection = connection
        self._ring = ring
        self._sender = sender
        self._incarnation = incarnation

    def run(self) -> None:
        while True:
            try:
                message = self._connection.recv()
            except (EOFError, OSError):
                break
            except Exception:
                log.exception("unreadable reply from the render worker")
                break
            if isinstance(message, Rendered):
                try:
                    message = self._to_image(message)
                except Exception:
                    log.exception("page samples could not be converted")
                    text = f"Page {message.page + 1} could not be shown."
                    message = RenderFailed(message.req_id, message.doc, message.page, text)
            self.received.emit(self._incarnation, message)
        self.lost.emit(self._incarnation)

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
                self._sender.send(ReleaseSamples(reply.req_id))
        preview = image.scaledToWidth(
            max(1, reply.width // PREVIEW_DIVISOR), Qt.TransformationMode.SmoothTransformation
        )
        return PageImage(reply.req_id, reply.doc, reply.page, image, preview)
