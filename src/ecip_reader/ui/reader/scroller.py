"""The scrolling surface that shows every page of a document, one below the other.

This is the core of :class:`~ecip_reader.ui.reader.canvas.PageCanvas`: layout,
scrolling, asking the worker for pages and painting them.

Only the pages in view are painted. Pages in view (then one screen ahead and
one behind) are asked for from the render worker at the device's resolution;
until a sharp image arrives the page shows the nearest cached image or a
small preview, scaled. Search terms are marked on every page that shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, QPointF, QRect, Qt, QTimer, Signal, SignalInstance, Slot
from PySide6.QtGui import (
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from ecip_reader.ui.reader.painter import (
    apply_night,
    paint_image,
    paint_search_marks,
    paint_shadow,
)
from ecip_reader.ui.render.remote_document import RemoteDocument
from ecip_reader.viewing.layout import (
    FIT_PAGE,
    FIT_WIDTH,
    MARGIN,
    TRIM_MARGIN,
    PageLayout,
    PageRect,
    clamp_zoom,
    fit_zoom,
    next_zoom,
)
from ecip_reader.viewing.transform import PageTransform

ZoomMode = str | float
Box = tuple[float, float, float, float, str]
ToView = Callable[[float, float], QPointF]
PainterFn = Callable[[QPainter, int, ToView], None]  # page is 1-based
HEADING_ROOM = 24  # pixels left above a heading a link or the outline leads to
# Layers drawn over each page: under the overlays (find hits), overlays, above them (selection).
UNDER, OVERLAY, ABOVE = 0, 1, 2


class PageScroller(QAbstractScrollArea):
    current_page_changed = Signal(int)  # 0-based
    zoom_changed = Signal(float)  # effective zoom, 1.0 = 100 %
    page_shown = Signal(int)  # a page came into view (0-based)
    page_sharp = Signal(int)  # a page in view was drawn at full resolution

    def __init__(self, remote: RemoteDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._remote = remote
        self._sizes: tuple[tuple[float, float], ...] = ()
        self._own_rotations: tuple[int, ...] = ()
        self._rotation = 0
        self._night = "off"
        self._trim_on = False
        self._trim: tuple[float, float] | None = None
        self._layers: tuple[list[PainterFn], ...] = ([], [], [])
        self._mode: ZoomMode = FIT_WIDTH
        self._layout: PageLayout | None = None
        self._message: str | None = "Opening…"
        self._terms: tuple[str, ...] = ()
        self._highlights: dict[int, tuple[Box, ...]] = {}
        self._asked_words: set[int] = set()
        self._failed_pages: dict[int, str] = {}
        self._current = 0
        self._page_hint: int | None = None
        # Where the reader was sent (page, offset or None for "its top") until they scroll.
        self._target: tuple[int, float | None] | None = None
        self._reveal_page: int | None = None  # page whose first search hit is to be shown
        self._programmatic = False
        self._shown: set[int] = set()
        self._sharp: set[int] = set()
        self._events: list[tuple[SignalInstance, int]] = []
        self._wheel = 0
        self._request_timer = QTimer(self)
        self._request_timer.setSingleShot(True)
        self._request_timer.setInterval(0)
        self._request_timer.timeout.connect(self._send_requests)
        self._emit_timer = QTimer(self)
        self._emit_timer.setSingleShot(True)
        self._emit_timer.setInterval(0)
        self._emit_timer.timeout.connect(self._flush_events)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(self._scrolled)
        remote.page_ready.connect(self._page_ready)
        remote.page_failed.connect(self._page_failed)

    # ------------------------------------------------------------ document

    def set_page_sizes(
        self, sizes: Sequence[tuple[float, float]], rotations: Sequence[int] = ()
    ) -> None:
        first = not self._sizes
        self._sizes = tuple(sizes)
        self._own_rotations = tuple(rotations)
        self._message = None
        self._relayout(keep_position=not first)

    def _shown_sizes(self) -> tuple[tuple[float, float], ...]:
        if self._rotation % 180:
            return tuple((h, w) for w, h in self._sizes)
        return self._sizes

    def reopened(self) -> None:
        """The worker was restarted: ask again for anything that was still on its way."""
        self._asked_words = set(self._highlights)
        self._failed_pages.clear()
        self._schedule_requests()
        self.viewport().update()

    def show_message(self, text: str) -> None:
        """Show ``text`` instead of pages (the document could not be shown)."""
        self._message = text
        self._sizes = ()
        self._layout = None
        self._update_scrollbars()
        self.viewport().update()

    def page_count(self) -> int:
        return len(self._sizes)

    # ------------------------------------------------------------ zoom

    def zoom_mode(self) -> ZoomMode:
        return self._mode

    def effective_zoom(self) -> float:
        if isinstance(self._mode, str):
            size = self.viewport().size()
            trim = self._trim if self._trim_on and self._mode == FIT_WIDTH else None
            return fit_zoom(self._mode, self._shown_sizes(), size.width(), size.height(), trim)
        return self._mode

    def set_zoom(self, mode: ZoomMode, anchor: QPoint | None = None) -> None:
        if isinstance(mode, str):
            if mode not in (FIT_WIDTH, FIT_PAGE):
                raise ValueError(f"unknown zoom mode {mode!r}")
        else:
            mode = clamp_zoom(float(mode))
        self._mode = mode
        self._relayout(keep_position=True, anchor=anchor)

    def step_zoom(self, direction: int, anchor: QPoint | None = None) -> None:
        self.set_zoom(next_zoom(self.effective_zoom(), direction), anchor)

    # ------------------------------------------------------------ position

    def current_page(self) -> int:
        return self._current

    def go_to(self, page: int, offset: float | None = None) -> None:
        """Scroll ``page`` (0-based) to the top of the view.

        ``offset`` places the view's top that fraction of the page's height below
        the page's top edge; without it the page starts just below the view's top.
        """
        if self._layout is None or not self._layout.rects:
            return
        page = min(max(page, 0), len(self._layout.rects) - 1)
        self._reveal_page = None
        self._target = (page, offset)
        self._set_scroll(self._target_top(self._layout, page, offset), None)
        self._page_hint = page
        self._update_current()

    def go_to_place(self, page: int, top: float = -1.0) -> None:
        """Scroll to ``page`` (0-based); with ``top`` (a fraction down it), to that place.

        The place lands :data:`HEADING_ROOM` pixels below the top of the view, so a
        heading it points at is read with a little space above it.
        """
        if top < 0 or self._layout is None or not 0 <= page < len(self._layout.rects):
            self.go_to(page)
            return
        height = self._layout.rects[page].height
        self.go_to(page, max(0.0, top - HEADING_ROOM / max(1, height)))

    def reading_place(self) -> tuple[int, float]:
        """The page (0-based) and fraction down it of the line being read, near the top."""
        if self._layout is None or not self._layout.rects:
            return self._current, 0.0
        row = self.verticalScrollBar().value() + HEADING_ROOM * 2
        return self._layout.locate(row)

    @staticmethod
    def _target_top(layout: PageLayout, page: int, offset: float | None) -> int:
        if offset is None:
            return layout.rects[page].y - MARGIN // 2
        return round(layout.position_of(page, offset))

    def _top_place(self, layout: PageLayout) -> tuple[int, float, int]:
        """Where the view's top is: a page, a fraction of it, and pixels above it (gaps)."""
        row = self.verticalScrollBar().value()
        page, fraction = layout.locate(row)
        rect = layout.rects[page]
        if row >= rect.bottom and page + 1 < len(layout.rects):
            page, rect = page + 1, layout.rects[page + 1]  # in the gap above the next page
        if row < rect.y:
            return page, 0.0, row - rect.y
        return page, fraction, 0

    def position(self) -> tuple[int, float]:
        """The current page (0-based) and where the view's top is, as a fraction of that page."""
        if self._layout is None or not self._layout.rects:
            return self._current, 0.0
        rect = self._layout.rects[self._current]
        return self._current, (self.verticalScrollBar().value() - rect.y) / rect.height

    def page_rect(self, page: int) -> QRect:
        """Where ``page`` is drawn, in viewport coordinates (empty before the document opens)."""
        if self._layout is None or not 0 <= page < len(self._layout.rects):
            return QRect()
        r = self._layout.rects[page]
        return QRect(
            r.x - self.horizontalScrollBar().value(),
            r.y - self.verticalScrollBar().value(),
            r.width,
            r.height,
        )

    def visible_pages(self) -> range:
        """Pages (0-based) at least partly in view."""
        if self._layout is None:
            return range(0)
        top = self.verticalScrollBar().value()
        return self._layout.pages_between(top, top + self.viewport().height())

    def page_is_sharp(self, page: int) -> bool:
        """Whether ``page`` (0-based) has its full-resolution image at the current zoom."""
        width = self.page_rect(page).width()
        ratio = self.devicePixelRatioF()
        return width > 0 and self._remote.image(page, round(width * ratio)) is not None

    # ------------------------------------------------------------ layout

    def _relayout(self, keep_position: bool, anchor: QPoint | None = None) -> None:
        if not self._sizes:
            return
        viewport = self.viewport().size()
        old = self._layout
        point = anchor or QPoint(viewport.width() // 2, viewport.height() // 2)
        hint, target = self._page_hint, self._target
        saved = None
        place = None
        if old is not None and keep_position:
            vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
            if anchor is not None:  # keep what is under the mouse where it is
                page, fraction = old.locate(vbar.value() + point.y())
                target, hint = None, None
            else:  # keep the top of the view on the same place of the same page
                page, fraction, gap = self._top_place(old)
                place = (page, fraction, gap)
            saved = (page, fraction, (hbar.value() + point.x()) / max(1, old.width))
        zoom = self.effective_zoom()
        self._layout = PageLayout(self._shown_sizes(), zoom, viewport.width())
        self._update_scrollbars()
        if saved is not None:
            page, fraction, across = saved
            if target is not None:
                top = self._target_top(self._layout, *target)
            elif place is not None:
                top = round(self._layout.position_of(page, fraction)) + place[2]
            else:
                top = round(self._layout.position_of(page, fraction)) - point.y()
            left = round(across * self._layout.width) - point.x()
            self._set_scroll(top, left)
        if self._trim is not None and self._trim_on and self._mode == FIT_WIDTH:
            rect = self._layout.rects[min(self._current, len(self._layout.rects) - 1)]
            self._set_scroll(self.verticalScrollBar().value(), self._trimmed_left(rect))
        self._page_hint, self._target = hint, target
        self._update_current()
        self._schedule_requests()
        self.viewport().update()
        self.zoom_changed.emit(zoom)

    def _update_scrollbars(self) -> None:
        viewport = self.viewport().size()
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        height = self._layout.height if self._layout else 0
        width = self._layout.width if self._layout else 0
        self._programmatic = True
        try:
            vbar.setRange(0, max(0, height - viewport.height()))
            vbar.setPageStep(viewport.height())
            vbar.setSingleStep(48)
            hbar.setRange(0, max(0, width - viewport.width()))
            hbar.setPageStep(viewport.width())
            hbar.setSingleStep(48)
        finally:
            self._programmatic = False

    def _set_scroll(self, top: int, left: int | None) -> None:
        self._programmatic = True
        try:
            self.verticalScrollBar().setValue(top)
            if left is not None:
                self.horizontalScrollBar().setValue(left)
        finally:
            self._programmatic = False

    @Slot()
    def _scrolled(self) -> None:
        if not self._programmatic:
            self._page_hint = None
            self._target = None
            self._reveal_page = None
        self._update_current()
        self._schedule_requests()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        # Move what is already drawn; only the strip that comes into view is painted.
        self.viewport().scroll(dx, dy)

    def _update_current(self) -> None:
        if self._layout is None or not self._layout.rects:
            return
        top = self.verticalScrollBar().value()
        page = self._page_hint
        if page is None:
            page = self._layout.most_visible(top, top + self.viewport().height())
        if page != self._current:
            self._current = page
            self.current_page_changed.emit(page)

    # ------------------------------------------------------------ asking the worker

    def _schedule_requests(self) -> None:
        if not self._request_timer.isActive():
            self._request_timer.start()

    @Slot()
    def _send_requests(self) -> None:
        layout = self._layout
        if layout is None or not self.isVisible():
            return
        top = self.verticalScrollBar().value()
        height = self.viewport().height()
        ratio = self.devicePixelRatioF()
        middle = top + height / 2
        visible = sorted(
            layout.pages_between(top, top + height),
            key=lambda i: abs(layout.rects[i].y + layout.rects[i].height / 2 - middle),
        )
        ahead = list(layout.pages_between(top + height, top + 2 * height))
        behind = list(reversed(layout.pages_between(top - height, top)))
        order = [p for p in [*visible, *ahead, *behind] if p not in self._failed_pages]
        wanted = [(p, round(layout.rects[p].width * ratio), ratio) for p in order]
        self._remote.request_pages(wanted)
        for page in visible:
            self._remote.request_text(page)
        if self._terms:
            for page in [*visible, *ahead]:
                if page not in self._asked_words:
                    self._asked_words.add(page)
                    self._remote.request_words(page, self._terms)

    @Slot(int)
    def _page_ready(self, page: int) -> None:
        rect = self.page_rect(page)
        if rect.intersects(self.viewport().rect()):
            self.viewport().update(rect.adjusted(-4, -4, 4, 4))

    @Slot(int, str)
    def _page_failed(self, page: int, message: str) -> None:
        self._failed_pages[page] = message
        self.viewport().update()

    # ------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        background = self.palette().color(QPalette.ColorRole.Window).darker(112)
        painter.fillRect(event.rect(), background)
        layout = self._layout
        if layout is None:
            self._paint_message(painter)
            painter.end()
            return
        top = self.verticalScrollBar().value()
        height = self.viewport().height()
        ratio = self.devicePixelRatioF()
        shown: set[int] = set()
        for page in layout.pages_between(top, top + height):
            target = self.page_rect(page)
            shown.add(page)
            if not target.adjusted(-4, -4, 4, 4).intersects(event.rect()):
                continue
            sharp = self._paint_page(painter, page, target, ratio, event.rect())
            if sharp and page not in self._sharp:
                self._sharp.add(page)
                self._events.append((self.page_sharp, page))
        painter.end()
        for page in sorted(shown - self._shown):
            self._events.insert(0, (self.page_shown, page))
        self._shown = shown
        self._sharp &= shown
        if self._events:
            self._emit_timer.start()

    def _paint_page(
        self, painter: QPainter, page: int, target: QRect, ratio: float, region: QRect
    ) -> bool:
        paint_shadow(painter, target)
        image = self._remote.image(page, round(target.width() * ratio))
        sharp = image is not None
        if image is None:
            stand_in = self._remote.placeholder(page, round(target.width() * ratio))
            paint_image(painter, target, stand_in, ratio, False, self._night, region)
        else:
            paint_image(painter, target, image, ratio, True, self._night, region)
        apply_night(painter, target, self._night)
        if page in self._failed_pages:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                target.adjusted(16, 16, -16, -16),
                Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter,
                self._failed_pages[page],
            )
        boxes = self._highlights.get(page)
        if boxes:
            paint_search_marks(painter, target, tuple(b[:4] for b in boxes), self._rotation)
        if any(self._layers):
            to_view = self._to_view_fn(page, target)
            for layer in self._layers:
                for paint in layer:
                    painter.save()
                    painter.setClipRect(target)
                    paint(painter, page + 1, to_view)
                    painter.restore()
        return sharp

    def _to_view_fn(self, page: int, target: QRect) -> ToView:
        transform = self.transform(page)
        x, y, w, h = target.x(), target.y(), target.width(), target.height()

        def to_view(px: float, py: float) -> QPointF:
            fx, fy = transform.to_fraction(px, py)
            return QPointF(x + fx * w, y + fy * h)

        return to_view

    def transform(self, page: int) -> PageTransform:
        """PDF points of ``page`` (0-based) to fractions of the page on screen."""
        width, height = self._sizes[page] if 0 <= page < len(self._sizes) else (612.0, 792.0)
        own = self._own_rotations[page] if 0 <= page < len(self._own_rotations) else 0
        return PageTransform(width, height, own, self._rotation)

    def _trimmed_left(self, rect: PageRect) -> int:
        assert self._trim is not None
        return round(rect.x + self._trim[0] * rect.width) - TRIM_MARGIN

    def _paint_message(self, painter: QPainter) -> None:
        if not self._message:
            return
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        area = self.viewport().rect().adjusted(32, 32, -32, -32)
        painter.drawText(
            area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._message
        )

    @Slot()
    def _flush_events(self) -> None:
        events, self._events = self._events, []
        for signal, page in events:
            signal.emit(page)

    # ------------------------------------------------------------ input and resizing

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout(keep_position=self._layout is not None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule_requests()
