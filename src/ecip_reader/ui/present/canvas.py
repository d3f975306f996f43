"""The slide area of presentation mode: one page fitted to the screen, zoom, pen lines.

:class:`PresentationCanvas` shows a page of one document at a time (a session
plan moves it to other documents with :meth:`PresentationCanvas.show_document`),
enlarges a region drawn sharp by the worker, and draws what
:meth:`PresentationCanvas.paint_content` draws — which the presenter console
reuses, scaled, to mirror the projector. Input lives in
:class:`~ecip_reader.ui.present.window.PresentationWindow`.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRect, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QResizeEvent, QScreen
from PySide6.QtWidgets import QWidget

from ecip_reader.ui.present.link import ToView
from ecip_reader.ui.present.pen import PenDrawing
from ecip_reader.ui.present.tools import (
    PEN,
    PEN_WIDTH,
    fit_page,
    paint_laser,
    paint_spotlight,
    paint_stroke,
)
from ecip_reader.ui.render.remote_document import RemoteDocument
from ecip_reader.viewing.transform import PageTransform

NOTICE_MS = 2500
Clip = tuple[float, float, float, float]


class PresentationCanvas(QWidget):
    page_shown = Signal(int)  # 0-based page now on screen
    changed = Signal()  # anything on screen changed (the console mirrors it)

    def __init__(
        self, remote: RemoteDocument, page: int, title: str = "", doc_key: str = ""
    ) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window)
        self.setAccessibleName("Presentation")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self._remote = remote
        self._page = page
        self.title = title
        self.doc_key = doc_key
        self._region: tuple[float, float, float, float] | None = None  # zoom once opened
        self.also_wanted: list[int] = []  # pages to draw ahead (a session plan's next stop)
        self._typed = ""
        self._blank: QColor | None = None
        self.tool = ""  # "", "spotlight", "laser", "pen", "zoom"
        self._mouse = QPointF(-100, -100)
        self.pen = PenDrawing()
        self._drawing: list[tuple[float, float]] = []
        self._drag_from: QPoint | None = None
        self._drag_rect = QRect()
        self._zoom_clip: Clip | None = None
        self._zoom_request = -1
        self._zoom_image: QImage | None = None
        self._notice = ""
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(lambda: self.show_notice(""))
        self._set_title()
        self._connect(remote)

    # ------------------------------------------------------------ showing

    def _set_title(self) -> None:
        self.setWindowTitle(f"{self.title} — presentation" if self.title else "Presentation")

    def _connect(self, remote: RemoteDocument) -> None:
        remote.page_ready.connect(self._page_ready)
        remote.image_ready.connect(self._image_ready)
        remote.opened.connect(self._opened)

    def _disconnect(self, remote: RemoteDocument) -> None:
        for signal, slot in (
            (remote.page_ready, self._page_ready),
            (remote.image_ready, self._image_ready),
            (remote.opened, self._opened),
        ):
            signal.disconnect(slot)

    def present(self, screen: QScreen) -> None:
        """Cover ``screen`` and show the page."""
        if self.isVisible() and self.screen() is not screen:
            self.hide()  # a full-screen window moves to another screen only while hidden
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus()
        self._request()
        self.page_shown.emit(self._page)
        self.changed.emit()

    def remote(self) -> RemoteDocument:
        return self._remote

    def show_document(
        self,
        remote: RemoteDocument,
        page: int,
        title: str,
        doc_key: str,
        region: tuple[float, float, float, float] | None = None,
    ) -> None:
        """Show ``page`` (0-based) of another document, enlarging ``region`` (PDF points) if any."""
        self._typed, self._blank, self.tool = "", None, ""
        self._leave_zoom()
        if remote is not self._remote:
            self._disconnect(self._remote)
            self._remote = remote
            self._connect(remote)
        self.title, self.doc_key = title, doc_key
        self._set_title()
        self._page = page
        self._region = region
        if remote.info is not None:
            self._opened(remote.info)
        self.update()
        self.page_shown.emit(page)
        self.changed.emit()

    @Slot(object)
    def _opened(self, _info: object) -> None:
        count = self.page_count()
        if count:
            self._page = min(max(self._page, 0), count - 1)
        if self.isVisible():
            self._request()
        region, self._region = self._region, None
        if region is not None:
            self.zoom_to(self.region_clip(region))
        self.update()
        self.changed.emit()

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

    def notice(self) -> str:
        return self._notice

    def go_to(self, page: int) -> None:
        if self.page_count() == 0:
            return
        page = min(max(page, 0), self.page_count() - 1)
        self._blank = None
        self._leave_zoom()
        if page != self._page:
            self._page = page
            self._request()
            self.page_shown.emit(page)
        self.update()
        self.changed.emit()

    def show_notice(self, text: str) -> None:
        """Say ``text`` at the foot of the slide for a moment (``""`` takes it away)."""
        self._notice = text
        if text:
            self._notice_timer.start(NOTICE_MS)
        self.update()
        self.changed.emit()

    # ------------------------------------------------------------ pages

    def _device_width(self, page: int) -> int:
        return self.device_width(self._remote, page)

    def _ratio(self) -> float:
        return self.devicePixelRatioF()

    def device_width(self, remote: RemoteDocument, page: int) -> int:
        """The width in device pixels ``page`` of ``remote`` would be drawn at here."""
        width, height = remote.shown_size(page)
        return round(fit_page(width, height, self.width(), self.height()).width() * self._ratio())

    def ask_for_pages(self) -> None:
        """Ask the worker for the page shown, its neighbours and :attr:`also_wanted`."""
        if self.isVisible():
            self._request()

    def _request(self) -> None:
        ratio = self._ratio()
        wanted = [self._page, self._page + 1, self._page - 1, *self.also_wanted]
        count = self.page_count()
        pages = [p for p in wanted if 0 <= p < count]
        self._remote.request_pages([(p, self._device_width(p), ratio) for p in pages])

    def page_image(self, page: int) -> QImage | None:
        """The best image of ``page`` (0-based) there is now, sharp or not."""
        width = self._device_width(page)
        return self._remote.image(page, width) or self._remote.placeholder(page, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.isVisible():
            self._request()

    @Slot(int)
    def _page_ready(self, page: int) -> None:
        if page in (self._page, self._page + 1):
            self.update()
            self.changed.emit()

    @Slot(int, object)
    def _image_ready(self, req_id: int, image: object) -> None:
        if req_id == self._zoom_request and isinstance(image, QImage):
            self._zoom_image = image
            self.update()
            self.changed.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.paint_content(painter)
        painter.end()

    def paint_content(self, painter: QPainter) -> None:
        """Draw what the screen shows, in this window's coordinates (the console scales it)."""
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        if self._blank is not None:
            painter.fillRect(self.rect(), self._blank)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        if self.page_count() == 0:
            self._paint_caption(painter, f"Opening {self.title}…" if self.title else "Opening…")
            return
        target = self.page_rect()
        image = self.page_image(self._page)
        if self._zoom_clip is not None:
            self._paint_zoom(painter, image)
            zoomed = self._zoom_target(self._zoom_clip)
            painter.save()
            painter.setClipRect(zoomed)
            self.paint_marks(painter, self._zoomed_to_screen(self._zoom_clip, zoomed))
            painter.restore()
        else:
            painter.fillRect(target, Qt.GlobalColor.white)
            if image is not None:
                painter.drawImage(target, image)
            self.paint_marks(painter, lambda x, y: self._to_screen((x, y), target))
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
            self._paint_caption(painter, f"Go to page {self._typed}")
        elif self._notice:
            self._paint_caption(painter, self._notice)

    def paint_marks(self, painter: QPainter, to_view: ToView) -> None:
        """Draw the highlights and drawings kept on the page shown; ``to_view`` maps PDF
        points to this window. None here: the presentation window draws the notes'."""

    def _zoomed_to_screen(self, clip: Clip, target: QRect) -> ToView:
        transform = self._transform()

        def to_view(x: float, y: float) -> QPointF:
            fx, fy = transform.to_fraction(x, y)
            return QPointF(
                target.x() + (fx - clip[0]) / max(1e-6, clip[2] - clip[0]) * target.width(),
                target.y() + (fy - clip[1]) / max(1e-6, clip[3] - clip[1]) * target.height(),
            )

        return to_view

    def _paint_caption(self, painter: QPainter, text: str) -> None:
        painter.save()
        font = painter.font()
        font.setPointSize(22)
        painter.setFont(font)
        width = min(self.width() - 40, painter.fontMetrics().horizontalAdvance(text) + 60)
        box = QRect((self.width() - width) // 2, self.height() - 100, width, 64)
        painter.fillRect(box, QColor(0, 0, 0, 190))
        painter.setPen(Qt.GlobalColor.white)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def _paint_zoom(self, painter: QPainter, image: QImage | None) -> None:
        clip = self._zoom_clip
        assert clip is not None
        target = self._zoom_target(clip)
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

    def _zoom_target(self, clip: Clip) -> QRect:
        width, height = self._remote.shown_size(self._page)
        clip_w, clip_h = (clip[2] - clip[0]) * width, (clip[3] - clip[1]) * height
        return fit_page(clip_w, clip_h, self.width(), self.height())

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
        lines = [s.points for s in self.pen.on_page(self.doc_key, self._page + 1)]
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
        if self.tool in ("pen", "zoom"):
            self.setCursor(Qt.CursorShape.CrossCursor)
        self.update()
        self.changed.emit()

    def region_clip(self, region: tuple[float, float, float, float]) -> Clip:
        """A region in PDF points of the unturned page as fractions of the page on screen."""
        transform = self._transform()
        a = transform.to_fraction(region[0], region[1])
        b = transform.to_fraction(region[2], region[3])

        def inside(value: float) -> float:
            return min(max(value, 0.0), 1.0)

        return (
            inside(min(a[0], b[0])),
            inside(min(a[1], b[1])),
            inside(max(a[0], b[0])),
            inside(max(a[1], b[1])),
        )

    def zoom_to(self, clip: Clip) -> None:
        """Enlarge the part ``clip`` (fractions of the page on screen) to fill the screen."""
        width, _height = self._remote.shown_size(self._page)
        target = self._zoom_target(clip)
        zoom = target.width() * self._ratio() / max((clip[2] - clip[0]) * width, 1e-6)
        self._zoom_clip = clip
        self._zoom_image = None
        self._zoom_request = self._remote.request_image(self._page, zoom, clip)
        self.tool = ""
        self.setCursor(Qt.CursorShape.ArrowCursor)
        self.update()
        self.changed.emit()

    def leave_zoom(self) -> None:
        self._leave_zoom()
        self.update()
        self.changed.emit()

    def _leave_zoom(self) -> None:
        self._zoom_clip = None
        self._zoom_image = None
        self._zoom_request = -1
        self._drag_rect = QRect()
