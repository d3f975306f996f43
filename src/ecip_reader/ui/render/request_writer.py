"""The one thread that writes requests into the render worker's pipe.

Writing into a pipe blocks when the pipe is full, and the worker reads its
requests only between two jobs: a page that takes long to draw would stop
whoever writes. So nobody but :class:`RequestWriter` writes. The window and
the thread receiving replies only put messages into its queue, which never
blocks; while they wait there, a newer wish replaces an older one:

* a render batch, thumbnail batch or search of a document replaces the one of
  the same document still waiting (the worker would drop it anyway);
* closing a document removes everything still waiting for it;
* releases of shared page memory go out first, ahead of everything else.

Qt-free; it runs on a plain daemon thread.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from multiprocessing.connection import Connection

from ecip_reader.pdf.render_protocol import (
    CloseDocument,
    Find,
    OpenDocument,
    ReleaseSamples,
    RenderBatch,
    Shutdown,
    ThumbnailBatch,
)

log = logging.getLogger(__name__)

Replaceable = RenderBatch | ThumbnailBatch | Find


class RequestWriter:
    """Owns the request pipe: a queue in front of it and the thread that drains it."""

    def __init__(self, connection: Connection, name: str = "render-requests") -> None:
        self._connection = connection
        self._lock = threading.Condition()
        self._releases: deque[ReleaseSamples] = deque()
        self._queue: dict[int, object] = {}  # in order of arrival
        self._latest: dict[tuple[type, int], int] = {}  # (kind, document) -> key in _queue
        self._keys = 0
        self._stopping = False
        self.sent = 0  # messages handed to the pipe (read by the window to tell idleness)
        self.broken = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    # ------------------------------------------------------------ any thread

    def put(self, message: object) -> object | None:
        """Queue ``message``; returns the waiting message it replaced, if any. Never blocks."""
        with self._lock:
            if self._stopping:
                return None
            replaced: object | None = None
            if isinstance(message, ReleaseSamples):
                self._releases.append(message)
            elif isinstance(message, Shutdown):
                self._clear()
                self._add(message)
                self._stopping = True
            elif isinstance(message, Replaceable):
                key = self._latest.pop((type(message), message.doc), None)
                if key is not None:
                    replaced = self._queue.pop(key, None)
                self._latest[(type(message), message.doc)] = self._add(message)
            elif isinstance(message, OpenDocument | CloseDocument):
                if isinstance(message, CloseDocument):
                    self._drop_work_of(message.doc)
                for kind in (RenderBatch, ThumbnailBatch, Find):
                    # Nothing queued before an open or close may stand for a wish after it.
                    self._latest.pop((kind, message.doc), None)
                self._add(message)
            else:
                self._add(message)
            self._lock.notify()
            return replaced

    def waiting(self) -> int:
        """How many messages are still queued."""
        with self._lock:
            return len(self._queue) + len(self._releases)

    def stop(self) -> None:
        """Let the thread end once the queue is empty (after a Shutdown) or now; never blocks.

        The thread closes the pipe itself, so a write under way is never cut short.
        """
        with self._lock:
            if not self._queue or not isinstance(next(reversed(self._queue.values())), Shutdown):
                self._clear()
            self._stopping = True
            self._lock.notify()

    def join(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the thread to end; True if it has."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # ------------------------------------------------------------ with the lock held

    def _add(self, message: object) -> int:
        self._keys += 1
        self._queue[self._keys] = message
        return self._keys

    def _clear(self) -> None:
        self._queue.clear()
        self._latest.clear()
        self._releases.clear()

    def _drop_work_of(self, doc: int) -> None:
        for key, queued in list(self._queue.items()):
            if getattr(queued, "doc", None) == doc and not isinstance(queued, OpenDocument):
                del self._queue[key]

    def _next(self) -> object | None:
        while not (self._releases or self._queue or self._stopping):
            self._lock.wait()
        if self._releases:
            return self._releases.popleft()
        if self._queue:
            key = next(iter(self._queue))
            message = self._queue.pop(key)
            if isinstance(message, Replaceable):
                slot = (type(message), message.doc)
                if self._latest.get(slot) == key:
                    del self._latest[slot]
            return message
        return None

    # ------------------------------------------------------------ the thread

    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    message = self._next()
                    if message is None:
                        return
                    self.sent += 1
                try:
                    self._connection.send(message)
                except (OSError, ValueError):
                    # The worker is gone; the reply side notices and the client acts on it.
                    self.broken = True
                    return
                except Exception:
                    # Pickling failed before a byte was written: the worker never saw it.
                    log.exception("a request could not be sent to the render worker")
                    with self._lock:
                        self.sent -= 1
                    continue
                if isinstance(message, Shutdown):
                    return
        finally:
            with self._lock:
                self._stopping = True
                self._clear()
            self._connection.close()
