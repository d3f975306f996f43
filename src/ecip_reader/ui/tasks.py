"""The one way to run work off the GUI thread.

``TaskRunner.run(fn, on_success, on_failure)`` runs ``fn`` on a thread pool and
calls ``on_success(result)`` or ``on_failure(exc)`` back on the GUI thread.
Without ``on_failure``, a :class:`~ecip_reader.errors.UserError` goes to the
runner's ``user_error`` signal (shown in one place by the main window) and any
other exception is logged with its traceback and sent to ``bug`` once.

PyMuPDF must never be called from these threads: it holds the GIL while it
works and is not thread-safe. Rendering and extraction run in worker processes.

Tests use :class:`ImmediateTaskRunner`, which runs tasks synchronously.
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from ecip_reader.errors import UserError

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]


class _Relay(QObject):
    done = Signal(int, bool, object)


class _Job(QRunnable):
    def __init__(self, relay: _Relay, job_id: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._relay = relay
        self._id = job_id
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # delivered to the GUI thread, never swallowed
            self._relay.done.emit(self._id, False, exc)
        else:
            self._relay.done.emit(self._id, True, result)


class TaskRunner(QObject):
    """Runs callables on a bounded thread pool; results come back on the GUI thread."""

    user_error = Signal(str)
    bug = Signal(str)

    def __init__(self, max_threads: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.done.connect(self._finished)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[Callback | None, Callback | None]] = {}
        self._reported_bugs: set[str] = set()

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callback | None = None,
        on_failure: Callback | None = None,
    ) -> int:
        job_id = next(self._ids)
        self._pending[job_id] = (on_success, on_failure)
        self._pool.start(_Job(self._relay, job_id, fn))
        return job_id

    def cancel_callbacks(self, job_id: int) -> None:
        """Forget the callbacks of a job whose result is no longer wanted."""
        self._pending.pop(job_id, None)

    def wait(self, msecs: int = -1) -> bool:
        return bool(self._pool.waitForDone(msecs))

    @Slot(int, bool, object)
    def _finished(self, job_id: int, ok: bool, payload: object) -> None:
        callbacks = self._pending.pop(job_id, None)
        if callbacks is None:
            return
        on_success, on_failure = callbacks
        if ok:
            if on_success is not None:
                on_success(payload)
            return
        assert isinstance(payload, BaseException)
        if on_failure is not None:
            on_failure(payload)
        else:
            self.report(payload)

    def report(self, exc: BaseException) -> None:
        """Show a user error, or log a bug with its traceback and report it once."""
        if isinstance(exc, UserError):
            self.user_error.emit(str(exc))
            return
        text = "".join(traceback.format_exception(exc))
        log.error("unexpected error in background task:\n%s", text)
        key = f"{type(exc).__name__}: {exc}"
        if key not in self._reported_bugs:
            self._reported_bugs.add(key)
            self.bug.emit(key)


class ImmediateTaskRunner(TaskRunner):
    """Runs every task at once on the calling thread (for unit tests)."""

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callback | None = None,
        on_failure: Callback | None = None,
    ) -> int:
        job_id = next(self._ids)
        self._pending[job_id] = (on_success, on_failure)
        try:
            result = fn()
        except Exception as exc:
            self._finished(job_id, False, exc)
        else:
            self._finished(job_id, True, result)
        return job_id
