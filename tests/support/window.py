"""Helpers for the main-window tests: build the real window over a small test library."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pytestqt.qtbot import QtBot

from ecip_reader.app import RenderClientHolder, build_services
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import LIBRARY_ENV, AppPaths
from ecip_reader.ui.main.window import MainWindow
from ecip_reader.ui.search.host import SearchHost
from ecip_reader.ui.services import Services
from ecip_reader.ui.tasks import ImmediateTaskRunner, TaskRunner

WAIT = 30_000  # ms: a two-core machine running other tests at the same time


_OPEN: list[Session] = []


class Session:
    """One run of the application: its services, its window, its render worker."""

    def __init__(self, services: Services, holder: RenderClientHolder, window: MainWindow) -> None:
        self.services = services
        self.holder = holder
        self.window = window
        self.closed = False
        _OPEN.append(self)

    def close(self) -> None:
        """Close the window and stop its workers; closing twice does nothing."""
        if self.closed:
            return
        self.closed = True
        if self in _OPEN:
            _OPEN.remove(self)
        self.window.close()
        self.services.search.close()
        self.holder.close()


def close_open_sessions() -> None:
    """Close every session a test left open (the UI tests' conftest calls this)."""
    while _OPEN:
        _OPEN[-1].close()


class LibraryOnlySearch:
    """Stands in for the search service in tests about the library alone."""

    def __init__(self, library: Catalogue) -> None:
        self.library = library

    def status(self) -> str:
        return "ready"

    def prepare(self, progress: Callable[[int, int], None] | None = None) -> None:
        return None

    def search(self, query: str, limit: int = 20, filters: object = None) -> object:
        raise AssertionError("these tests do not search")

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[str]:
        return [e.id for e in self.library if e.id != doc_id][:limit]

    def close(self) -> None:
        return None


def library_only_search(library: Catalogue) -> Callable[[TaskRunner], SearchHost]:
    return lambda tasks: SearchHost(tasks, lambda: LibraryOnlySearch(library))  # type: ignore[arg-type, return-value]


def real_search_host(tasks: TaskRunner, paths: AppPaths, library: Catalogue) -> SearchHost:
    from ecip_reader.search.service import SearchService, bundled_index_dir

    return SearchHost(tasks, lambda: SearchService(bundled_index_dir(paths), library.root, library))


@contextmanager
def library_env(library: Catalogue) -> Iterator[None]:
    old = os.environ.get(LIBRARY_ENV)
    os.environ[LIBRARY_ENV] = str(library.root)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(LIBRARY_ENV, None)
        else:
            os.environ[LIBRARY_ENV] = old


def open_session(
    qtbot: QtBot,
    paths: AppPaths,
    library: Catalogue,
    tasks: TaskRunner | None = None,
    search: Callable[[TaskRunner], SearchHost] | None = None,
    start: bool = True,
) -> Session:
    """Build the window as ``ecip_reader.app`` does, show it and start the background work."""
    tasks = tasks or ImmediateTaskRunner()
    with library_env(library):
        services, holder = build_services(paths, tasks=tasks)
    # the folders the services settled on (the cache may be a temporary stand-in)
    used = services.paths
    services.search = (search or (lambda t: real_search_host(t, used, library)))(tasks)
    window = MainWindow(services)
    qtbot.addWidget(window)
    if not services.settings.get("window_geometry"):
        window.resize(1300, 820)
    window.show()
    qtbot.waitExposed(window)
    session = Session(services, holder, window)
    if start:
        window.start_background_work()
    return session


def thumbnails_folder(paths: AppPaths) -> Path:
    return paths.thumbnails


def write_policy(text: str) -> Path:
    """Write the machine-wide policy file the isolated home points at."""
    path = AppPaths.from_environment().policy_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def start_session(
    qtbot: QtBot, paths: AppPaths, library: Catalogue, tasks: TaskRunner | None = None
) -> Session:
    from ecip_reader.search.combined import CombinedSearch
    from ecip_reader.search.service import bundled_index_dir

    tasks = tasks or ImmediateTaskRunner()
    with library_env(library):
        services, holder = build_services(paths, tasks=tasks)
        sources = services.sources
        used = services.paths  # the cache may be a temporary stand-in
        services.search = SearchHost(
            tasks,
            lambda: CombinedSearch(bundled_index_dir(used), library.root, library, sources),
        )
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.resize(1300, 820)
        window.show()
        qtbot.waitExposed(window)
        session = Session(services, holder, window)
        window.start_background_work()
    return session
