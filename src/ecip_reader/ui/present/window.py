"""Presentation mode: one page at a time, full screen, with a trainer's tools.

The keys are listed in :mod:`ecip_reader.ui.present.keys`. Esc always means
"back": it leaves a typed number, the blank screen, the zoom or a tool, and
only then the presentation. Leaving with a drawing asks, in the presentation
itself, whether to keep it as an annotation: K or Enter keeps it, D discards
it (Undo in the reader brings it back), Esc or any other key goes back to the
slides. The pen's own steps (a line, clearing a page) are undone with Ctrl+Z.
After B or W, the moving keys only bring the page back.

Whoever opens the window may attach a
:class:`~ecip_reader.ui.present.link.PresentationLink` (the notes: where a
drawing is kept), a ``stepper`` for Space and Backspace (a session plan's
stops) and ``extra_keys`` (the presenter's timer and screens).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QWheelEvent,
)

from ecip_reader.ui.present import keys as k
from ecip_reader.ui.present.canvas import PresentationCanvas
from ecip_reader.ui.present.link import NO_NOTES, PresentationLink, ToView
from ecip_reader.ui.present.pen import PenDrawing
from ecip_reader.ui.present.tools import KeepDrawingBar, Stroke, clip_fraction
from ecip_reader.ui.render.remote_document import RemoteDocument

UNDONE = {
    "line": "Took back the last line (Ctrl+Shift+Z puts it back).",
    "clear": "Brought the page's drawing back.",
}
REDONE = {"line": "Put the line back.", "clear": "Cleared the page's drawing again."}


class PresentationWindow(PresentationCanvas):
    finished = Signal(int)  # 0-based page shown last
    strokes_finished = Signal(object)  # tuple[Stroke, ...] the trainer chose to keep

    def __init__(
        self, remote: RemoteDocument, page: int, title: str = "", doc_key: str = ""
    ) -> None:
        super().__init__(remote, page, title, doc_key)
        self.setAccessibleName("Presentation")
        self.setAccessibleDescription(
            "A page at a time, full screen. Space or Page Down: next page; Backspace or "
            "Page Up: previous page; Esc: back, then leave the presentation."
        )
        self._wheel = 0
        self._closing = False
        self.link: PresentationLink | None = None
        self.stepper: Callable[[int], None] | None = None  # Space / Backspace in a session plan
        self.extra_keys: Callable[[QKeyEvent], bool] | None = None  # the presenter's own keys
        self.keep_bar = KeepDrawingBar(self)
        self.keep_bar.keep_button.clicked.connect(self.keep_drawing)
        self.keep_bar.discard_button.clicked.connect(self.discard_drawing)
        self.keep_bar.back_button.clicked.connect(self.changed)

    def strokes(self) -> tuple[Stroke, ...]:
        """Every pen stroke drawn so far (PDF points of the page each was drawn on)."""
        return self.pen.strokes()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.keep_bar.place()

    # ------------------------------------------------------------ keeping the drawing

    def attach_link(self, link: PresentationLink | None) -> None:
        """The notes: where a drawing is kept, and the trainer's notes for the console."""
        self.link = link

    def paint_marks(self, painter: QPainter, to_view: ToView) -> None:
        if self.link is not None:
            self.link.paint_marks(painter, self.doc_key, self.current_page() + 1, to_view)

    def unavailable(self) -> str:
        """Why the drawing cannot be kept (``""`` when it can)."""
        return NO_NOTES if self.link is None else self.link.unavailable

    def asking_to_keep(self) -> bool:
        """Whether the "Keep this drawing?" question is on screen."""
        return self.keep_bar.isVisible()

    def keep_drawing(self) -> None:
        """Save the drawing as an annotation, then leave (stay and say why if it fails)."""
        if self.link is None or self.link.unavailable:
            return
        strokes = self.pen.strokes()
        problem = self.link.keep(strokes) if strokes else None
        if problem:
            self.keep_bar.ask(problem=problem)
            return
        if strokes:
            self.strokes_finished.emit(strokes)
        self.pen = PenDrawing()
        self.finish()

    def discard_drawing(self) -> None:
        """Throw the drawing away (Undo in the reader brings it back), and leave."""
        strokes = self.pen.strokes()
        if strokes and self.link is not None and not self.link.unavailable:
            self.link.discard(strokes)
        self.pen = PenDrawing()
        self.finish()

    def abandon(self) -> None:
        """Leave at once, with no question (the reader is closing the document or quitting).

        A drawing not kept is discarded so that Undo in the reader brings it back.
        """
        strokes = self.pen.strokes()
        if strokes and self.link is not None and not self.link.unavailable:
            self.link.discard(strokes)
        self.pen = PenDrawing()
        self.finish()

    def finish(self) -> None:
        """Leave presentation mode (any drawing has been kept or discarded by now)."""
        if self._closing:
            return
        self._closing = True
        self.keep_bar.hide()
        self.finished.emit(self.current_page())
        self.close()
        self.deleteLater()

    # ------------------------------------------------------------ keys

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.handle_key(event):
            super().keyPressEvent(event)

    def handle_key(self, event: QKeyEvent) -> bool:
        """Act on a key pressed here or on the presenter console; False if it means nothing."""
        handled = self._key(event)
        if handled and not self._closing:
            self.update()
            self.changed.emit()
        return handled

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if self.asking_to_keep():
            if key in k.KEEP_KEYS:
                self.keep_drawing()  # does nothing when the drawing cannot be kept
                return True
            if key == k.DISCARD_KEY:
                self.discard_drawing()
                return True
            self.keep_bar.hide()  # Esc or any other key: back to the slides
            if key == Qt.Key.Key_Escape:
                return True
        if self._undo_key(event):
            return True
        if self.extra_keys is not None and self.extra_keys(event):
            return True
        text = event.text()
        if text.isdigit() and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_typed((self.typed_number() + text)[-6:])
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.typed_number():
            number = int(self.typed_number())
            self.set_typed("")
            self.go_to(number - 1)
            return True
        if key == Qt.Key.Key_Escape:
            self.escape()
            return True
        self.set_typed("")
        if key in k.MOVING_KEYS and self.blanked() is not None:
            self.set_blank(None)  # after B or W, a moving key only brings the page back
            return True
        return self._act(key)

    def _act(self, key: int) -> bool:
        if self.stepper is not None and key in k.NEXT_STOP_KEYS | k.PREVIOUS_STOP_KEYS:
            self.stepper(1 if key in k.NEXT_STOP_KEYS else -1)
        elif key in k.NEXT_KEYS:
            self.go_to(self.current_page() + 1)
        elif key in k.PREVIOUS_KEYS:
            self.go_to(self.current_page() - 1)
        elif key == Qt.Key.Key_Home:
            self.go_to(0)
        elif key == Qt.Key.Key_End:
            self.go_to(self.page_count() - 1)
        elif key in (Qt.Key.Key_B, Qt.Key.Key_W):
            colour = QColor(Qt.GlobalColor.black if key == Qt.Key.Key_B else Qt.GlobalColor.white)
            self.set_blank(None if self.blanked() == colour else colour)
        elif key == Qt.Key.Key_L:
            self.set_tool("spotlight")
        elif key == Qt.Key.Key_D:
            self.set_tool("laser")
        elif key == Qt.Key.Key_P:
            self.set_tool("pen")
        elif key == Qt.Key.Key_C:
            if self.pen.on_page(self.doc_key, self.current_page() + 1):
                self.pen.clear_page(self.doc_key, self.current_page() + 1)
                self.show_notice("Cleared this page's drawing — Ctrl+Z brings it back.")
        elif key == Qt.Key.Key_Z:
            if self.zoomed():
                self.leave_zoom()
            else:
                self.set_tool("zoom")
        else:
            return False
        return True

    def _undo_key(self, event: QKeyEvent) -> bool:
        if event.matches(QKeySequence.StandardKey.Undo):
            done = self.pen.undo()
            self.show_notice(UNDONE.get(done or "", "There is nothing of the pen to undo."))
            return True
        if event.matches(QKeySequence.StandardKey.Redo):
            done = self.pen.redo()
            self.show_notice(REDONE.get(done or "", "There is nothing of the pen to redo."))
            return True
        return False

    def set_blank(self, colour: QColor | None) -> None:
        self._blank = colour

    def set_typed(self, typed: str) -> None:
        self._typed = typed

    def request_end(self) -> None:
        """End the presentation as Esc would in the end: asking first about a drawing."""
        self._typed, self._blank = "", None
        if self.zoomed():
            self.leave_zoom()
        if self.tool:
            self.set_tool(self.tool)
        if self.pen:
            self.keep_bar.ask(unavailable=self.unavailable())
            self.changed.emit()
        else:
            self.finish()

    def escape(self) -> None:
        """One step back: typed number, blank screen, zoom, tool, then the presentation."""
        if self._typed:
            self._typed = ""
        elif self._blank is not None:
            self._blank = None
        elif self.zoomed():
            self.leave_zoom()
        elif self.tool:
            self.set_tool(self.tool)
        elif self.pen:
            self.keep_bar.ask(unavailable=self.unavailable())
        else:
            self.finish()

    # ------------------------------------------------------------ mouse

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._wheel += event.angleDelta().y()
        while abs(self._wheel) >= 120:
            step = 1 if self._wheel < 0 else -1
            self._wheel += step * 120
            if self._blank is not None:
                self._blank = None
                self.update()
                self.changed.emit()
            else:
                self.go_to(self.current_page() + step)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self.keep_bar.hide()
        pos = event.position()
        if self.tool == "pen" and not self.zoomed():
            self._drawing = [self._to_pdf(pos)]
        elif self.tool == "zoom":
            self._drag_from = pos.toPoint()
            self._drag_rect = QRect(self._drag_from, self._drag_from)
        self.update()
        self.changed.emit()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.point_at(event.position())

    def point_at(self, pos: QPointF) -> None:
        """The mouse (or the trainer's pointer on the console) is at ``pos`` of this window."""
        self._mouse = pos
        if self._drawing:
            self._drawing.append(self._to_pdf(pos))
        elif self._drag_from is not None:
            self._drag_rect = QRect(self._drag_from, pos.toPoint())
        if self.tool or self._drawing:
            self.update()
            self.changed.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self._drawing:
            points = tuple(self._drawing)
            width = self._pen_width_points()
            self.pen.add(Stroke(self.current_page() + 1, points, width=width, doc=self.doc_key))
            self._drawing = []
        elif self._drag_from is not None:
            clip = clip_fraction(self._drag_rect, self.page_rect())
            self._drag_from, self._drag_rect = None, QRect()
            if clip is not None:
                self.zoom_to(clip)
        self.update()
        self.changed.emit()
