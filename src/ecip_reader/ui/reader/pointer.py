"""The mouse (and the keyboard) on the pages: select text, follow links, click and
right-click.

Drag over words to select them; double-click selects a word, a third click
a line. From the keyboard, Shift with an arrow key selects: the first press
takes the first word in view (or carries on from the selection), Left and
Right then move its end a word, Up and Down a line. A click that selects
nothing follows the link under the mouse, or is reported as a plain click on
the page (for notes). The selection is drawn above everything else on the page.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QClipboard,
    QColor,
    QContextMenuEvent,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPolygonF,
)
from PySide6.QtWidgets import QApplication

from ecip_reader.pdf.render_protocol import LinkArea
from ecip_reader.ui.reader.canvas import ABOVE, PageCanvas, ToView
from ecip_reader.ui.reader.links import PROGRAM_LINK
from ecip_reader.ui.render.remote_document import RemoteDocument
from ecip_reader.viewing.selection import (
    TextSelection,
    Word,
    line_span,
    make_selection,
    next_line_word,
    next_word,
    word_at,
    word_range,
)

SELECTION = QColor(40, 120, 220, 80)
# Shift+arrow -> (by line, forward)
SELECT_KEYS = {
    Qt.Key.Key_Left: (False, False),
    Qt.Key.Key_Right: (False, True),
    Qt.Key.Key_Up: (True, False),
    Qt.Key.Key_Down: (True, True),
}


class PointerController(QObject):
    selection_changed = Signal(object)  # TextSelection | None
    page_clicked = Signal(int, object)  # 1-based page, QPointF in PDF points
    context_menu = Signal(int, object, object)  # 1-based page, QPointF in PDF points, QPoint
    link_activated = Signal(int, object, object)  # 0-based page, LinkArea, global QPoint

    def __init__(self, canvas: PageCanvas, remote: RemoteDocument) -> None:
        super().__init__(canvas)
        self._canvas = canvas
        self._remote = remote
        self._selection: TextSelection | None = None
        self._press: QPoint | None = None
        self._press_page: int | None = None
        self._anchor: int | None = None
        self._dragging = False
        self._last_double = (0.0, QPoint())
        viewport = canvas.viewport()
        viewport.setMouseTracking(True)
        viewport.installEventFilter(self)
        canvas.installEventFilter(self)  # the menu key's context menu and Shift+arrows
        self._key_ends: tuple[int, int] | None = None  # (anchor, end) of a keyboard selection
        self._waiting_page: int | None = None  # Shift+arrow pressed before the words came
        remote.text_ready.connect(self._text_arrived)
        canvas.add_layer(self._paint, ABOVE)

    # ------------------------------------------------------------ selection

    def selection(self) -> TextSelection | None:
        return self._selection

    def clear(self) -> None:
        if self._selection is None:
            return
        page = self._selection.page
        self._selection = None
        self._canvas.request_repaint(page)
        self.selection_changed.emit(None)

    def select_words(self, page: int, first: int, last: int) -> bool:
        """Select words ``first`` to ``last`` of ``page`` (0-based) if its words are known."""
        words = self._words(page)
        if not words:
            return False
        first = min(max(first, 0), len(words) - 1)
        last = min(max(last, 0), len(words) - 1)
        chosen = make_selection(page + 1, words, first, last)
        if chosen == self._selection:
            return True
        old = self._selection
        self._selection = chosen
        if old is not None and old.page != chosen.page:
            self._canvas.request_repaint(old.page)
        self._canvas.request_repaint(page + 1)
        self.selection_changed.emit(chosen)
        return True

    def _words(self, page: int) -> tuple[Word, ...]:
        text = self._remote.text(page)
        return text.words if text is not None else ()

    def _word_index(self, pos: QPoint | QPointF, page: int, nearest: bool) -> int | None:
        rect = self._canvas.page_rect(page)
        x = min(max(pos.x(), rect.left()), rect.right())
        y = min(max(pos.y(), rect.top()), rect.bottom())
        clamped = QPointF(x, y)
        found = self._canvas.pdf_point(clamped)
        if found is None:
            return None
        point = found[1]
        return word_at(self._words(page), point.x(), point.y(), nearest)

    # ------------------------------------------------------------ links

    def link_at(self, pos: QPoint | QPointF) -> tuple[int, LinkArea] | None:
        page = self._canvas.page_at(pos)
        if page is None:
            return None
        text = self._remote.text(page)
        if text is None:
            return None
        fx, fy = self._canvas.fraction_at(pos, page)
        for link in text.links:
            x0, y0, x1, y1 = link.box
            if x0 <= fx <= x1 and y0 <= fy <= y1:
                return page, link
        return None

    # ------------------------------------------------------------ events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            return self._pressed(event)
        if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            self._moved(event)
            return self._press is not None
        if kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            return self._released(event)
        if kind == QEvent.Type.MouseButtonDblClick and isinstance(event, QMouseEvent):
            return self._double_clicked(event)
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return watched is self._canvas and self._key_select(event)
        if kind == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            if watched is self._canvas:  # from the keyboard: the Menu key or Shift+F10
                return self._keyboard_menu() if event.reason() == event.Reason.Keyboard else False
            found = self._canvas.pdf_point(event.pos())
            if found is not None:
                self.context_menu.emit(found[0], found[1], event.globalPos())
                return True
        return False

    # ------------------------------------------------------------ selecting with the keyboard

    def _key_select(self, event: QKeyEvent) -> bool:
        """Shift+Left/Right: the selection's end a word back or on; Shift+Up/Down: a line."""
        step = SELECT_KEYS.get(Qt.Key(event.key()))
        if step is None or event.modifiers() != Qt.KeyboardModifier.ShiftModifier:
            return False
        chosen = self._selection
        words = self._words(chosen.page - 1) if chosen is not None else ()
        found = word_range(words, chosen) if chosen is not None and words else None
        if chosen is None or found is None:
            self._start_key_selection(self._canvas.current_page())
            return True
        anchor, end = found
        if self._key_ends is not None and sorted(self._key_ends) == list(found):
            anchor, end = self._key_ends
        by_line, forward = step
        if by_line:
            end = next_line_word(words, end, forward)
        else:
            end = next_word(words, end, 1 if forward else -1)
        self._key_ends = (anchor, end)
        self.select_words(chosen.page - 1, anchor, end)
        self._reveal_word(chosen.page - 1, words[end])
        return True

    def _start_key_selection(self, page: int, ask: bool = True) -> None:
        """Select the first word of ``page`` (0-based) in view, once its words are known
        (``ask``: ask the worker for them if they are not; a page may have none)."""
        words = self._words(page)
        if not words:
            if ask:
                self._waiting_page = page
                self._remote.request_text(page)
            return
        viewport = self._canvas.viewport().rect()
        start = next(
            (
                i
                for i, w in enumerate(words)
                if viewport.contains(self._canvas.to_view(page + 1, w[0], w[1]).toPoint())
            ),
            0,
        )
        self._key_ends = (start, start)
        self.select_words(page, start, start)
        self._reveal_word(page, words[start])

    def _text_arrived(self, page: int, _text: object) -> None:
        if page == self._waiting_page:
            self._waiting_page = None
            self._start_key_selection(page, ask=False)

    def _reveal_word(self, page: int, word: Word) -> None:
        corner = self._canvas.to_view(page + 1, word[0], word[1])
        other = self._canvas.to_view(page + 1, word[2], word[3])
        self._canvas.reveal_rect(QRectF(corner, other).normalized().toAlignedRect())

    def _keyboard_menu(self) -> bool:
        """The page's menu opened from the keyboard: at the selected text if it is in
        view, else at the middle of the view."""
        viewport = self._canvas.viewport()
        chosen = self._selection
        if chosen is not None and chosen.quads:
            x0, y0, _x1, _y1, _x2, y2, _x3, _y3 = chosen.quads[-1]
            at = self._canvas.to_view(chosen.page, x0, y2).toPoint()  # below the last line
            if viewport.rect().contains(at):
                point = QPointF(x0, (y0 + y2) / 2)
                self.context_menu.emit(chosen.page, point, viewport.mapToGlobal(at))
                return True
        middle = viewport.rect().center()
        found = self._canvas.pdf_point(middle)
        if found is None:
            return False
        self.context_menu.emit(found[0], found[1], viewport.mapToGlobal(middle))
        return True

    def _pressed(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        pos = event.position().toPoint()
        page = self._canvas.page_at(pos)
        when, where = self._last_double
        interval = QApplication.doubleClickInterval() / 1000
        near = (pos - where).manhattanLength() < QApplication.startDragDistance()
        if page is not None and time.monotonic() - when < interval and near:
            index = self._word_index(pos, page, nearest=False)
            if index is not None:
                self.select_words(page, *line_span(self._words(page), index))
                self._press = None
                self._publish()
                return True
        self._press, self._press_page, self._dragging = pos, page, False
        self._anchor = None
        if page is not None:
            self._remote.request_text(page)
        self._canvas.setFocus(Qt.FocusReason.MouseFocusReason)
        return True

    def _moved(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._press is None or self._press_page is None:
            self._hover(pos)
            return
        if not self._dragging:
            if (pos - self._press).manhattanLength() < QApplication.startDragDistance():
                return
            self._dragging = True
            self._anchor = self._word_index(self._press, self._press_page, nearest=True)
        if self._anchor is None:
            self._anchor = self._word_index(self._press, self._press_page, nearest=True)
            if self._anchor is None:
                return
        current = self._word_index(pos, self._press_page, nearest=True)
        if current is not None:
            self.select_words(self._press_page, self._anchor, current)

    def _released(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return False
        pos = event.position().toPoint()
        dragged, page = self._dragging, self._press_page
        self._press, self._press_page, self._dragging = None, None, False
        if dragged:
            self._publish()
        if dragged or page is None:
            return True
        self.clear()
        link = self.link_at(pos)
        if link is not None:
            self.link_activated.emit(link[0], link[1], event.globalPosition().toPoint())
            return True
        found = self._canvas.pdf_point(pos)
        if found is not None:
            self.page_clicked.emit(found[0], found[1])
        return True

    def _double_clicked(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        pos = event.position().toPoint()
        self._press = None
        self._last_double = (time.monotonic(), pos)
        page = self._canvas.page_at(pos)
        if page is None:
            return True
        index = self._word_index(pos, page, nearest=False)
        if index is not None:
            self.select_words(page, index, index)
            self._publish()
        return True

    def _publish(self) -> None:
        """Offer the selected text as the X11 primary selection (middle-click pastes it)."""
        chosen = self.selection()
        clipboard = QGuiApplication.clipboard()
        if chosen is not None and clipboard is not None and clipboard.supportsSelection():
            clipboard.setText(chosen.text, QClipboard.Mode.Selection)

    def _hover(self, pos: QPoint) -> None:
        viewport = self._canvas.viewport()
        link = self.link_at(pos)
        if link is not None:
            viewport.setCursor(Qt.CursorShape.PointingHandCursor)
            viewport.setToolTip(describe_link(link[1]))
            return
        viewport.setToolTip("")
        page = self._canvas.page_at(pos)
        on_word = page is not None and self._word_index(pos, page, nearest=False) is not None
        viewport.setCursor(Qt.CursorShape.IBeamCursor if on_word else Qt.CursorShape.ArrowCursor)

    # ------------------------------------------------------------ painting

    def _paint(self, painter: QPainter, page: int, to_view: ToView) -> None:
        chosen = self._selection
        if chosen is None or chosen.page != page:
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(SELECTION)
        for x0, y0, x1, y1, *_rest in chosen.words:
            corners = [to_view(x0, y0), to_view(x1, y0), to_view(x1, y1), to_view(x0, y1)]
            painter.drawPolygon(QPolygonF(corners))


def describe_link(link: LinkArea) -> str:
    """What a link leads to, in words, for a tooltip."""
    if link.kind == "goto":
        return f"Go to page {link.page + 1}"
    if link.kind == "document":
        return f"Open {link.target}"
    if link.kind == "uri":
        return f"Web address (not opened): {link.target}"
    return PROGRAM_LINK
