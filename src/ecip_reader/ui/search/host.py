"""Brings the search service up in the background and guards it for the widgets.

The search index is opened (and built, on the first run) on a TaskRunner thread
after the window is on screen; progress arrives as signals on the GUI thread.
Searches are run one at a time under a lock, as the service asks.

An index found damaged while searching (its files were changed underneath, the
disk went bad) is rebuilt the same way, once per damage: search says it is
being prepared again, and the query waiting in the panel runs when it is ready.
If the rebuilt index is damaged again before it answered a single search, the
host gives up and says so rather than rebuild for ever.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

from ecip_reader.errors import UserError
from ecip_reader.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from ecip_reader.search.results import SearchResponse
    from ecip_reader.search.service import SearchService

log = logging.getLogger(__name__)

ServiceFactory = Callable[[], "SearchService"]

PREPARING_TEXT = "Search is being prepared…"
REBUILD_FAILED_TEXT = (
    "Search is not available: the search index was damaged again after it was rebuilt."
)


class SearchHost(QObject):
    """Owns the :class:`SearchService` once it is ready; says how far preparation got."""

    state_changed = Signal(str, str)  # "preparing" | "ready" | "failed", text for the user
    progress = Signal(int, int)  # documents done, documents in all
    _damage_found = Signal(int)  # from a search thread: the index (of this epoch) is damaged

    def __init__(
        self, tasks: TaskRunner, factory: ServiceFactory, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._factory = factory
        self._lock = threading.Lock()
        self._service: SearchService | None = None
        self._closed = False
        self._repairing = False
        self._epoch = 0  # rebuilds so far: damage seen before one is not seen again
        self._answered_since_repair = True
        self.repairs = 0  # rebuilds of a damaged index since the window opened
        self.state = "preparing"
        self.text = PREPARING_TEXT
        # Queued even when emitted on this thread: the rebuild starts after the
        # search that found the damage has returned.
        self._damage_found.connect(self._repair, Qt.ConnectionType.QueuedConnection)

    # -- preparation -------------------------------------------------------------------

    def start(self) -> None:
        """Open the index, building it first if it is missing or out of date."""
        self._set("preparing", PREPARING_TEXT)
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
        self._repairing = False
        if self._closed:
            service.close()
            return
        self._service = service
        self._set("ready", "")

    def _repair(self, epoch: int) -> None:
        """Rebuild the index the service found damaged (on the GUI thread, once per damage)."""
        service = self._service
        if service is None or self._repairing or self._closed or epoch != self._epoch:
            return  # being rebuilt, rebuilt already, or no longer searched
        self._service = None  # nothing searches it until it is rebuilt
        if not self._answered_since_repair:
            log.error("the rebuilt search index is damaged again; search is turned off")
            self._tasks.run(lambda: self._close_service(service))
            self._set("failed", REBUILD_FAILED_TEXT)
            return
        log.warning("the search index is damaged; it is being rebuilt")
        self._repairing = True
        self._epoch += 1
        self._answered_since_repair = False
        self.repairs += 1
        self._set("preparing", PREPARING_TEXT)
        self._tasks.run(
            lambda: self._rebuild(service),
            on_success=self._prepared,
            on_failure=lambda exc: self._repair_failed(service, exc),
        )

    def _repair_failed(self, service: SearchService, exc: BaseException) -> None:
        self._tasks.run(lambda: self._close_service(service))
        self._prepare_failed(exc)

    def _rebuild(self, service: SearchService) -> SearchService:
        with self._lock:
            service.prepare(progress=self._report_progress)
            if service.status() != "ready":
                raise UserError("the search index could not be rebuilt.")
        return service

    def _close_service(self, service: SearchService) -> None:
        with self._lock:
            service.close()

    def _prepare_failed(self, exc: BaseException) -> None:
        self._repairing = False
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
            epoch = self._epoch
            response = service.search(query, limit=limit, filters=dict(filters) or None)
            damaged = _found_damage(service, response)
        if damaged:
            self._damage_found.emit(epoch)
        elif epoch == self._epoch:
            self._answered_since_repair = True
        return response

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


def _found_damage(service: SearchService, response: SearchResponse) -> bool:
    """True when searching showed the index to be damaged (the caller holds the lock)."""
    from ecip_reader.search.service import DAMAGED_MESSAGE, NOT_READY_MESSAGE

    if response.message == DAMAGED_MESSAGE or service.damaged:
        return True
    # An index whose files no longer match its manifest is not opened at all.
    return response.message == NOT_READY_MESSAGE and service.status() == "broken"
