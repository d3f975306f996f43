"""Moving a sticky note by dragging it on the page.

Pressing on one of the user's own sticky notes selects it; dragging it
further than the platform's drag distance moves it, drawn at the mouse while
the button is held; releasing reports the new place (PDF points of the same
page) through :attr:`NoteDrag.moved`, and the controller saves it as an
undoable "Move sticky note". Imported notes, and any note while the notes are
read-only, are not moved: the press goes on to the page as a plain click.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from ecip_reader.ui.notes.overlay import AnnotationOverlay
from ecip_reader.userdata import AnnotationKind
from ecip_reader.userdata.models import Point


class NoteDrag(QObject):
    moved = Signal(str, float, float)  # uuid, new top-left corner x and y in PDF points

    def __init__(self, overlay: AnnotationOverlay) -> None:
        super().__init__(overlay)
        self._overlay = overlay
        self._uuid: str | None = None
        self._page = 0
        self._offset = (0.0, 0.0)  # from the note's corner to where it was grabbed
        self._press = QPoint()
        self._dragging = False
        self._target: Point | None = None
        # Installed after the text pointer, so it sees presses on notes first.
        overlay.canvas.viewport().installEventFilter(self)

    def dragging(self) -> bool:
        return self._dragging

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not isinstance(event, QMouseEvent):
            return False
        if kind == QEvent.Type.MouseButtonPress:
            return self._pressed(event)
        if kind == QEvent.Type.MouseMove and self._uuid is not None:
            self._moved(event.position())
            return True
        if kind == QEvent.Type.MouseButtonRelease and self._uuid is not None:
            if event.button() == Qt.MouseButton.LeftButton:
                self._released()
            return True
        return False

    def _pressed(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or self._overlay.store.read_only:
            return False
        canvas = self._overlay.canvas
        found = canvas.pdf_point(event.position())
        if found is None:
            return False
        page, point = found
        note = self._overlay.annotation_at(page, point.x(), point.y())
        if note is None or note.kind is not AnnotationKind.STICKY_NOTE or not note.is_own:
            return False
        assert note.point is not None
        self._uuid, self._page = note.uuid, page
        self._offset = (point.x() - note.point[0], point.y() - note.point[1])
        self._press = event.position().toPoint()
        self._dragging, self._target = False, None
        self._overlay.select(note.uuid)
        canvas.setFocus(Qt.FocusReason.MouseFocusReason)
        return True

    def _moved(self, pos: QPointF) -> None:
        assert self._uuid is not None
        if not self._dragging:
            if (pos.toPoint() - self._press).manhattanLength() < QApplication.startDragDistance():
                return
            self._dragging = True
            self._overlay.canvas.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        canvas = self._overlay.canvas
        rect = canvas.page_rect(self._page - 1)
        inside = QPointF(
            min(max(pos.x(), rect.left()), rect.right()),
            min(max(pos.y(), rect.top()), rect.bottom()),
        )
        found = canvas.pdf_point(inside)
        if found is None or found[0] != self._page:
            return
        x, y = found[1].x() - self._offset[0], found[1].y() - self._offset[1]
        self._target = (max(0.0, x), max(0.0, y))
        self._overlay.show_dragged(self._uuid, self._target)

    def _released(self) -> None:
        uuid, target, dragged = self._uuid, self._target, self._dragging
        self._uuid, self._target, self._dragging = None, None, False
        self._overlay.canvas.viewport().unsetCursor()
        if dragged and uuid is not None and target is not None:
            self.moved.emit(uuid, target[0], target[1])
        self._overlay.show_dragged(None)
