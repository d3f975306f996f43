"""The pieces of the presenter console: the mirrored slide, the next slide, the page strip.

:class:`MirrorView` draws what the projector shows (the presentation's own
painting, scaled), and passes the mouse on to it, so the pen, the laser and
the spotlight can be worked from the laptop. :class:`SlideView` shows one
page image with a caption. :class:`PageStrip` lists every page (or every stop
of a session plan) as a small picture to jump to.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QListView,
    QSizePolicy,
    QWidget,
)

from ecip_reader.ui.present.tools import fit_page
from ecip_reader.ui.present.window import PresentationWindow
from ecip_reader.ui.render.remote_document import RemoteDocument

CONSOLE_BACKGROUND = QColor(24, 24, 27)
CAPTION = QColor(200, 200, 205)
CURRENT_FRAME = QColor(255, 190, 60)
THUMB_WIDTH = 128
THUMB_HEIGHT = 96  # a landscape slide is 128 × 72 in the strip, a portrait page 68 × 96
Index = QModelIndex | QPersistentModelIndex


class StopWatch:
    """Elapsed time that can be paused and reset (monotonic: a clock change does not move it)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._banked = 0.0
        self._since: float | None = None

    @property
    def running(self) -> bool:
        return self._since is not None

    def start(self) -> None:
        if self._since is None:
            self._since = self._clock()

    def pause(self) -> None:
        if self._since is not None:
            self._banked += self._clock() - self._since
            self._since = None

    def toggle(self) -> None:
        self.pause() if self.running else self.start()

    def reset(self) -> None:
        self._banked = 0.0
        self._since = self._clock() if self._since is not None else None

    def seconds(self) -> float:
        running = self._clock() - self._since if self._since is not None else 0.0
        return self._banked + running


def format_elapsed(seconds: float) -> str:
    """ "4:05" under an hour, "1:04:05" after."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ElidedLabel(QLabel):
    """One line of text that ends in "…" when it does not fit (all of it in the tooltip)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    def show_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, self.width()))


def _paint_caption(painter: QPainter, area: QRect, text: str) -> None:
    painter.setPen(CAPTION)
    painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)


