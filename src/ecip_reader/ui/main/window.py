"""The main window: library, search, document tabs, menus, toolbar and status bar.

It is built from the :class:`Services` made by ``ecip_reader.app`` and holds no
data of its own: the catalogue, settings, reading history and search live in
the core; the widgets show them. Work that can take long starts after the
first paint (:meth:`MainWindow.start_background_work`).
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QInputDialog,
    QLayout,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from ecip_reader import APP_TITLE
from ecip_reader.errors import UserError
from ecip_reader.library.catalogue import CatalogueEntry
from ecip_reader.ui import accessible, icons, locks, theme
from ecip_reader.ui.library.model import LibraryFilter, LibraryModel
from ecip_reader.ui.library.view import LibraryPage
from ecip_reader.ui.main import actions as commands
from ecip_reader.ui.main import chrome, screen_fit
from ecip_reader.ui.main.about import AboutDialog
from ecip_reader.ui.main.keeping import SettingsKeeper
from ecip_reader.ui.main.reading import ReadingWiring, shortcut_rows
from ecip_reader.ui.main.sources import SourcesController
from ecip_reader.ui.main.storage import StorageWatch
from ecip_reader.ui.main.theme_toggle import ThemeToggle
from ecip_reader.ui.reader.tabs import DocumentTabs
from ecip_reader.ui.render.thumbnails import ThumbnailCache
from ecip_reader.ui.search.dock import SearchDock
from ecip_reader.ui.services import Services
from ecip_reader.ui.status import MessageBar, WorkIndicator
from ecip_reader.writable import CACHE, CONFIG, DATA

log = logging.getLogger(__name__)

SETTINGS_DELAY_MS = 600
READING_DELAY_MS = 400

# command -> method of the current document view, and its arguments
VIEW_COMMANDS: dict[str, tuple[str, tuple[object, ...]]] = {
    "zoom_in": ("zoom_in", ()),
    "zoom_out": ("zoom_out", ()),
    "fit_width": ("set_zoom", ("fit-width",)),
    "fit_page": ("set_zoom", ("fit-page",)),
    "print": ("print_document", ()),
    "find_in_document": ("open_find", ()),
    "copy": ("copy_selection", ()),
    "rotate_right": ("rotate", (90,)),
    "rotate_left": ("rotate", (-90,)),
    "side_panel": ("toggle_side_panel", ()),
    "present": ("start_presentation", ()),
    "back": ("back", ()),
    "forward": ("forward", ()),
}
MINIMUM_SIZE = QSize(820, 560)


class MainWindow(QMainWindow):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(icons.icon("app"))
        self.setAccessibleName(APP_TITLE)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.theme = theme.ThemeController(app, services.settings.theme(), self)
        self.action_map = commands.build_actions(self)

        catalogue = services.catalogue
        entries = list(catalogue) if catalogue is not None else []
        self.library_model = LibraryModel(entries, self)
        self.library_filter = LibraryFilter(self)
        self.thumbnails = ThumbnailCache(services.paths.thumbnails, catalogue, services.tasks, self)
        self.library_model.set_thumbnail_source(self.thumbnails.pixmap)
        self.library = LibraryPage(self.library_model, self.library_filter, self.thumbnails.pixmap)
        self.tabs = DocumentTabs(services, self.library)
        self.message_bar = MessageBar()
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.work = WorkIndicator(self.statusBar())
        # says once which folders cannot be written, and notices when they can again
        self.storage = StorageWatch(
            services.paths,
            services.folders,
            services.tasks,
            self.message_bar,
            self.statusBar(),
            self,
        )
        self.search_dock = SearchDock(
            self, services.tasks, services.search, self.work, self.message_bar
        )
        self.search_panel = self.search_dock.panel
        self.sources = SourcesController(self, self, services.sources)  # folders, My documents

        # The window's own minimum is fixed here; the layout does not move it later (a
        # window whose size limits change while shown is a needless round trip to the
        # window system, and some platforms cannot do it at all).
        main_layout = self.layout()
        if main_layout is not None:
            main_layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(MINIMUM_SIZE)

        self.menus = chrome.build_menus(self.menuBar(), self.action_map)
        self.disabled_tips = locks.DisabledTips(self)  # "Set by your organisation" in menus
        for menu in self.menus.values():
            self.disabled_tips.watch(menu)
        self.toolbar = chrome.build_toolbar(self, self.action_map, self.search_panel.field)
        self.keeper = SettingsKeeper(
            services.settings,
            self.storage,
            self.message_bar,
            self.theme,
            self.action_map,
            self.menus,
        )
        self._connect()
        # the toolbar's light/dark switch, which says which theme is on
        self.theme_toggle = ThemeToggle(self.action_map, self.theme, self.set_theme, self)
        self.reading = ReadingWiring(self, self)  # night reading, links, Back across tabs
        self._restore_settings()
        self._reading_timer = QTimer(self)  # reading moves page by page; the library catches up
        self._reading_timer.setSingleShot(True)
        self._reading_timer.setInterval(READING_DELAY_MS)
        self._reading_timer.timeout.connect(self._reading_changed)
        self._settings_timer = QTimer(self)
        self._settings_timer.setSingleShot(True)
        self._settings_timer.setInterval(SETTINGS_DELAY_MS)
        self._settings_timer.timeout.connect(self._save_library_settings)
        self.library_filter.filters_changed.connect(self._settings_timer.start)
        self.library.set_reading(services.history)
        self._update_actions()
        self.library.current_view().setFocus(Qt.FocusReason.OtherFocusReason)

        for problem in (
            services.policy_problem,
            services.catalogue_error,
            services.settings.load_error,
            services.history.load_error,
        ):
            if problem:
                self.message_bar.show_message(problem)
        self._background_started = False
        self._closed = False
        # commands added by features (notes) for the keyboard shortcuts dialog
        self.extra_commands: list[commands.Command] = []

    def _connect(self) -> None:
        a = self.action_map
        a["show_library"].triggered.connect(lambda: self.tabs.setCurrentIndex(0))
        a["open_selected"].triggered.connect(self._open_selected)
        a["close_tab"].triggered.connect(self.tabs.close_current)
        a["quit"].triggered.connect(self.close)
        a["search"].triggered.connect(self.search_dock.focus_search)
        a["next_hit"].triggered.connect(self.search_panel.next_hit)
        a["previous_hit"].triggered.connect(self.search_panel.previous_hit)
        a["filter_library"].triggered.connect(self._focus_library_filter)
        a["clear_filters"].triggered.connect(self.library_filter.clear)
        a["grid_view"].triggered.connect(lambda: self.set_library_view("grid"))
        a["list_view"].triggered.connect(lambda: self.set_library_view("list"))
        a["toggle_search_panel"].triggered.connect(lambda on=False: self.search_dock.setVisible(on))
        self.search_dock.visibilityChanged.connect(a["toggle_search_panel"].setChecked)
        for name, (method, args) in VIEW_COMMANDS.items():
            a[name].triggered.connect(lambda _c=False, m=method, g=args: self._with_view(m, *g))
        for choice in theme.CHOICES:
            a[f"theme_{choice}"].triggered.connect(lambda _c=False, ch=choice: self.set_theme(ch))
        a["full_screen"].triggered.connect(self._full_screen)
        a["next_tab"].triggered.connect(lambda: self.tabs.cycle(1))
        a["previous_tab"].triggered.connect(lambda: self.tabs.cycle(-1))
        a["go_to_page"].triggered.connect(self._go_to_page)
        a["shortcuts"].triggered.connect(self.show_shortcuts)
        a["context_menu"].triggered.connect(lambda: accessible.open_context_menu())
        a["about"].triggered.connect(self._about)

        self.library.open_requested.connect(lambda doc_id: self.open_document(doc_id))
        self.library.current_changed.connect(self._library_selection)
        self.search_dock.leave_requested.connect(
            lambda: self.tabs.currentWidget().setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        self.search_dock.became_ready.connect(self._search_ready)
        self.tabs.document_failed.connect(self.message_bar.show_message)
        self.tabs.storage_failed.connect(lambda text: self.storage.failed(DATA, text))
        self.tabs.current_document_changed.connect(lambda _doc_id: self._update_actions())
        self.tabs.history_changed.connect(lambda _doc_id: self._reading_timer.start())
        tasks = self.services.tasks
        tasks.user_error.connect(self.message_bar.show_message)
        tasks.bug.connect(self.message_bar.show_bug)
        self.thumbnails.ready.connect(self._cover_ready)
        self.thumbnails.progress.connect(
            lambda done, total: self.work.update_work("covers", "Making covers", done, total)
        )
        self.thumbnails.finished.connect(lambda: self.work.finish("covers"))
        self.thumbnails.write_failed.connect(lambda text: self.storage.failed(CACHE, text))
        self.theme.changed.connect(self._theme_changed)
        self.storage.changed.connect(self._storage_changed)

    def _restore_settings(self) -> None:
        settings = self.services.settings
        geometry = settings.window_geometry()
        restored = False
        if geometry:
            try:
                restored = self.restoreGeometry(QByteArray(base64.b64decode(geometry)))
            except ValueError:
                restored = False
        if not restored:
            self.resize(1360, 860)
        self.fit_to_screen()
        self.library_filter.set_filters(settings.library_filters())
        self.set_library_view(settings.library_layout(), save=False)
        self.keeper.show_theme_lock()

    def fit_to_screen(self) -> None:
        """Keep the whole window on its screen (see :mod:`.screen_fit`)."""
        screen_fit.fit_to_screen(self, MINIMUM_SIZE)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        screen_fit.follow_screen(self, MINIMUM_SIZE)

    # -- start-up after the first paint ------------------------------------------------

    def start_background_work(self) -> None:
        """Restore the last session's tabs, prepare search and make missing covers."""
        if self._background_started:
            return
        self._background_started = True
        history = self.services.history
        if self.services.catalogue is not None:
            history.keep_only(
                [*(e.id for e in self.services.catalogue), *self.sources.other_ids(history)]
            )
        self.tabs.restore(history.open_tabs, history.current_tab, self.library_model.entry)
        self.services.search.start()
        self.sources.load_folders()
        missing = len(self.thumbnails.missing())
        if missing:
            self.work.update_work("covers", "Making covers", 0, missing)
            QTimer.singleShot(0, self, self._make_covers)

    def _make_covers(self) -> None:
        if self._closed:
            return
        try:
            client = self.services.render_client()
        except UserError as exc:
            self.work.finish("covers")
            self.message_bar.show_message(str(exc))
            return
        self.thumbnails.generate_missing(client)

    # -- documents ---------------------------------------------------------------------

    def entry(self, doc_id: str) -> CatalogueEntry | None:
        return self.library_model.entry(doc_id)

    def library_entry_at(self, path: Path) -> CatalogueEntry | None:
        return self.reading.library_entry_at(path)

    def open_document(
        self, doc_id: str, page: int | None = None, terms: Sequence[str] = ()
    ) -> None:
        entry = self.reading.known_entry(doc_id)
        if entry is None:
            self.message_bar.show_message(f"The document {doc_id!r} is not in the library.")
            return
        self.reading.open_entry(entry, page if page else None, tuple(terms))

    def _open_selected(self) -> None:
        doc_id = self.library.selected_id()
        if doc_id is not None:
            self.open_document(doc_id)

    def _with_view(self, method: str, *args: object) -> None:
        view = self.tabs.current_view()
        call = getattr(view, method, None) if view is not None else None
        if callable(call):
            call(*args)

    def _go_to_page(self) -> None:
        view = self.tabs.current_view()
        if view is None or view.page_count() < 1:
            return
        page, ok = QInputDialog.getInt(
            self,
            "Go to Page",
            f"Page (1–{view.page_count()}):",
            view.current_page(),
            1,
            view.page_count(),
        )
        if ok:
            view.go_to_page(page)

    def _update_actions(self) -> None:
        has_view = self.tabs.current_tab() is not None
        for name in ("close_tab", "go_to_page", *VIEW_COMMANDS):
            self.action_map[name].setEnabled(has_view)
        on_library = not has_view
        self.action_map["open_selected"].setEnabled(on_library)

    # -- library -----------------------------------------------------------------------

    def set_library_view(self, mode: str, save: bool = True) -> None:
        self.library.set_view_mode(mode)
        mode = self.library.view_mode()
        self.action_map["grid_view"].setChecked(mode == "grid")
        self.action_map["list_view"].setChecked(mode == "list")
        if save:
            self.tabs.setCurrentIndex(0)
            self._settings_timer.start()

    def _focus_library_filter(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.library.filters.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.library.filters.text.selectAll()

    def _library_selection(self, doc_id: str) -> None:
        entry = self.entry(doc_id)
        if entry is None:
            return
        related = [e for e in (self.entry(r) for r in entry.related) if e is not None]
        self.library.show_details(entry, related, self.services.history.position(doc_id))
        self._more_like_this(doc_id)

    def _more_like_this(self, doc_id: str) -> None:
        search = self.services.search
        if not search.ready:
            self.library.details.set_more_like_this(doc_id, None)
            return

        def found(ids: list[str]) -> None:
            entries = [e for e in (self.entry(i) for i in ids if i != doc_id) if e is not None]
            self.library.details.set_more_like_this(doc_id, entries)

        self.services.tasks.run(lambda: search.more_like_this(doc_id), on_success=found)

    def _search_ready(self) -> None:
        selected = self.library.selected_id()
        if selected:
            self._more_like_this(selected)

    def _reading_changed(self) -> None:
        self.library.set_reading(self.services.history)

    def _cover_ready(self, doc_id: str) -> None:
        self.library_model.thumbnail_changed(doc_id)
        if doc_id in self.library.continue_strip.doc_ids:
            self.library.continue_strip.refresh_look()
        current = self.library.selected_id()
        if current == doc_id:
            self._library_selection(doc_id)

    def _save_library_settings(self) -> None:
        self._settings_timer.stop()
        self.keeper.save_library(self.library_filter.filters(), self.library.view_mode())

    def _storage_changed(self, role: str) -> None:
        """A folder can be written again (or no longer): save what waited in memory."""
        if self.storage.is_failing(role):
            return
        if role == CONFIG:
            self.keeper.resave()
        elif role == DATA:
            self.tabs.save_history()
        elif role == CACHE:
            self.thumbnails.resume_writes()

    # -- look --------------------------------------------------------------------------

    def set_theme(self, choice: str) -> None:
        self.keeper.set_theme(choice)

    def _theme_changed(self, _scheme: str) -> None:
        theme.recolour_links(self)
        commands.refresh_icons(self.action_map)
        self.message_bar.refresh_icons()
        self.tabs.refresh_icons()
        self.search_panel.refresh_look()
        self.library.refresh_look()
        for tab in self.tabs.document_tabs():
            if tab.view is not None:
                tab.view.refresh_look()

    def _full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    # -- dialogs and problems ----------------------------------------------------------

    def show_shortcuts(self) -> commands.ShortcutsDialog:
        every = (*commands.COMMANDS, *self.extra_commands)
        dialog = commands.ShortcutsDialog(every, self, shortcut_rows(every))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _about(self) -> AboutDialog:
        catalogue = self.services.catalogue
        settings = self.services.settings
        return chrome.show_about(
            self,
            len(catalogue) if catalogue is not None else 0,
            locks.managed_lines(settings),
            settings.policy.problems,
        )

    # -- keyboard ----------------------------------------------------------------------

    def focus_blocks(self) -> list[QWidget]:
        """The window's regions in the order Tab visits them (see :mod:`..accessible`)."""
        docks = [d for d in self.findChildren(QDockWidget) if not d.isFloating()]
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        page = self.tabs.currentWidget()
        view = self.tabs.current_view()
        inner = view.focus_blocks() if view is not None else self.library.focus_blocks()
        return [
            self.toolbar,
            *(d for d in docks if self.dockWidgetArea(d) == left),
            self.message_bar,
            *([central] if (central := self.centralWidget()) is not None else []),
            self.tabs.tabBar(),
            *([page] if page is not None else []),
            *inner,
            *(d for d in docks if self.dockWidgetArea(d) != left),
        ]

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab go round the window region by region, as it looks on screen."""
        return accessible.move_focus(self, self.focus_blocks(), next)

    # -- closing -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed:  # closed once already: nothing more to save
            super().closeEvent(event)
            return
        self._closed = True
        self.storage.stop()
        self.tabs.close_all_views()
        self.thumbnails.stop()
        self._save_library_settings()
        self.keeper.save_geometry(base64.b64encode(bytes(self.saveGeometry().data())).decode())
        super().closeEvent(event)

    def action(self, name: str) -> QAction:
        return self.action_map[name]
