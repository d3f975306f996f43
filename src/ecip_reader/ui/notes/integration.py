"""Notes in the main window, wired in one call: ``NotesFeature.create(window)``.

It opens the notes store, makes the :class:`Annotator` and the
:class:`AnnotationController`, adds the Annotate menu before Help, the notes
and bookmarks panels as docks, and the notes notice under the message bar;
it attaches the controller to every document view the tabs make, and sends
problems to the window's message bar.

While notes cannot be saved (a full disk, a read-only data folder) the
window's :class:`~ecip_reader.ui.main.storage.StorageWatch` says so once and
keeps checking; when the data folder can be written again, the store is tried
again and the write actions come back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QTabBar, QTabWidget, QVBoxLayout, QWidget

from ecip_reader.ui.locks import lock_action
from ecip_reader.ui.main.chrome import insert_feature_menu
from ecip_reader.ui.notes.bookmarks import BookmarksPanel
from ecip_reader.ui.notes.controller import AnnotationController
from ecip_reader.ui.notes.dialogs import (
    ExportDialog,
    LayersDialog,
    PreferencesDialog,
    choose_pack,
    export_allowed,
    start_import,
)
from ecip_reader.ui.notes.notice import NotesNotice
from ecip_reader.ui.notes.panel import AnnotationsPanel
from ecip_reader.ui.search.note_search import NoteSearch, catalogue_lookup
from ecip_reader.userdata import Annotator, DocumentRef, UserDataStore
from ecip_reader.userdata.print_copy import NotesSource
from ecip_reader.writable import DATA

if TYPE_CHECKING:
    from ecip_reader.ui.main.window import MainWindow

STATUS_MS = 6000  # how long a "done" message stays in the status bar


class NotesFeature(QObject):
    def __init__(self, window: MainWindow, store: UserDataStore, annotator: Annotator) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.annotator = annotator
        services = window.services
        self.controller = AnnotationController(store, annotator, services.settings, self)
        self.controller.problem.connect(window.message_bar.show_message)
        self.controller.storage_failed.connect(lambda text: window.storage.failed(DATA, text))
        self.controller.told.connect(self.say)
        self.controller.notice.connect(self.say)
        self.controller.open_requested.connect(
            lambda doc_id, page: window.open_document(doc_id, page)
        )
        self.annotations_panel = AnnotationsPanel(store)
        self.bookmarks_panel = BookmarksPanel(store, annotator)
        self.bookmarks_panel.problem.connect(window.message_bar.show_message)
        self.annotations_panel.jump_requested.connect(
            lambda h, doc_id, page, uuid: self.controller.go_to(h, page, uuid, doc_id)
        )
        self.bookmarks_panel.jump_requested.connect(
            lambda h, doc_id, page: self.controller.go_to(h, page, None, doc_id)
        )
        self.controller.current_document_changed.connect(self.annotations_panel.set_document)
        self.controller.current_document_changed.connect(self.bookmarks_panel.set_document)
        self.annotations_dock = self._dock("Notes", "notesDock", self.annotations_panel)
        self.bookmarks_dock = self._dock("Bookmarks", "bookmarksDock", self.bookmarks_panel)
        # One above the other, the notes list got a sliver of the height: as tabs of one
        # panel, each list has all of it.
        window.setTabPosition(Qt.DockWidgetArea.RightDockWidgetArea, QTabWidget.TabPosition.North)
        window.tabifyDockWidget(self.annotations_dock, self.bookmarks_dock)
        for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            bar.setAccessibleName("Notes and bookmarks panels")  # Qt makes it nameless
            # Qt keeps it "visible", empty, while both panels are closed; the panels'
            # commands (Annotate menu) switch between them from the keyboard.
            bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.menu = self.controller.build_menu(window.menuBar())
        insert_feature_menu(window.menuBar(), self.menu)
        window.disabled_tips.watch(self.menu)  # greyed-out items still say why
        self._connect_panel_action("annotations_panel", self.annotations_dock)
        self._connect_panel_action("bookmarks_panel", self.bookmarks_dock)
        self.controller.action("export").triggered.connect(self.export)
        self.controller.action("import").triggered.connect(self.import_pack)
        self.controller.action("layers").triggered.connect(self.show_layers)
        self.controller.action("preferences").triggered.connect(self.show_preferences)
        if not export_allowed(services.settings):
            lock_action(self.controller.action("export"))
        self._import_tips = (
            self.controller.action("import").toolTip(),
            self.controller.action("import").statusTip(),
        )
        self.notice = NotesNotice(store)
        self.notice.problem.connect(window.message_bar.show_message)
        central = window.centralWidget()
        layout = central.layout() if central is not None else None
        # A store that is read-only only because the folder refused is the storage
        # watch's to report (once, with the other folders) and to check again.
        watched = store.recovery is None and store.can_become_writable
        if watched:
            reason = store.not_writable_reason or ""
            window.storage.failed(DATA, window.storage.reason(DATA) or reason)
            self.notice.hide()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(1, self.notice)
            if not watched:
                self.notice.refresh()  # shown again now that it is inside the window
        # the data folder counts as writable again only once the notes database takes a write
        self._closed = False
        window.storage.add_check(DATA, self._store_takes_writes)
        window.storage.changed.connect(self._storage_changed)
        self._update_import()
        window.tabs.current_document_changed.connect(self._tab_changed)
        # The main search finds the reader's notes too ("your note" results).
        panel = window.search_panel
        current = panel.search_function()
        self._document_search = current.documents if isinstance(current, NoteSearch) else current
        if self._document_search is not None:
            lookup = catalogue_lookup(services.catalogue)
            panel.set_search_function(NoteSearch(self._document_search, store, lookup), notes=True)

    @classmethod
    def create(cls, window: MainWindow) -> NotesFeature:
        """Open the notes store of the window's user folders and wire everything."""
        services = window.services
        store = UserDataStore.open(services.paths)
        annotator = Annotator(store, services.settings.author_name())
        return cls(window, store, annotator)

    def close(self) -> None:
        """Stop listening and close the store (at application exit, after the window closed)."""
        try:
            panel = self.window.search_panel
            if isinstance(panel.search_function(), NoteSearch):
                panel.set_search_function(self._document_search)
        except RuntimeError:  # the window is already gone
            pass
        self._closed = True
        self.controller.close()
        self.annotator.history.close()
        self.store.close()

    # -- building ---------------------------------------------------------------------

    def _dock(self, title: str, name: str, panel: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setAccessibleName(f"{title} panel")
        dock.setWidget(panel)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        dock.setAllowedAreas(
            Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.hide()
        return dock

    def _connect_panel_action(self, name: str, dock: QDockWidget) -> None:
        action = self.controller.action(name)
        action.triggered.connect(lambda checked=False: self._show_dock(dock, bool(checked)))
        dock.visibilityChanged.connect(lambda _shown: action.setChecked(not dock.isHidden()))

    def _show_dock(self, dock: QDockWidget, shown: bool) -> None:
        """Show (its tab brought to the front) or hide a panel.

        A panel open behind the other one's tab is brought to the front, not hidden.
        """
        behind = not dock.isHidden() and dock.visibleRegion().isEmpty()
        if shown or behind:
            dock.show()
            dock.raise_()
        else:
            dock.hide()
        for name, panel in (
            ("annotations_panel", self.annotations_dock),
            ("bookmarks_panel", self.bookmarks_dock),
        ):
            self.controller.action(name).setChecked(not panel.isHidden())

    # -- reactions ----------------------------------------------------------------------

    def _update_import(self) -> None:
        action = self.controller.action("import")
        reason = self.store.not_writable_reason
        action.setEnabled(reason is None)
        tip, status = self._import_tips
        action.setToolTip(reason or tip)
        action.setStatusTip(reason or status)

    def _store_takes_writes(self) -> bool:
        """On a worker thread: whether the notes database can be written now."""
        if self._closed or not self.store.can_become_writable:
            return True  # read-only for good (a newer version's notes): nothing to wait for
        return self.store.try_writes_again()

    def _storage_changed(self, role: str) -> None:
        """Writing notes stopped or works again: the actions follow."""
        if role != DATA:
            return
        self.controller.update_actions()
        if self.store.writable and self.store.recovery is None:
            self.notice.hide()
        self._update_import()

    def say(self, text: str) -> None:
        """Tell the user what was just done, in the status bar, for a few seconds."""
        self.window.statusBar().showMessage(text, STATUS_MS)

    def _tab_changed(self, doc_id: str) -> None:
        tab = self.window.tabs.tab_of(doc_id) if doc_id else None
        view = tab.view if tab is not None else None
        if tab is not None and view is not None and self.controller.overlay(view) is None:
            entry = tab.entry
            self.controller.attach(view, DocumentRef(entry.sha256, entry.id, entry.title))
            if entry.sha256:  # its notes can be printed with it
                view.print_notes = NotesSource(self.window.services.paths, entry.sha256)
        self.controller.set_current_view(view)

    def documents(self) -> dict[str, tuple[DocumentRef, Path | None]]:
        catalogue = self.window.services.catalogue
        if catalogue is None:
            return {}
        return {
            e.sha256: (DocumentRef(e.sha256, e.id, e.title), catalogue.path_of(e))
            for e in catalogue
        }

    def export(self) -> ExportDialog:
        services = self.window.services
        dialog = ExportDialog(
            self.store,
            services.settings,
            services.tasks,
            services.paths,
            self.documents(),
            self.controller.current_document(),
            self.window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(self.say)
        dialog.open()
        return dialog

    def import_pack(self, path: Path | None = None) -> None:
        chosen = path or choose_pack(self.window)
        if chosen is None:
            return
        bar = self.window.message_bar
        start_import(
            self.window.services.tasks, self.store, chosen, bar.show_message, bar.show_message
        )

    def show_layers(self) -> LayersDialog:
        dialog = LayersDialog(self.store, self.annotator, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.problem.connect(self.window.message_bar.show_message)
        dialog.open()
        return dialog

    def show_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(
            self.store, self.annotator, self.window.services.settings, self.window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.problem.connect(self.window.message_bar.show_message)
        dialog.open()
        return dialog
