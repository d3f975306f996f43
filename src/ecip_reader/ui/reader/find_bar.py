"""Find in the document (Ctrl+F): a bar above the pages and the matches on them.

The search runs in the render worker, a few pages at a time, and its matches
stream in while the user keeps reading; typing a new query replaces the
running search. Every match is marked on the pages; the current one stands
out and Enter / Shift+Enter (or F3 / Shift+F3) move between them. Should the
worker be replaced mid-search, the document takes the search up again where it
stopped (:meth:`RemoteDocument.reopen`): the matches found so far stay.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from ecip_reader.pdf.render_protocol import Box, FindHits
from ecip_reader.ui.accessible import clear_button
from ecip_reader.ui.reader.canvas import UNDER, PageCanvas, ToView
from ecip_reader.ui.reader.painter import FIND_CURRENT, FIND_HIT, box_rect
from ecip_reader.ui.render.remote_document import RemoteDocument

TYPING_PAUSE_MS = 250


class FindBar(QWidget):
    """The controls: query, match count, Previous/Next, case and whole-word options."""

    search = Signal(str, bool, bool)  # query, match case, whole words
    next_requested = Signal()
    previous_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in document")
        self.edit.setAccessibleName("Find in document")
        clear_button(self.edit, "Clear the words to find")
        self.edit.installEventFilter(self)
        self.count_label = QLabel("", self)
        self.count_label.setAccessibleName("Matches")
        self.count_label.setMinimumWidth(120)
        self.previous_button = QToolButton(self)
        self.previous_button.setText("Previous")
        self.previous_button.setToolTip("Previous match (Shift+Enter, Shift+F3)")
        self.previous_button.clicked.connect(self.previous_requested)
        self.next_button = QToolButton(self)
        self.next_button.setText("Next")
        self.next_button.setToolTip("Next match (Enter, F3)")
        self.next_button.clicked.connect(self.next_requested)
        self.case_box = QCheckBox("Match case", self)
        self.whole_box = QCheckBox("Whole words", self)
        close = QToolButton(self)
        close.setText("✕")
        close.setAccessibleName("Close find")
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.close_bar)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 4)
        row.setSpacing(6)
        row.addWidget(self.edit, 1)
        row.addWidget(self.count_label)
        row.addWidget(self.previous_button)
        row.addWidget(self.next_button)
        row.addWidget(self.case_box)
        row.addWidget(self.whole_box)
        row.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self._start)
        self._sent: tuple[str, bool, bool] | None = None
        self.edit.textChanged.connect(lambda _t: self._timer.start())
        self.case_box.toggled.connect(lambda _on: self._start())
        self.whole_box.toggled.connect(lambda _on: self._start())
        self.hide()

    def open_bar(self, text: str = "") -> None:
        self.show()
        if text:
            self.edit.setText(text)
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def _wanted(self) -> tuple[str, bool, bool]:
        return (self.edit.text().strip(), self.case_box.isChecked(), self.whole_box.isChecked())

    @Slot()
    def _start(self) -> None:
        self._timer.stop()
        wanted = self._wanted()
        if wanted != self._sent:
            self._sent = wanted
            self.search.emit(*wanted)

    def handle_f3(self, event: QEvent) -> bool:
        """F3 / Shift+F3 move between matches while the bar is open.

        The window may use F3 for something else; taking the "shortcut
        override" keeps the key for the find bar while it is in use.
        """
        if not self.isVisible() or not isinstance(event, QKeyEvent):
            return False
        if event.key() != Qt.Key.Key_F3:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress:
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previous_requested.emit()
            else:
                self.next_requested.emit()
            return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.handle_f3(event):
            return True
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._wanted() != self._sent:
                    self._start()
                elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.previous_requested.emit()
                else:
                    self.next_requested.emit()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return False


class FindController(QObject):
    """Keeps the matches of the current search, marks them and moves between them."""

    current_changed = Signal(int, int)  # 1-based position of the current match, total

    def __init__(self, canvas: PageCanvas, remote: RemoteDocument, bar: FindBar) -> None:
        super().__init__(bar)
        self._canvas = canvas
        self._remote = remote
        self._bar = bar
        self._generation = -1
        self._pages: list[int] = []  # pages with matches, in order
        self._hits: dict[int, list[tuple[Box, ...]]] = {}
        self._total = 0
        self._current: tuple[int, int] | None = None  # page, index on the page
        self._start_page = 0
        self._done = True
        self._query = ""
        bar.search.connect(self.search)
        bar.next_requested.connect(self.next_match)
        bar.previous_requested.connect(self.previous_match)
        bar.closed.connect(self.stop)
        remote.find_hits.connect(self._received)
        remote.failed.connect(self._document_failed)
        canvas.add_layer(self._paint, UNDER)
        canvas.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return self._bar.handle_f3(event)

    # ------------------------------------------------------------ state

    def match_count(self) -> int:
        return self._total

    def finished(self) -> bool:
        return self._done

    def current(self) -> tuple[int, tuple[Box, ...]] | None:
        """The current match: 0-based page and its boxes."""
        if self._current is None:
            return None
        page, index = self._current
        return page, self._hits[page][index]

    def position(self) -> int:
        """1-based position of the current match among all found so far (0 if none)."""
        if self._current is None:
            return 0
        page, index = self._current
        before = bisect.bisect_left(self._pages, page)
        return sum(len(self._hits[p]) for p in self._pages[:before]) + index + 1

    # ------------------------------------------------------------ searching

    @Slot(str, bool, bool)
    def search(self, query: str, match_case: bool, whole_words: bool) -> None:
        self._clear()
        self._query = query
        self._start_page = self._canvas.current_page()
        self._done = not query
        self._generation = self._remote.find(query, match_case, whole_words, self._start_page)
        self._update_label()

    @Slot()
    def stop(self) -> None:
        self._clear()
        self._query = ""
        self._generation = self._remote.find("", False, False, 0)
        self._done = True

    @Slot(str)
    def _document_failed(self, _message: str) -> None:
        """The document can no longer be shown: its search will not go on."""
        self._clear()
        self._query = ""
        self._done = True
        self._update_label()

    def _clear(self) -> None:
        self._pages.clear()
        self._hits.clear()
        self._total = 0
        self._current = None
        self._canvas.viewport().update()

    @Slot(object)
    def _received(self, found: object) -> None:
        if not isinstance(found, FindHits) or found.generation != self._generation:
            return
        visible = set(self._canvas.visible_pages())
        touched = False
        for page, boxes in found.hits:
            if page not in self._hits:
                bisect.insort(self._pages, page)
                self._hits[page] = []
            self._hits[page].append(boxes)
            self._total += 1
            touched = touched or page in visible
        self._done = found.done
        if self._current is None and self._total:
            self._current = (self._first_from(self._start_page), 0)
            self._reveal()
        elif touched:
            self._canvas.viewport().update()
        self._update_label(found.searched, found.total)

    def _first_from(self, page: int) -> int:
        index = bisect.bisect_left(self._pages, page)
        return self._pages[index] if index < len(self._pages) else self._pages[0]

    # ------------------------------------------------------------ moving

    @Slot()
    def next_match(self) -> None:
        self._step(+1)

    @Slot()
    def previous_match(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        if self._current is None:
            return
        page, index = self._current
        index += direction
        if 0 <= index < len(self._hits[page]):
            self._current = (page, index)
        else:
            where = bisect.bisect_left(self._pages, page) + direction
            page = self._pages[where % len(self._pages)]
            self._current = (page, 0 if direction > 0 else len(self._hits[page]) - 1)
        self._reveal()
        self._update_label()

    def _reveal(self) -> None:
        found = self.current()
        if found is None:
            return
        page, boxes = found
        self._canvas.reveal_box(page, boxes[0])
        self._canvas.viewport().update()
        self.current_changed.emit(self.position(), self._total)

    def _update_label(self, searched: int = 0, pages: int = 0) -> None:
        label = self._bar.count_label
        if not self._query:
            label.setText("")
        elif self._total == 0:
            label.setText("No matches" if self._done else "Searching…")
        else:
            more = "" if self._done else "+"
            label.setText(f"{self.position()} of {self._total}{more}")
        if not self._done and pages:
            label.setToolTip(f"{searched} of {pages} pages searched")
        else:
            label.setToolTip("")

    # ------------------------------------------------------------ painting

    def _paint(self, painter: QPainter, page: int, _to_view: ToView) -> None:
        hits = self._hits.get(page - 1)
        if not hits:
            return
        target = self._canvas.page_rect(page - 1)
        rotation = self._canvas.rotation()
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        for index, boxes in enumerate(hits):
            current = self._current == (page - 1, index)
            for box in boxes:
                rect = box_rect(target, box, rotation)
                painter.fillRect(rect, FIND_CURRENT if current else FIND_HIT)
