"""Wiring: build the core objects once, hand them to the main window, run Qt.

Start-up is ordered so the window is on screen quickly: only Qt, the catalogue,
settings and history are loaded before the first paint. The search index
(Whoosh), the render worker process (PyMuPDF) and the restored tabs come after
it, in the background, while the library is already usable.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ecip_reader.app.qt_startup import check_platform, from_import_error

try:
    from PySide6.QtCore import QEvent, QObject, QTimer, Signal
    from PySide6.QtWidgets import QApplication, QWidget
except ImportError as exc:  # a system library Qt needs is missing: say which one
    unavailable = from_import_error(exc)
    if unavailable is None:
        raise
    raise unavailable from None

from ecip_reader import APP_NAME, __version__
from ecip_reader.errors import UserError
from ecip_reader.library.catalogue import Catalogue, load_catalogue
from ecip_reader.paths import AppPaths, bundled_library_dir
from ecip_reader.search.other_sources import SourceSearches
from ecip_reader.settings import Settings, policy_of
from ecip_reader.timing import ms_since_process_start
from ecip_reader.ui.search.host import SearchHost
from ecip_reader.ui.services import Services
from ecip_reader.ui.tasks import TaskRunner
from ecip_reader.userdata.reading_history import ReadingHistory
from ecip_reader.writable import prepare_folders

if TYPE_CHECKING:
    from ecip_reader.search.service import SearchService
    from ecip_reader.ui.main.window import MainWindow
    from ecip_reader.ui.notes.integration import NotesFeature
    from ecip_reader.ui.render.client import RenderClient
    from ecip_reader.ui.teach.feature import SessionFeature

log = logging.getLogger(__name__)


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication (made once per process), on the Fusion style.

    Before it is made, :func:`check_platform` makes sure Qt can start, since Qt
    aborts the process when it cannot: :class:`QtUnavailable` says what is missing.
    """
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    check_platform()
    app = QApplication(list(argv if argv is not None else sys.argv[:1]))
    app.setApplicationName(APP_NAME)
    # No application display name: the window system would add it to every window's
    # title, and small dialogs would show "Go to … eader". The main window's title
    # names the reader itself.
    app.setApplicationVersion(__version__)
    app.setOrganizationName("ECIP Case-Study Reader")
    app.setDesktopFileName(APP_NAME)
    app.setStyle("Fusion")
    return app


class RenderClientHolder:
    """Starts the render worker process the first time a page or cover is needed."""

    def __init__(self) -> None:
        self.client: RenderClient | None = None
        self.closed = False

    def __call__(self) -> RenderClient:
        if self.closed:
            raise UserError("The reader is closing.")
        if self.client is None:
            from ecip_reader.ui.render.client import RenderClient

            self.client = RenderClient()
        return self.client

    def close(self) -> None:
        self.closed = True
        client, self.client = self.client, None
        if client is not None:
            client.close()


@dataclass
class StartupTimes:
    load_catalogue_ms: float = 0.0


def policy_message(problems: Sequence[str]) -> str | None:
    """What the window says about mistakes in the organisation's policy (``None``: none)."""
    if not problems:
        return None
    if len(problems) == 1:
        return problems[0]
    return (
        f"The organisation's policy has {len(problems)} mistakes, listed in Help → About "
        f"(none of them unlocks a setting); the first: {problems[0]}"
    )


def build_services(
    paths: AppPaths, tasks: TaskRunner | None = None, times: StartupTimes | None = None
) -> tuple[Services, RenderClientHolder]:
    """Every core object the window needs, built once; never fails for the user's folders.

    A folder that cannot be written is reported in ``Services.folders``; the
    cache is then a temporary folder, settings and history live in memory.
    """
    folders = prepare_folders(paths)
    paths = folders.paths
    settings = Settings(paths.settings_file, policy_of(paths))
    history = ReadingHistory.for_paths(paths)
    tasks = tasks or TaskRunner(max_threads=2)
    library_dir = bundled_library_dir()
    catalogue: Catalogue | None = None
    catalogue_error: str | None = None
    started = time.perf_counter()
    try:
        catalogue = load_catalogue(library_dir)
    except UserError as exc:
        catalogue_error = f"The library could not be loaded: {exc}"
        log.warning("%s", catalogue_error)
    if times is not None:
        times.load_catalogue_ms = (time.perf_counter() - started) * 1000.0
    sources = SourceSearches()
    search = _search_host(tasks, paths, library_dir, catalogue, sources)
    holder = RenderClientHolder()
    services = Services(
        paths=paths,
        settings=settings,
        history=history,
        tasks=tasks,
        catalogue=catalogue,
        search=search,
        render_client=holder,
        catalogue_error=catalogue_error,
        sources=sources,
        folders=folders,
        policy_problem=policy_message(settings.policy.problems),
    )
    return services, holder


