"""The tabs of the main window: the library first, then one tab per open document.

A document tab makes its :class:`DocumentView` the first time it is shown, so
tabs restored at start-up cost nothing until the user looks at them. Where
each document was left is written to the reading history as the user reads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QMenu,
    QTabBar,
    QTabWidget,
    QToolButton,
    QWidget,
)

from ecip_reader.errors import UserError
from ecip_reader.library.catalogue import CatalogueEntry
from ecip_reader.ui import icons
from ecip_reader.ui.reader.tab import HIT_TAB_TIP, DocumentTab, Placement, short_title
from ecip_reader.ui.services import Services

__all__ = ["DocumentTab", "DocumentTabs", "Placement", "short_title"]

if TYPE_CHECKING:
    from ecip_reader.ui.reader.view import DocumentView
    from ecip_reader.ui.render.client import RenderClient


def _real_view(client: RenderClient, path: Path, doc_id: str, title: str) -> DocumentView:
    from ecip_reader.ui.reader.view import DocumentView  # loaded when the first document opens

    return DocumentView(client, path, doc_id, title)


log = logging.getLogger(__name__)

SAVE_DELAY_MS = 1500


class DocumentTabs(QTabWidget):
    """The library tab and the document tabs, with the reading history kept up to date."""

    document_failed = Signal(str)  # one sentence about a document, for the message bar
    storage_failed = Signal(str)
    current_document_changed = Signal(str)  # doc id, "" for the library
    history_changed = Signal(str)  # doc id whose reading position moved
    view_created = Signal(object)  # a DocumentView just made for a tab, before it is placed

    def __init__(self, services: Services, library: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentTabs")
        self.setAccessibleName("Open documents")
        self.tabBar().setAccessibleName("Open documents")
        self.setDocumentMode(True)
        self.setTabsClosable(False)  # each document tab gets its own close button
        self.setMovable(True)
        self.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabBar().setUsesScrollButtons(True)
        self._services = services
        self.library = library
        self.addTab(library, icons.icon("library"), "Library")
        self.tabBar().setTabButton(0, QTabBar.ButtonPosition.RightSide, None)
        self.tabBar().setTabButton(0, QTabBar.ButtonPosition.LeftSide, None)
        self.tabCloseRequested.connect(self.close_tab)
        # A click on a tab means "read this": the keyboard goes to its page once it is shown.
        self.tabBarClicked.connect(lambda _i: QTimer.singleShot(0, self, self._focus_current))
        self.currentChanged.connect(self._current_changed)
        self.tabBar().tabMoved.connect(lambda _from, _to: self._remember_tabs())
        self.hit_tab: DocumentTab | None = None  # opened by the last search hit, not kept yet
        self.tab_menu: QMenu | None = None  # the last right-click menu of a tab
        self.tabBarDoubleClicked.connect(self._tab_double_clicked)
        self.tabBar().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tabBar().customContextMenuRequested.connect(self._tab_menu)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_history)
        self._restoring = False

    # -- finding tabs ------------------------------------------------------------------

    def document_tabs(self) -> list[DocumentTab]:
        return [w for i in range(self.count()) if isinstance(w := self.widget(i), DocumentTab)]

    def tab_of(self, doc_id: str) -> DocumentTab | None:
        return next((t for t in self.document_tabs() if t.doc_id == doc_id), None)

    def current_tab(self) -> DocumentTab | None:
        widget = self.currentWidget()
        return widget if isinstance(widget, DocumentTab) else None

    def current_view(self) -> DocumentView | None:
        tab = self.current_tab()
        return tab.view if tab is not None else None

    # -- opening -----------------------------------------------------------------------

    def open_document(
        self,
        entry: CatalogueEntry,
        page: int | None = None,
        terms: Sequence[str] = (),
        how: Placement = Placement.AT_END,
    ) -> DocumentTab:
        """Show ``entry`` in its tab (made if needed), at ``page`` or where it was left.

        A new tab goes at the end of the row, beside the current tab (a link), or
        in place of the tab the previous search hit opened (unless the user kept it).
        """
        tab = self.tab_of(entry.id)
        if tab is not None and how is not Placement.FOR_HIT:
            self.keep_open(tab)  # opened on purpose: no longer a search hit's tab
        if tab is None:
            tab = self._place_tab(entry, how)
        if page is not None:
            if tab.view is not None:
                tab.view.go_to_page(page, tuple(terms))
            else:
                tab.pending = (page, tuple(terms))
        self.setCurrentWidget(tab)
        self._ensure_view(tab)
        return tab

    def _place_tab(self, entry: CatalogueEntry, how: Placement) -> DocumentTab:
        if how is Placement.FOR_HIT:
            old = self.hit_tab
            index = self.indexOf(old) if old is not None else -1
            if old is not None and index > 0:
                self.close_tab(index)  # its place is kept in the reading history
            tab = self._add_tab(entry, index if index > 0 else None)
            self.hit_tab = tab
            self._show_kind(tab)
            return tab
        if how is Placement.BESIDE_CURRENT:
            return self._add_tab(entry, max(1, self.currentIndex() + 1))
        return self._add_tab(entry)

    def _add_tab(self, entry: CatalogueEntry, index: int | None = None) -> DocumentTab:
        tab = DocumentTab(entry, self)
        tab.setGeometry(self.library.geometry())  # the page area every tab shares
        title = short_title(entry.title)
        if index is None:
            index = self.addTab(tab, icons.icon("open"), title)
        else:
            index = self.insertTab(index, tab, icons.icon("open"), title)
        self.setTabToolTip(index, f"{entry.title}\n{entry.organisation}")
        self.tabBar().setTabButton(index, QTabBar.ButtonPosition.RightSide, self._close_button(tab))
        return tab

    # -- the tab of the search hits ------------------------------------------------------

    def keep_open(self, tab: DocumentTab) -> None:
        """``tab`` stays when the next search hit opens another document."""
        if tab is self.hit_tab:
            self.hit_tab = None
            self._show_kind(tab)

    def is_hit_tab(self, tab: DocumentTab | None) -> bool:
        return tab is not None and tab is self.hit_tab

    def _show_kind(self, tab: DocumentTab) -> None:
        index = self.indexOf(tab)
        if index < 0:
            return
        entry = tab.entry
        if tab is self.hit_tab:
            self.setTabIcon(index, icons.icon("search"))
            self.setTabToolTip(
                index,
                f"{entry.title}\n{entry.organisation}\n{HIT_TAB_TIP}",
            )
        else:
            self.setTabIcon(index, icons.icon("open"))
            self.setTabToolTip(index, f"{entry.title}\n{entry.organisation}")

    def _tab_double_clicked(self, index: int) -> None:
        tab = self.widget(index)
        if isinstance(tab, DocumentTab):
            self.keep_open(tab)

    def _tab_menu(self, pos: QPoint) -> None:
        index = self.tabBar().tabAt(pos)
        tab = self.widget(index)
        if not isinstance(tab, DocumentTab):
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        keep = menu.addAction("&Keep This Tab Open")
        keep.setEnabled(tab is self.hit_tab)
        keep.setToolTip("The next search hit in another document opens in a new tab")
        keep.triggered.connect(lambda: self.keep_open(tab))
        close = menu.addAction(icons.icon("close"), "&Close Tab")
        close.triggered.connect(lambda: self.close_tab(self.indexOf(tab)))
        self.tab_menu = menu
        menu.popup(self.tabBar().mapToGlobal(pos))

    def _close_button(self, tab: DocumentTab) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName("tabClose")
        button.setAutoRaise(True)
        button.setIcon(icons.icon("close"))
        button.setIconSize(QSize(14, 14))
        button.setToolTip("Close this document (Ctrl+W)")
        button.setAccessibleName(f"Close {tab.entry.title}")
        button.clicked.connect(lambda: self.close_tab(self.indexOf(tab)))
        return button

    def _current_changed(self, _index: int) -> None:
        tab = self.current_tab()
        if tab is not None:
            self._ensure_view(tab)
        self._focus_current(force=False)
        self.current_document_changed.emit(tab.doc_id if tab is not None else "")
        self._remember_tabs()

    def _focus_current(self, force: bool = True) -> None:
        """Give the keyboard to the page (or the library) that is current.

        Unless ``force`` (a click on a tab), the keyboard stays where the user is
        typing outside the tabs (the search field, the results).
        """
        focus = QApplication.focusWidget()
        elsewhere = focus is not None and focus.isVisible() and not self.isAncestorOf(focus)
        if elsewhere and not force:
            return
        current = self.currentWidget()
        target: QWidget | None = current
        if isinstance(current, DocumentTab):
            target = current.view
        elif current is self.library:
            view = getattr(self.library, "current_view", None)
            target = view() if callable(view) else current
        if target is None:
            return
        if target.isVisible():
            target.setFocus(Qt.FocusReason.TabFocusReason)
        else:  # a view made just now is shown once the event loop runs
            QTimer.singleShot(0, target, lambda: target.setFocus(Qt.FocusReason.TabFocusReason))

    def _ensure_view(self, tab: DocumentTab) -> None:
        if tab.view is not None or self._restoring:
            return
        services = self._services
        catalogue = services.catalogue
        path = Path(tab.entry.file)
        if not path.is_absolute():  # a document of the bundled library
            if catalogue is None:
                return
            path = catalogue.path_of(tab.entry)
        try:
            factory = services.view_factory or _real_view
            view = factory(services.render_client(), path, tab.doc_id, tab.entry.title)
        except UserError as exc:
            self.document_failed.emit(str(exc))
            return
        except Exception:
            log.exception("the page view for %s could not be made", tab.doc_id)
            self.document_failed.emit(
                f"{tab.entry.title} could not be shown. The details were written to the log."
            )
            return
        tab.attach(view)
        doc_id = tab.doc_id
        view.page_changed.connect(lambda _page, d=doc_id: self._position_changed(d))
        view.failed.connect(self.document_failed)
        view.notice.connect(self.document_failed)
        self.view_created.emit(view)
        if tab.pending is not None:
            page, terms = tab.pending
            tab.pending = None
            view.go_to_page(page, terms)
        else:
            position = services.history.position(doc_id)
            if position is not None:
                view.restore_state(position.state())
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- closing -----------------------------------------------------------------------

    def close_tab(self, index: int) -> None:
        tab = self.widget(index)
        if not isinstance(tab, DocumentTab):
            return
        self._record(tab)
        if tab is self.hit_tab:
            self.hit_tab = None
        self.removeTab(index)
        if tab.view is not None:
            tab.view.close_document()
        tab.deleteLater()
        self._remember_tabs()
        self.history_changed.emit(tab.doc_id)
        self._save_timer.start()

    def close_current(self) -> bool:
        index = self.currentIndex()
        if isinstance(self.widget(index), DocumentTab):
            self.close_tab(index)
            return True
        return False

    def close_all_views(self) -> None:
        """Record every position and close every document (the window is closing)."""
        self._remember_tabs()
        for tab in self.document_tabs():
            self._record(tab)
            if tab.view is not None:
                tab.view.close_document()
        self.save_history()

    def refresh_icons(self) -> None:
        for index in range(self.count()):
            name = "library" if index == self.indexOf(self.library) else "open"
            if self.hit_tab is not None and index == self.indexOf(self.hit_tab):
                name = "search"
            self.setTabIcon(index, icons.icon(name))
            button = self.tabBar().tabButton(index, QTabBar.ButtonPosition.RightSide)
            if isinstance(button, QToolButton):
                button.setIcon(icons.icon("close"))

    # -- tab cycling -------------------------------------------------------------------

    def cycle(self, step: int) -> None:
        if self.count() > 1:
            self.setCurrentIndex((self.currentIndex() + step) % self.count())

    # -- history -----------------------------------------------------------------------

    def restore(
        self,
        doc_ids: Sequence[str],
        current: str | None,
        entry: Callable[[str], CatalogueEntry | None],
    ) -> None:
        """Re-open the tabs of the last session; only the current one makes its view."""
        self._restoring = True
        try:
            for doc_id in doc_ids:
                found = entry(doc_id)
                if found is not None and self.tab_of(doc_id) is None:
                    self._add_tab(found)
        finally:
            self._restoring = False
        tab = self.tab_of(current) if current else None
        if tab is not None:
            self.setCurrentWidget(tab)
            self._ensure_view(tab)

    def _position_changed(self, doc_id: str) -> None:
        tab = self.tab_of(doc_id)
        if tab is not None:
            self._record(tab)
            self._save_timer.start()
            self.history_changed.emit(doc_id)

    def _record(self, tab: DocumentTab) -> None:
        if tab.view is not None and tab.view.page_count() > 0:
            self._services.history.record(tab.doc_id, tab.view.state())

    def _remember_tabs(self) -> None:
        if self._restoring:
            return
        tabs = [t.doc_id for t in self.document_tabs()]
        current = self.current_tab()
        self._services.history.set_open_tabs(tabs, current.doc_id if current else None)
        self._save_timer.start()

    def save_history(self) -> None:
        self._save_timer.stop()
        try:
            self._services.history.save()
        except UserError as exc:
            self.storage_failed.emit(str(exc))
