"""One render worker process and everything that talks to it.

A :class:`WorkerLink` starts the process (``spawn``) and owns its request
writer thread, its reply reader thread, the shared ring its page samples
travel through and the shared status cells that say what it is doing. It
never waits for the worker on the GUI thread: stopping one that hangs kills
it, and the process is reaped by a helper thread.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from multiprocessing.shared_memory import SharedMemory

from PySide6.QtCore import QObject, Signal, Slot

from ecip_reader.pdf.job_status import CELLS, JobClock, JobSnapshot, JobStatus
from ecip_reader.pdf.render_protocol import Shutdown
from ecip_reader.pdf.sample_ring import create_segment
from ecip_reader.ui.render.reply_reader import ReplyReader
from ecip_reader.ui.render.request_writer import RequestWriter

log = logging.getLogger(__name__)

WorkerEntry = Callable[..., None]
# The "nice" value of a worker kept for one slow document: about a third of a normal share
LOW_PRIORITY = 5


def _shared_ring() -> SharedMemory | None:
    """Shared memory for page samples, or ``None`` to send them through the pipe."""
    try:
        return create_segment()
    except OSError as exc:
        log.warning("no shared memory for page images (%s); using the pipe instead", exc)
        return None


def _reap(process: BaseProcess) -> None:
    process.join()
    # When the GUI thread asks whether the worker is alive at the same moment, its
    # waitpid() may take the exit status from under join(): close() then still sees a
    # running process for a moment. The process object's finaliser frees the rest.
    with contextlib.suppress(ValueError):
        process.close()


class WorkerLink(QObject):
    """A running worker process: send requests, read its status, stop it."""

    done = Signal(object)  # this link, once stopped and its reply reader finished

    def __init__(self, serial: int, entry: WorkerEntry, parent: QObject | None = None) -> None:
        """Start the worker process; raises :class:`OSError` if the system cannot start one."""
        super().__init__(parent)
        self.serial = serial
        self.owner: int | None = None  # the one document of a worker of its own
        context = multiprocessing.get_context("spawn")
        self._segment = _shared_ring()
        self._clock = JobClock()
        # Requests taken when it was first seen leaving some unread, and when.
        self._unread: tuple[int, float] | None = None
        requests_in, requests_out = context.Pipe(duplex=False)
        replies_in, replies_out = context.Pipe(duplex=False)
        try:
            self._status = JobStatus(context.RawArray("q", CELLS))
            self._process = context.Process(
                target=entry,
                args=(
                    requests_in,
                    replies_out,
                    self._segment.name if self._segment is not None else None,
                    self._status.cells,
                ),
                name="ecip-render-worker",
                daemon=True,
            )
            self._process.start()
        except BaseException:
            for connection in (requests_out, replies_in):
                connection.close()
            self._close_ring()
            raise
        finally:
            requests_in.close()
            replies_out.close()
        self.pid: int | None = self._process.pid
        self.writer = RequestWriter(requests_out, name=f"render-requests-{serial}")
        ring = self._segment.buf if self._segment is not None else None
        self.reader = ReplyReader(replies_in, ring, self.writer.put, serial)
        self.reader.finished.connect(self._reader_finished)
        self._retired = False
        self._reader_gone = False

    def start_reading(self) -> None:
        """Start receiving replies (after the caller has connected to the reader's signals)."""
        self.reader.start()

    # ------------------------------------------------------------ talking

    def send(self, message: object) -> object | None:
        """Queue ``message``; returns a queued message it replaced. Never blocks."""
        if self._retired:
            return None
        return self.writer.put(message)

    def job(self, now: float) -> tuple[JobSnapshot, float]:
        """What the worker is doing and for how many seconds it has been at it."""
        snapshot = self._status.read()
        return snapshot, self._clock.elapsed(snapshot, now)

    def idle(self) -> bool:
        """True when the worker waits for requests and none is on its way."""
        snapshot = self._status.read()
        return (
            snapshot.waiting
            and not snapshot.busy
            and self.writer.waiting() == 0
            and snapshot.received >= self.writer.sent
        )

    def unread_for(self, snapshot: JobSnapshot, now: float) -> float:
        """Seconds the worker, between jobs, has left sent requests unread (0 if none are).

        A worker that is between jobs takes its requests at once; one that does
        not, for long, is stopped or stuck.
        """
        waiting = self.writer.waiting() > 0 or snapshot.received < self.writer.sent
        if snapshot.busy or not waiting:
            self._unread = None
            return 0.0
        if self._unread is None or self._unread[0] != snapshot.received:
            self._unread = (snapshot.received, now)
        return now - self._unread[1]

    @staticmethod
    def starting(snapshot: JobSnapshot) -> bool:
        """Whether the worker is still starting: it has not yet waited for a request."""
        return snapshot.received == 0 and not snapshot.waiting

    def lower_priority(self) -> None:
        """Let the window and the other worker go first (a worker for one slow document).

        The worker keeps drawing at full speed on an idle machine; where the
        system has no such notion, nothing changes.
        """
        if self.pid is None:
            return
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, self.pid, LOW_PRIORITY)

    # ------------------------------------------------------------ stopping

    def retire(self) -> None:
        """Stop the worker now, whatever it is doing; returns at once."""
        if self._retired:
            return
        self._retired = True
        self.writer.stop()
        with contextlib.suppress(OSError, ValueError):  # already gone
            self._process.kill()
        threading.Thread(target=_reap, args=(self._process,), daemon=True).start()

    def shut_down(self, grace: float) -> None:
        """Ask the worker to stop and wait up to ``grace`` seconds before killing it.

        Used when the application quits, where waiting a moment is expected.
        """
        if self._retired:
            return
        self._retired = True
        self.writer.put(Shutdown())
        self.writer.stop()
        process = self._process
        process.join(grace)
        if process.is_alive():
            log.warning("render worker did not stop in time; killing it")
            process.kill()
            process.join(5.0)
        process.close()
        if not self._reader_gone:
            self.reader.wait()
        self._close_ring()

    @property
    def retired(self) -> bool:
        return self._retired

    def wait_for_reader(self, seconds: float) -> None:
        """Wait for the reply reader of a stopped worker to finish (when the client closes)."""
        if not self._reader_gone:
            self.reader.wait(round(seconds * 1000))
        self._close_ring()

    @Slot()
    def _reader_finished(self) -> None:
        if not self._retired:
            return  # the client hears of the loss and retires the link first
        self._close_ring()
        self._reader_gone = True
        self.reader.deleteLater()
        self.done.emit(self)

    def _close_ring(self) -> None:
        segment, self._segment = self._segment, None
        if segment is None:
            return
        try:
            segment.close()
        except BufferError:
            log.warning("page memory still in use when its worker stopped")
        with contextlib.suppress(FileNotFoundError):
            segment.unlink()