def _search_host(
    tasks: TaskRunner,
    paths: AppPaths,
    library_dir: Path,
    catalogue: Catalogue | None,
    sources: SourceSearches,
) -> SearchHost:
    def factory() -> SearchService:
        # Whoosh is imported here, on a worker thread, after the first paint.
        from ecip_reader.search.combined import CombinedSearch
        from ecip_reader.search.service import bundled_index_dir
        from ecip_reader.search.trust import trusted_folders

        trusted = trusted_folders(paths)
        return CombinedSearch(bundled_index_dir(paths), library_dir, catalogue, sources, trusted)

    return SearchHost(tasks, factory)


class FirstPaintWatcher(QObject):
    """Notes the moment a widget is first painted (milliseconds since the process began)."""

    painted = Signal(float)

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.first_paint_ms: float | None = None
        widget.installEventFilter(self)
        self._widget = widget

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._widget
            and event.type() == QEvent.Type.Paint
            and self.first_paint_ms is None
        ):
            self.first_paint_ms = ms_since_process_start()
            self._widget.removeEventFilter(self)
            # let this paint finish before announcing it
            QTimer.singleShot(0, lambda: self.painted.emit(self.first_paint_ms))
        return False


@dataclass
class Running:
    """A started application: what ``run_gui`` and the self-test need to hold on to."""

    app: QApplication
    window: MainWindow
    services: Services
    render: RenderClientHolder
    watcher: FirstPaintWatcher
    times: StartupTimes
    notes: NotesFeature | None = None
    sessions: SessionFeature | None = None

    def after_first_paint(self) -> None:
        """Add the notes feature, then restore tabs and start the background work."""
        self.attach_notes()
        self.window.start_background_work()

    def attach_notes(self) -> None:
        if self.notes is not None:
            return
        from ecip_reader.ui.notes.commands import ANNOTATE_COMMANDS
        from ecip_reader.ui.notes.integration import NotesFeature

        try:
            self.notes = NotesFeature.create(self.window)
        except UserError as exc:
            self.window.message_bar.show_message(str(exc))
            return
        except Exception as exc:  # a bug: the reader still works without notes
            log.exception("the notes feature could not be started")
            self.window.message_bar.show_bug(f"{type(exc).__name__}: {exc}")
            return
        self.window.extra_commands.extend(ANNOTATE_COMMANDS)
        self.attach_sessions(self.notes)

    def attach_sessions(self, notes: NotesFeature) -> None:
        """Session plans and the Teach menu (they keep their stops in the notes store)."""
        from ecip_reader.ui.teach.commands import TEACH_COMMANDS
        from ecip_reader.ui.teach.feature import SessionFeature

        try:
            self.sessions = SessionFeature(self.window, notes)
        except Exception as exc:  # a bug: the reader still works without session plans
            log.exception("the session plans could not be started")
            self.window.message_bar.show_bug(f"{type(exc).__name__}: {exc}")
            return
        self.window.extra_commands.extend(TEACH_COMMANDS)

    def shutdown(self) -> None:
        if self.sessions is not None:
            self.sessions.close()
            self.sessions = None
        if self.notes is not None:
            self.notes.close()
            self.notes = None
        self.services.search.close()
        self.render.close()
        self.services.tasks.wait(5000)


def start(paths: AppPaths, on_first_paint: Callable[[float], None] | None = None) -> Running:
    """Build everything and show the main window; background work begins after the first paint."""
    app = create_application()
    times = StartupTimes()
    services, holder = build_services(paths, times=times)
    from ecip_reader.ui.main.window import MainWindow

    window = MainWindow(services)
    watcher = FirstPaintWatcher(window)
    running = Running(app, window, services, holder, watcher, times)
    watcher.painted.connect(lambda _ms: running.after_first_paint())
    if on_first_paint is not None:
        watcher.painted.connect(on_first_paint)
    window.show()
    app.aboutToQuit.connect(running.shutdown)
    return running


def run_gui(paths: AppPaths, files: Sequence[str] = ()) -> int:
    """Open the main window (and ``files``) and run until it is closed.

    When the reader already runs for this user and data folder, that window is
    raised and opens ``files`` instead, and this process ends at once.
    """
    multiprocessing.freeze_support()
    from ecip_reader.ui.main import single_instance

    create_application()
    if single_instance.send_to_running(paths, files[0] if files else None):
        for file in files[1:]:
            single_instance.send_to_running(paths, file)
        return 0
    running = start(paths)
    single_instance.serve(running.window, paths)
    for file in files:
        running.watcher.painted.connect(
            lambda _ms, file=file: single_instance.bring_forward(running.window, file)
        )
    code = running.app.exec()
    return int(code)