class MirrorView(QWidget):
    """What the projector shows, scaled to fit; the mouse here works on the projected slide."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Current slide")
        self.setMouseTracking(True)
        self.setMinimumSize(240, 135)
        self.window_shown: PresentationWindow | None = None

    def show_window(self, window: PresentationWindow | None) -> None:
        self.window_shown = window
        self.update()

    def _placement(self) -> tuple[QRect, float]:
        """Where the projector's picture sits here, and its scale."""
        window = self.window_shown
        if window is None or window.width() < 1 or window.height() < 1:
            return QRect(), 1.0
        area = fit_page(window.width(), window.height(), self.width(), self.height())
        return area, area.width() / window.width()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), CONSOLE_BACKGROUND)
        area, scale = self._placement()
        window = self.window_shown
        if window is not None and not area.isEmpty():
            painter.save()
            painter.setClipRect(area)
            painter.translate(area.topLeft())
            painter.scale(scale, scale)
            window.paint_content(painter)
            bar = window.keep_bar
            if bar.isVisible():  # the question on leaving, so the trainer sees it here too
                bar.render(painter, bar.pos())
            painter.restore()
            painter.setPen(QColor(90, 90, 96))
            painter.drawRect(area.adjusted(0, 0, -1, -1))
        painter.end()

    def to_window(self, pos: QPointF) -> QPointF | None:
        """The point of the projector window under ``pos`` here (``None`` off the picture)."""
        area, scale = self._placement()
        if area.isEmpty() or not QRectF(area).contains(pos):
            return None
        return QPointF((pos.x() - area.x()) / scale, (pos.y() - area.y()) / scale)

    def _forward(self, event: QMouseEvent) -> None:
        window = self.window_shown
        at = self.to_window(event.position())
        if window is None or at is None:
            return
        button = window.childAt(at.toPoint())
        if isinstance(button, QAbstractButton):  # Keep, Discard or Back, clicked here
            if event.type() == QEvent.Type.MouseButtonRelease:
                button.click()
            return
        forwarded = QMouseEvent(
            event.type(),
            at,
            QPointF(window.mapToGlobal(at.toPoint())),
            event.button(),
            event.buttons(),
            event.modifiers(),
        )
        QApplication.sendEvent(window, forwarded)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._forward(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._forward(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._forward(event)


class SlideView(QWidget):
    """One page image fitted into the widget, or a caption when there is none."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setMinimumSize(160, 90)
        self.image: QImage | None = None
        self.page_size: tuple[float, float] = (16.0, 9.0)
        self.caption = ""

    def show_image(
        self, image: QImage | None, page_size: tuple[float, float], caption: str
    ) -> None:
        self.image, self.page_size, self.caption = image, page_size, caption
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), CONSOLE_BACKGROUND)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        if self.image is None:
            _paint_caption(painter, self.rect(), self.caption)
        else:
            target = fit_page(*self.page_size, self.width(), self.height())
            painter.fillRect(target, Qt.GlobalColor.white)
            painter.drawImage(target, self.image)
        painter.end()


@dataclass(frozen=True)
class StripItem:
    """One picture of the strip: ``page`` (0-based) of ``remote``, with its number."""

    remote: RemoteDocument
    page: int
    label: str


class StripModel(QAbstractListModel):
    """The pages (or stops) of the strip, with their small pictures as they arrive."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[StripItem] = []
        self.current = -1
        # A grey slide until the picture comes, in a box of the size every picture has.
        self._blank = QPixmap(THUMB_WIDTH, THUMB_HEIGHT)
        self._blank.fill(Qt.GlobalColor.transparent)
        painter = QPainter(self._blank)
        slide = THUMB_WIDTH * 9 // 16
        painter.fillRect(0, THUMB_HEIGHT - slide, THUMB_WIDTH, slide, QColor(60, 60, 66))
        painter.end()
        self._pictures: dict[tuple[int, int], QPixmap] = {}
        self._remotes: list[RemoteDocument] = []

    def set_items(self, items: Sequence[StripItem], current: int) -> None:
        self.beginResetModel()
        for remote in self._remotes:
            remote.thumbnail_ready.disconnect(self._thumbnail_ready)
        self.items = list(items)
        self.current = current
        self._pictures.clear()
        self._remotes = list({id(i.remote): i.remote for i in self.items}.values())
        for remote in self._remotes:
            remote.thumbnail_ready.connect(self._thumbnail_ready)
        self.endResetModel()

    def set_current(self, current: int) -> None:
        before, self.current = self.current, current
        for row in (before, current):
            if 0 <= row < len(self.items):
                self.dataChanged.emit(self.index(row), self.index(row))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.label
        if role == Qt.ItemDataRole.DecorationRole:
            return self._picture(item)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Go to {item.label}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.label
        return None

    def _picture(self, item: StripItem) -> QPixmap:
        """The page's small picture fitted into the strip's box (made once per page)."""
        key = (id(item.remote), item.page)
        found = self._pictures.get(key)
        if found is not None:
            return found
        image = item.remote.thumbnail(item.page, THUMB_WIDTH)
        if image is None:
            return self._blank
        scaled = QPixmap.fromImage(image).scaled(
            THUMB_WIDTH,
            THUMB_HEIGHT,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        # Every picture in a box of one size, so the numbers line up under slides and pages.
        fitted = QPixmap(THUMB_WIDTH, THUMB_HEIGHT)
        fitted.fill(Qt.GlobalColor.transparent)
        painter = QPainter(fitted)
        painter.drawPixmap(
            (THUMB_WIDTH - scaled.width()) // 2, THUMB_HEIGHT - scaled.height(), scaled
        )
        painter.end()
        self._pictures[key] = fitted
        return fitted

    def request(self, first: int, last: int) -> None:
        """Ask for the pictures of rows ``first``..``last`` (those in sight)."""
        wanted: dict[int, tuple[RemoteDocument, list[int]]] = {}
        for item in self.items[max(0, first) : last + 1]:
            wanted.setdefault(id(item.remote), (item.remote, []))[1].append(item.page)
        for remote, pages in wanted.values():
            remote.request_thumbnails(pages, THUMB_WIDTH)

    def _thumbnail_ready(self, page: int) -> None:
        sender = self.sender()
        for row, item in enumerate(self.items):
            if item.page == page and item.remote is sender:
                self.dataChanged.emit(self.index(row), self.index(row))


class PageStrip(QListView):
    """A row of small pages; a click jumps there."""

    chosen = Signal(int)  # row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("All pages")
        self.strip = StripModel(self)
        self.setModel(self.strip)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(THUMB_WIDTH, THUMB_HEIGHT))
        self.setSpacing(6)
        self.setUniformItemSizes(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the console
        self.setHorizontalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setFixedHeight(THUMB_HEIGHT + 48)
        self.clicked.connect(lambda index: self.chosen.emit(index.row()))
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self.request_visible())

    def show_items(self, items: Sequence[StripItem], current: int) -> None:
        self.strip.set_items(items, current)
        self.follow(current)

    def follow(self, current: int) -> None:
        self.strip.set_current(current)
        if 0 <= current < self.strip.rowCount():
            index = self.strip.index(current)
            self.setCurrentIndex(index)
            self.scrollTo(index, QListView.ScrollHint.PositionAtCenter)
        self.request_visible()

    def request_visible(self) -> None:
        """Ask for the pictures in sight, and a few beyond."""
        rows = self.strip.rowCount()
        if not rows:
            return
        area = self.viewport().rect()
        middle = area.center().y()
        first = self.indexAt(QPoint(area.left() + 2, middle)).row()
        last = self.indexAt(QPoint(area.right() - 2, middle)).row()
        if first < 0:
            first = max(0, self.strip.current - 10)
        if last < 0:
            last = first + 20
        self.strip.request(max(0, first - 4), min(rows - 1, last + 4))
