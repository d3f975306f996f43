"""Brings the search service up in the background and guards it for the widgets.

The search index is opened (and built, on the first run) on a TaskRunner thread
after the window is on screen; progress arrives as signals on the GUI thread.
Searches are run one at a time under a lock, as the service asks.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ecip_reader.errors import UserError
from ecip_reader.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from ecip_reader.search.results import SearchResponse
    from ecip_reader.search.service import SearchService

log = logging.getLogger(__name__)

ServiceFactory = Callable[[], "SearchService"]


class SearchHost(QObject):
    """Owns the :class:`SearchService` once it is ready; says how far preparation got."""

    state_changed = Signal(str, str)  # "preparing" | "ready" | "failed", text for the user
    progress = Signal(int, int)  # documents done, documents in all

    def __init__(
        self, tasks: TaskRunner, factory: ServiceFactory, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._factory = factory
        self._lock = threading.Lock()
        self._service: SearchService | None = None
        self._closed = False
        self.state = "preparing"
        self.text = "Search is being prepared…"

    # -- preparation -------------------------------------------------------------------

    def start(self) -> None:
        """Open the index, building it first if it is missing or out of date."""
        self._set("preparing", "Search is being prepared…")
        self._tasks.run(self._prepare, on_success=self._prepared, on_failure=self._prepare_failed)

    def _prepare(self) -> SearchService:
        service = self._factory()
        with self._lock:
            if service.status() != "ready":
                service.prepare(progress=self._report_progress)
        return service

    def _report_progress(self, done: int, total: int) -> None:
        self.progress.emit(done, total)  # queued to the GUI thread

    def _prepared(self, service: SearchService) -> None:
        if self._closed:
            service.close()
            return
        self._service = service
        self._set("ready", "")

    def _prepare_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self._set("failed", f"Search is not available: {exc}")
        else:
            log.error("search could not be prepared", exc_info=exc)
            self._set(
                "failed", "Search could not be prepared. The details were written to the log."
            )

    def _set(self, state: str, text: str) -> None:
        self.state, self.text = state, text
        self.state_changed.emit(state, text)

    # -- use ---------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self._service is not None

    def search(self, query: str, filters: Mapping[str, str], limit: int = 30) -> SearchResponse:
        """Run on a worker thread; one search at a time."""
        service = self._service
        if service is None:
            raise UserError("Search is still being prepared.")
        with self._lock:
            return service.search(query, limit=limit, filters=dict(filters) or None)

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[str]:
        service = self._service
        if service is None:
            return []
        with self._lock:
            return service.more_like_this(doc_id, limit=limit)

    def close(self) -> None:
        self._closed = True
        service, self._service = self._service, None
        if service is not None:
            with self._lock:
                service.close()
