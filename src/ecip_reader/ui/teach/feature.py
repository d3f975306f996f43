"""Session plans in the main window, wired in one call: ``SessionFeature(window, notes)``.

It adds the Teach menu before Help, the Session Plan panel as a dock, "Add to
Session Plan" in the menu of a page, a highlight, a note and a bookmark, and
presents a plan: its documents are opened in the render worker, Space steps
from stop to stop, and at the end the reader shows the page presented last.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QListView, QMenu

from ecip_reader.errors import UserError
from ecip_reader.library.catalogue import CatalogueEntry
from ecip_reader.ui.accessible import menus_at_current_item
from ecip_reader.ui.main.chrome import insert_feature_menu
from ecip_reader.ui.notes.bookmarks import BOOKMARK_ROLE
from ecip_reader.ui.notes.panel import ANNOTATION_ROLE
from ecip_reader.ui.present.presenter import Presenter
from ecip_reader.ui.present.session_run import OpenDocument, SessionRun
from ecip_reader.ui.present.window import PresentationWindow
from ecip_reader.ui.teach.commands import TEACH_COMMANDS, build_teach_actions
from ecip_reader.ui.teach.panel import SessionPanel
from ecip_reader.userdata import Annotation, AnnotationKind, Bookmark, DocumentRef
from ecip_reader.userdata.session_editing import SessionEditor

if TYPE_CHECKING:
    from ecip_reader.ui.main.window import MainWindow
    from ecip_reader.ui.notes.integration import NotesFeature

REGION_MARGIN = 24.0  # points around a highlight when a stop enlarges it
PANEL_WIDTH = 360
LABEL_CHARS = 80


def stop_for(annotation: Annotation) -> tuple[tuple[float, float, float, float] | None, str]:
    """The region a stop made from ``annotation`` enlarges, and its label."""
    boxes = [q.rect for q in annotation.quads]
    if annotation.ink_bounds is not None:
        boxes.append(annotation.ink_bounds)
    if annotation.point is not None and annotation.kind is AnnotationKind.STICKY_NOTE:
        x, y = annotation.point
        boxes.append((x, y, x + 18.0, y + 18.0))
    label = " ".join(annotation.quote.split())
    if len(label) > LABEL_CHARS:
        label = label[: LABEL_CHARS - 1].rstrip() + "…"
    if not label:
        label = "Drawing" if annotation.kind is AnnotationKind.INK else "Note"
    if not boxes:
        return None, label
    x0 = min(b[0] for b in boxes) - REGION_MARGIN
    y0 = min(b[1] for b in boxes) - REGION_MARGIN
    x1 = max(b[2] for b in boxes) + REGION_MARGIN
    y1 = max(b[3] for b in boxes) + REGION_MARGIN
    # At least the shape of a projector's screen, so the passage is seen with its context.
    width, height = x1 - x0, y1 - y0
    if height < width * 9 / 16:
        grow = (width * 9 / 16 - height) / 2
        y0, y1 = y0 - grow, y1 + grow
    elif width < height * 16 / 9:
        grow = (height * 16 / 9 - width) / 2
        x0, x1 = x0 - grow, x1 + grow
    if x0 < 0:
        x0, x1 = 0.0, x1 - x0
    if y0 < 0:
        y0, y1 = 0.0, y1 - y0
    return (round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)), label


class SessionFeature(QObject):
    def __init__(self, window: MainWindow, notes: NotesFeature) -> None:
        super().__init__(window)
        self.window = window
        self.notes = notes
        self.store = notes.store
        self.editor = SessionEditor(notes.annotator)
        self.actions = build_teach_actions(window)
        self.panel = SessionPanel(self.store, self.editor, self.documents)
        self.panel.problem.connect(window.message_bar.show_message)
        self.panel.present_requested.connect(self.present)
        self.panel.open_requested.connect(self.open_stop)
        self.dock = QDockWidget("Session Plan", window)
        self.dock.setObjectName("sessionDock")
        self.dock.setAccessibleName("Session plan panel")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.menu = self._build_menu()
        window.addActions(list(self.actions.values()))  # the keys work with the menu closed
        self._connect()
        notes.controller.page_menu_extras.append(self._page_menu)
        for panel_list, role in (
            (notes.annotations_panel.list, ANNOTATION_ROLE),
            (notes.bookmarks_panel.list, BOOKMARK_ROLE),
        ):
            self._offer_in(panel_list, role)
        self.running: tuple[Presenter, SessionRun] | None = None
        self.last_menu: QMenu | None = None  # the last menu a panel showed
        self._widened = False
        self._closing = False  # the reader is closing: nothing more is opened
        window.installEventFilter(self)

    def _build_menu(self) -> QMenu:
        menu = QMenu("&Teach", self.window.menuBar())
        for command in TEACH_COMMANDS:
            if command.separator_before:
                menu.addSeparator()
            menu.addAction(self.actions[command.name])
        insert_feature_menu(self.window.menuBar(), menu)
        return menu

    def _connect(self) -> None:
        a = self.actions
        a["present_session"].triggered.connect(lambda: self.panel.present())
        a["add_to_session"].triggered.connect(self.add_current)
        a["new_session"].triggered.connect(lambda: self._show_panel() and self.panel.ask_new())
        a["session_panel"].triggered.connect(lambda on=False: self.dock.setVisible(bool(on)))
        self.dock.visibilityChanged.connect(a["session_panel"].setChecked)
        self.dock.visibilityChanged.connect(self._widen)
        writable = not self.store.read_only
        a["add_to_session"].setEnabled(writable)
        a["new_session"].setEnabled(writable)

    def _show_panel(self) -> bool:
        self.dock.show()
        self.dock.raise_()
        return True

    def _widen(self, visible: bool) -> None:
        """Give the panel room for a title and page on one line the first time it shows."""
        if visible and not self._widened:
            self._widened = True
            self.window.resizeDocks([self.dock], [PANEL_WIDTH], Qt.Orientation.Horizontal)

    # -- documents -----------------------------------------------------------------------

    def _entries(self) -> list[CatalogueEntry]:
        return list(self.window.library_model.entries())

    def documents(self) -> Mapping[str, DocumentRef]:
        """Every document the reader knows: recorded in the notes, or in the library."""
        known = dict(self.store.documents())
        known.update({e.sha256: DocumentRef(e.sha256, e.id, e.title) for e in self._entries()})
        return known

    def _entry(self, doc_hash: str) -> CatalogueEntry | None:
        return next((e for e in self._entries() if e.sha256 == doc_hash), None)

    def _path(self, entry: CatalogueEntry) -> Path | None:
        path = Path(entry.file)
        if path.is_absolute():
            return path
        catalogue = self.window.services.catalogue
        return catalogue.path_of(entry) if catalogue is not None else None

    # -- adding stops --------------------------------------------------------------------

    def _target_plan(self) -> str:
        """The plan new stops go to (one is started when there is none of the user's)."""
        plan = self.panel.own_plan()
        if plan is None:
            plan = self.editor.create("Session 1")
            self.panel.refresh()
        self.panel.choose_plan(plan.uuid)
        return plan.uuid

    def add_stop(
        self,
        document: DocumentRef,
        page: int,
        region: tuple[float, float, float, float] | None = None,
        label: str = "",
        note: str = "",
    ) -> None:
        try:
            plan = self._target_plan()
            self.editor.add_stop(plan, document, page, region, label, note)
        except UserError as exc:
            self.window.message_bar.show_message(str(exc))
            return
        added = self.store.session(plan)
        count = len(added.stops) if added else 0
        name = added.name if added else "the session plan"
        self.window.statusBar().showMessage(
            f"Added stop {count} to “{name}”: {document.display_title}, page {page}.", 5000
        )
        self.panel.refresh()

    def add_annotation(self, annotation: Annotation, document: DocumentRef) -> None:
        region, label = stop_for(annotation)
        self.add_stop(document, annotation.page, region, label, annotation.note)

    def add_bookmark(self, bookmark: Bookmark, document: DocumentRef) -> None:
        self.add_stop(document, bookmark.page, None, bookmark.label)

    def add_current(self) -> None:
        """Ctrl+J: the chosen highlight or note of the document shown, or else its page."""
        controller = self.notes.controller
        document = controller.current_document()
        view = self.window.tabs.current_view()
        if document is None or view is None:
            self.window.message_bar.show_message(
                "Open a document to add its page to the session plan."
            )
            return
        overlay = controller.overlay(view)
        chosen = overlay.selected() if overlay is not None else None
        if chosen is not None:
            self.add_annotation(chosen, document)
        else:
            self.add_stop(document, view.current_page())

    def _page_menu(
        self, menu: QMenu, document: DocumentRef, page: int, chosen: Annotation | None
    ) -> None:
        menu.addSeparator()
        if chosen is not None:
            what = "Highlight" if chosen.kind.is_markup else "Note"
            if chosen.kind is AnnotationKind.INK:
                what = "Drawing"
            entry = menu.addAction(f"Add {what} to Session Plan")
            entry.triggered.connect(lambda: self.add_annotation(chosen, document))
            entry.setEnabled(not self.store.read_only)
        entry = menu.addAction("Add Page to Session Plan")
        entry.triggered.connect(lambda: self.add_stop(document, page))
        entry.setEnabled(not self.store.read_only)

    def _offer_in(self, panel_list: QListView, role: int) -> None:
        """A right-click on a note or bookmark of a panel offers "Add to Session Plan"."""
        panel_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        def show(at: QPoint) -> None:
            index = panel_list.indexAt(at)
            item = index.data(role)
            if not isinstance(item, (Annotation, Bookmark)):
                return
            menu = QMenu(panel_list)
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            entry = menu.addAction("Add to Session Plan")
            entry.setEnabled(not self.store.read_only)
            document = self.documents().get(item.doc_hash, DocumentRef(item.doc_hash))
            if isinstance(item, Annotation):
                entry.triggered.connect(lambda: self.add_annotation(item, document))
            else:
                entry.triggered.connect(lambda: self.add_bookmark(item, document))
            self.last_menu = menu
            menu.popup(panel_list.viewport().mapToGlobal(at))

        panel_list.customContextMenuRequested.connect(show)
        menus_at_current_item(panel_list)

    # -- presenting ------------------------------------------------------------------------

    def open_stop(self, doc_hash: str, page: int) -> None:
        entry = self._entry(doc_hash)
        if entry is None:
            self.window.message_bar.show_message(
                "The document of this stop is not in your library."
            )
            return
        self.window.open_document(entry.id, page)

    def present(self, plan_uuid: str, row: int = 0) -> PresentationWindow | None:
        """Present the plan ``plan_uuid`` from its stop ``row``; returns the window."""
        plan = self.store.session(plan_uuid)
        if plan is None or not plan.stops or self.running is not None:
            return None
        try:
            client = self.window.services.render_client()
        except UserError as exc:
            self.window.message_bar.show_message(str(exc))
            return None
        opened: dict[str, OpenDocument] = {}
        missing = 0
        for stop in plan.stops:
            if stop.doc_hash in opened:
                continue
            entry = self._entry(stop.doc_hash)
            path = self._path(entry) if entry is not None else None
            if entry is None or path is None:
                missing += 1
                continue
            opened[stop.doc_hash] = OpenDocument(client.open_document(path), entry.title)
        if not opened:
            self.window.message_bar.show_message(
                "None of the documents of this session plan is in your library."
            )
            return None
        if missing:
            self.window.message_bar.show_message(
                f"{missing} of the plan's documents are not in your library; "
                "their stops are left out."
            )
        start = sum(1 for s in plan.stops[:row] if s.doc_hash in opened)
        run = SessionRun(plan, opened, start)
        remote, page, title, key = run.first()
        window = PresentationWindow(remote, page, title, key)
        window.attach_link(self.notes.controller.presentation_link(None))
        window.stepper = lambda delta: run.step(window, delta)
        settings = self.window.services.settings
        presenter = Presenter(
            window, self.window.screen(), deck=run, parent=self, preferred=settings.slides_screen()
        )
        presenter.slides_chosen.connect(self.window.keeper.save_slides_screen)
        presenter.finished.connect(lambda shown: self._ended(run, window, shown))
        self.running = (presenter, run)
        run.show(window, run.index)
        presenter.start()
        return window

    def _ended(self, run: SessionRun, window: PresentationWindow, page: int) -> None:
        presenter = self.running[0] if self.running else None
        self.running = None
        doc_hash = window.doc_key
        if presenter is not None:
            presenter.deleteLater()

        def close_documents() -> None:
            for opened in run.documents.values():
                opened.remote.close()

        QTimer.singleShot(0, self, close_documents)
        entry = self._entry(doc_hash)
        if entry is not None and not self._closing:
            self.window.open_document(entry.id, page + 1)
        if run.stops:
            self.panel.select_stop(run.stop().uuid)

    def presenting(self) -> PresentationWindow | None:
        return self.running[0].window if self.running else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self._closing = True
            self.end_presentation()  # the reader is closing: the slides and console go too
        return False

    def end_presentation(self) -> None:
        if self.running is not None:
            self.running[0].window.abandon()

    def close(self) -> None:
        """End a presentation and stop following the notes store (it closes next)."""
        self._closing = True
        self.end_presentation()
        self.panel.detach()
