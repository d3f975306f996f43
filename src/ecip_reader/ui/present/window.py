"""Presentation mode: one page at a time, full screen, with a trainer's tools.

Keys: Space / Page Down / Right / Down / the wheel go on, Backspace / Page Up /
Left / Up go back, Home / End, a number and Enter jumps, B and W black or
white out the screen, L a spotlight, D a laser dot, Z then a drag enlarges a
region (drawn sharp by the worker), P draws with a pen (C clears), Esc leaves.

Leaving with a drawing asks, in the presentation itself, whether to keep it
as an annotation: K or Enter keeps it, D or Esc discards it, any other key
goes back to presenting. Whoever opened the window decides whether keeping
is possible (:meth:`PresentationWindow.set_drawing_keeper`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, QRect, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QScreen,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from ecip_reader.ui.present.tools import (
    PEN,
    PEN_WIDTH,
    KeepDrawingBar,
    Stroke,
    clip_fraction,
    fit_page,
    paint_laser,
    paint_spotlight,
    paint_stroke,
)
from ecip_reader.ui.render.remote_document import RemoteDocument
from ecip_reader.viewing.transform import PageTransform

NEXT_KEYS = {Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_N}
PREVIOUS_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace}
KEEP_KEYS = {Qt.Key.Key_K, Qt.Key.Key_Return, Qt.Key.Key_Enter}
DISCARD_KEYS = {Qt.Key.Key_D, Qt.Key.Key_Escape}

# Saves the strokes; returns None when saved, else one sentence saying why not.
DrawingKeeper = Callable[[tuple[Stroke, ...]], str | None]


class PresentationWindow(QWidget):
    finished = Signal(int)  # 0-based page shown last
    page_shown = Signal(int)  # 0-based page now on screen
    strokes_finished = Signal(object)  # tuple[Stroke, ...] the trainer chose to keep

    def __init__(self, remote: RemoteDocument, page: int, title: str = "") -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window)
        self.setWindowTitle(f"{title} — presentation" if title else "Presentation")
        self.setAccessibleName("Presentation")
        self.setAccessibleDescription(
            "A page at a time, full screen. Space or Page Down: next page; Backspace or "
            "Page Up: previous page; Esc: leave the presentation."
        )
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self._remote = remote
        self._page = page
        self._typed = ""
        self._blank: QColor | None = None
        self.tool = ""  # "", "spotlight", "laser", "pen", "zoom"
        self._mouse = QPointF(-100, -100)
        self._strokes: list[Stroke] = []
        self._drawing: list[tuple[float, float]] = []
        self._drag_from: QPoint | None = None
        self._drag_rect = QRect()
        self._zoom_clip: tuple[float, float, float, float] | None = None
        self._zoom_request = -1
        self._zoom_image: QImage | None = None
        self._wheel = 0
        self._closing = False
        self._keeper: DrawingKeeper | None = None
        self._keep_unavailable = "Notes are not available for this document."
        self.keep_bar = KeepDrawingBar(self)
        self.keep_bar.keep_button.clicked.connect(self.keep_drawing)
        self.keep_bar.discard_button.clicked.connect(self.discard_drawing)
        remote.page_ready.connect(self._page_ready)
        remote.image_ready.connect(self._image_ready)

    # ------------------------------------------------------------ showing

    def present(self, screen: QScreen) -> None:
        """Cover ``screen`` and show the page."""
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus()
        self._request()
        self.page_shown.emit(self._page)

    def current_page(self) -> int:
        return self._page

    def page_count(self) -> int:
        return self._remote.info.page_count if self._remote.info is not None else 0

    def page_rect(self) -> QRect:
        """Where the page is drawn, in whole pixels of this window."""
        width, height = self._remote.shown_size(self._page)
        return fit_page(width, height, self.width(), self.height())

    def typed_number(self) -> str:
        return self._typed

    def blanked(self) -> QColor | None:
        return self._blank

    def zoomed(self) -> bool:
        return self._zoom_clip is not None

    def zoom_image(self) -> QImage | None:
        return self._zoom_image

    def strokes(self) -> tuple[Stroke, ...]:
        """Every pen stroke drawn so far (PDF points of the page each was drawn on)."""
        return tuple(self._strokes)

    def go_to(self, page: int) -> None:
        page = min(max(page, 0), max(self.page_count() - 1, 0))
        self._blank = None
        self._leave_zoom()
        if page != self._page:
            self._page = page
            self._request()
            self.page_shown.emit(page)
        self.update()

    def set_drawing_keeper(self, keeper: DrawingKeeper | None, unavailable: str = "") -> None:
        """How to keep the drawing on leaving; without ``keeper``, ``unavailable`` says why not."""
        self._keeper = keeper
        self._keep_unavailable = "" if keeper is not None else unavailable

    def asking_to_keep(self) -> bool:
        """Whether the "Keep this drawing?" question is on screen."""
        return self.keep_bar.isVisible()

    def keep_drawing(self) -> None:
        """Save the drawing as an annotation, then leave (stay and say why if it fails)."""
        if self._keeper is None:
            return
        strokes = tuple(self._strokes)
        problem = self._keeper(strokes) if strokes else None
        if problem:
            self.keep_bar.ask(problem=problem)
            return
        if strokes:
            self.strokes_finished.emit(strokes)
        self.finish()

    def discard_drawing(self) -> None:
        """Forget the drawing and leave."""
        self._strokes.clear()
        self.finish()

    def finish(self) -> None:
        """Leave presentation mode; a drawing not kept by then is forgotten."""
        if self._closing:
            return
        self._closing = True
        self._strokes.clear()
        self.keep_bar.hide()
        self.finished.emit(self._page)
        self.close()
        self.deleteLater()

    # ------------------------------------------------------------ drawing of pages

    def _device_width(self, page: int) -> int:
        width, height = self._remote.shown_size(page)
        return round(fit_page(width, height, self.width(), self.height()).width() * self._ratio())

    def _ratio(self) -> float:
        return self.devicePixelRatioF()

    def _request(self) -> None:
        ratio = self._ratio()
        wanted = [self._page, self._page + 1, self._page - 1]
        count = self.page_count()
        pages = [p for p in wanted if 0 <= p < count]
        self._remote.request_pages([(p, self._device_width(p), ratio) for p in pages])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.keep_bar.place()
        if self.isVisible():
            self._request()

    @Slot(int)
    def _page_ready(self, page: int) -> None:
        if page == self._page:
            self.update()

    @Slot(int, object)
    def _image_ready(self, req_id: int, image: object) -> None:
        if req_id == self._zoom_request and isinstance(image, QImage):
            self._zoom_image = image
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        if self._blank is not None:
            painter.fillRect(self.rect(), self._blank)
            painter.end()
            return
        target = self.page_rect()
        width = self._device_width(self._page)
        image = self._remote.image(self._page, width) or self._remote.placeholder(self._page, width)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        if self._zoom_clip is not None:
            self._paint_zoom(painter, image)
        else:
            painter.fillRect(target, Qt.GlobalColor.white)
            if image is not None:
                painter.drawImage(target, image)
            self._paint_strokes(painter, target)
        if self.tool == "zoom" and not self._drag_rect.isNull():
            painter.setPen(QColor(255, 200, 0))
            painter.setBrush(QColor(255, 200, 0, 40))
            painter.drawRect(self._drag_rect.normalized())
        if self.tool == "spotlight":
            paint_spotlight(painter, self.rect(), self._mouse)
        elif self.tool == "laser":
            paint_laser(painter, self._mouse)
        if self._typed:
            painter.setPen(Qt.GlobalColor.white)
            font = painter.font()
            font.setPointSizeF(max(font.pointSizeF(), 6.0) * 3)  # large, in step with the system
            painter.setFont(font)
            box = QRect(self.width() // 2 - 160, self.height() - 90, 320, 70)
            painter.fillRect(box, QColor(0, 0, 0, 180))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, f"Go to page {self._typed}")
        painter.end()

    def _paint_zoom(self, painter: QPainter, image: QImage | None) -> None:
        clip = self._zoom_clip
        assert clip is not None
        width, height = self._remote.shown_size(self._page)
        clip_w, clip_h = (clip[2] - clip[0]) * width, (clip[3] - clip[1]) * height
        target = fit_page(clip_w, clip_h, self.width(), self.height())
        if self._zoom_image is not None:
            painter.drawImage(target, self._zoom_image)
        elif image is not None:
            source = QRect(
                round(clip[0] * image.width()),
                round(clip[1] * image.height()),
                max(1, round((clip[2] - clip[0]) * image.width())),
                max(1, round((clip[3] - clip[1]) * image.height())),
            )
            painter.drawImage(target, image, source)

    def _transform(self) -> PageTransform:
        info = self._remote.info
        size = info.page_sizes[self._page] if info is not None else (612.0, 792.0)
        own = info.rotations[self._page] if info is not None and info.rotations else 0
        return PageTransform(size[0], size[1], own, self._remote.rotation)

    def _to_pdf(self, pos: QPointF) -> tuple[float, float]:
        """The PDF point under ``pos``; off the page, the nearest point on its edge."""
        rect = self.page_rect()
        fx = (pos.x() - rect.x()) / max(1, rect.width())
        fy = (pos.y() - rect.y()) / max(1, rect.height())
        return self._transform().to_pdf(min(max(fx, 0.0), 1.0), min(max(fy, 0.0), 1.0))

    def _pen_width_points(self) -> float:
        """The pen's width on screen, in PDF points of the page as shown."""
        shown_width, _height = self._remote.shown_size(self._page)
        return round(PEN_WIDTH * shown_width / max(1, self.page_rect().width()), 2)

    def _to_screen(self, point: tuple[float, float], rect: QRect) -> QPointF:
        fx, fy = self._transform().to_fraction(*point)
        return QPointF(rect.x() + fx * rect.width(), rect.y() + fy * rect.height())

    def _paint_strokes(self, painter: QPainter, rect: QRect) -> None:
        lines = [s.points for s in self._strokes if s.page == self._page + 1]
        if self._drawing:
            lines.append(tuple(self._drawing))
        for points in lines:
            paint_stroke(painter, [self._to_screen(p, rect) for p in points], PEN, PEN_WIDTH)

    # ------------------------------------------------------------ tools

    def set_tool(self, tool: str) -> None:
        """ "spotlight", "laser", "pen", "zoom" (drag a region) or "" for none; again turns off."""
        self.tool = "" if tool == self.tool else tool
        hide = self.tool in ("spotlight", "laser")
        self.setCursor(Qt.CursorShape.BlankCursor if hide else Qt.CursorShape.ArrowCursor)
        if self.tool == "pen":
            self.setCursor(Qt.CursorShape.CrossCursor)
        if self.tool == "zoom":
            self.setCursor(Qt.CursorShape.CrossCursor)
        self.update()

    def zoom_to(self, clip: tuple[float, float, float, float]) -> None:
        """Enlarge the part ``clip`` (fractions of the page on screen) to fill the screen."""
        width, height = self._remote.shown_size(self._page)
        clip_w, clip_h = (clip[2] - clip[0]) * width, (clip[3] - clip[1]) * height
        target = fit_page(clip_w, clip_h, self.width(), self.height())
        zoom = target.width() * self._ratio() / max(clip_w, 1e-6)
        self._zoom_clip = clip
        self._zoom_image = None
        self._zoom_request = self._remote.request_image(self._page, zoom, clip)
        self.tool = ""
        self.setCursor(Qt.CursorShape.ArrowCursor)
        self.update()

    def _leave_zoom(self) -> None:
        self._zoom_clip = None
        self._zoom_image = None
        self._zoom_request = -1
        self._drag_rect = QRect()

    # ------------------------------------------------------------ input

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.asking_to_keep():
            if key in KEEP_KEYS:
                self.keep_drawing()  # does nothing when the drawing cannot be kept
                return
            if key in DISCARD_KEYS:
                self.discard_drawing()
                return
            self.keep_bar.hide()  # any other key: back to presenting
        text = event.text()
        if text.isdigit():
            self._typed = (self._typed + text)[-6:]
            self.update()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._typed:
            number, self._typed = int(self._typed), ""
            self.go_to(number - 1)
            return
        if key == Qt.Key.Key_Escape:
            self._escape()
            return
        self._typed = ""
        if key in NEXT_KEYS:
            self.go_to(self._page + 1)
        elif key in PREVIOUS_KEYS:
            self.go_to(self._page - 1)
        elif key == Qt.Key.Key_Home:
            self.go_to(0)
        elif key == Qt.Key.Key_End:
            self.go_to(self.page_count() - 1)
        elif key in (Qt.Key.Key_B, Qt.Key.Key_W):
            colour = QColor(Qt.GlobalColor.black if key == Qt.Key.Key_B else Qt.GlobalColor.white)
            self._blank = None if self._blank == colour else colour
            self.update()
        elif key == Qt.Key.Key_L:
            self.set_tool("spotlight")
        elif key == Qt.Key.Key_D:
            self.set_tool("laser")
        elif key == Qt.Key.Key_P:
            self.set_tool("pen")
        elif key == Qt.Key.Key_C:
            self._strokes = [s for s in self._strokes if s.page != self._page + 1]
            self.update()
        elif key == Qt.Key.Key_Z:
            if self._zoom_clip is not None:
                self._leave_zoom()
                self.update()
            else:
                self.set_tool("zoom")
        else:
            super().keyPressEvent(event)

    def _escape(self) -> None:
        if self._typed:
            self._typed = ""
        elif self._blank is not None:
            self._blank = None
        elif self._zoom_clip is not None:
            self._leave_zoom()
        elif self.tool:
            self.set_tool(self.tool)
        elif self._strokes:
            self.keep_bar.ask(unavailable=self._keep_unavailable)
        else:
            self.finish()
            return
        self.update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._wheel += event.angleDelta().y()
        while abs(self._wheel) >= 120:
            step = 1 if self._wheel < 0 else -1
            self._wheel += step * 120
            self.go_to(self._page + step)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self.keep_bar.hide()
        pos = event.position()
        if self.tool == "pen" and self._zoom_clip is None:
            self._drawing = [self._to_pdf(pos)]
        elif self.tool == "zoom":
            self._drag_from = pos.toPoint()
            self._drag_rect = QRect(self._drag_from, self._drag_from)
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._mouse = event.position()
        if self._drawing:
            self._drawing.append(self._to_pdf(self._mouse))
        elif self._drag_from is not None:
            self._drag_rect = QRect(self._drag_from, self._mouse.toPoint())
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self._drawing:
            points = tuple(self._drawing)
            self._strokes.append(Stroke(self._page + 1, points, width=self._pen_width_points()))
            self._drawing = []
        elif self._drag_from is not None:
            clip = clip_fraction(self._drag_rect, self.page_rect())
            self._drag_from, self._drag_rect = None, QRect()
            if clip is not None:
                self.zoom_to(clip)
        self.update()
