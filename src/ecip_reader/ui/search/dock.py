"""The side panel that holds the search results, and what ties it to the window.

The dock appears when the user types a query and goes away when the field is
cleared; it shows how far the search index got while it is being prepared,
and Escape in the search field clears it, then hands the keyboard back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow

from ecip_reader.ui.search.host import PREPARING_TEXT, SearchHost
from ecip_reader.ui.search.panel import SearchPanel
from ecip_reader.ui.status import MessageBar, WorkIndicator
from ecip_reader.ui.tasks import TaskRunner


class SearchDock(QDockWidget):
    leave_requested = Signal()  # Escape in an empty search field: back to the page
    became_ready = Signal()

    def __init__(
        self,
        window: QMainWindow,
        tasks: TaskRunner,
        host: SearchHost,
        work: WorkIndicator,
        messages: MessageBar,
    ) -> None:
        super().__init__("Search", window)
        self._window = window
        self._work = work
        self._messages = messages
        self._sized = False
        self.setObjectName("searchDock")
        self.setAccessibleName("Search results panel")
        self.panel = SearchPanel(tasks)
        self.panel.set_search_function(host.search)
        self.setWidget(self.panel)
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.setAllowedAreas(
            Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self)
        self.hide()
        host.state_changed.connect(self._state_changed)
        host.progress.connect(self._progress)
        self.panel.query_changed.connect(self._query_changed)
        self.panel.field.installEventFilter(self)

    def focus_search(self) -> None:
        self.panel.focus_field()
        if self.panel.query():
            self.show()

    def _query_changed(self, query: str) -> None:
        if not query:
            self.hide()
            return
        first_time = self.isHidden() and not self._sized
        self.show()
        if first_time:
            self._sized = True
            QTimer.singleShot(0, self, self._size_once)

    def _size_once(self) -> None:
        width = max(360, min(440, self._window.width() * 2 // 7))
        self._window.resizeDocks([self], [width], Qt.Orientation.Horizontal)

    def _state_changed(self, state: str, text: str) -> None:
        self.panel.set_index_state(state, text)
        if state == "preparing":
            self._work.update_work("search", PREPARING_TEXT)
        else:
            self._work.finish("search")
        if state == "failed":
            self._messages.show_message(text)
        if state == "ready":
            self.became_ready.emit()

    def _progress(self, done: int, total: int) -> None:
        self._work.update_work("search", PREPARING_TEXT, done, total)
        self.panel.set_index_state(
            "preparing", f"{PREPARING_TEXT} ({done} of {total} documents read)"
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.panel.field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            if self.panel.field.text():
                self.panel.field.clear()
            else:
                self.leave_requested.emit()
            return True
        return super().eventFilter(watched, event)
