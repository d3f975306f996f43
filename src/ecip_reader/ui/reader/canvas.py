"""The page view's canvas: the scrolling pages plus what other parts hang off them.

:class:`PageCanvas` adds to :class:`~ecip_reader.ui.reader.scroller.PageScroller`
the extension points (overlays painted over pages, PDF points under the
mouse, repaint requests) and the reading options (rotation, night tones,
trimmed margins).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, Slot
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QWidget

from ecip_reader.pdf.render_protocol import PageTextLayer, normalise_terms
from ecip_reader.settings import NightMode
from ecip_reader.ui.reader.painter import box_rect
from ecip_reader.ui.reader.scroller import (
    ABOVE,
    OVERLAY,
    UNDER,
    PageScroller,
    PainterFn,
    ToView,
    ZoomMode,
)
from ecip_reader.ui.render.remote_document import RemoteDocument
from ecip_reader.viewing.transform import turn_box, unturn_point

__all__ = ["ABOVE", "OVERLAY", "UNDER", "PageCanvas", "PainterFn", "ToView", "ZoomMode"]


class PageCanvas(PageScroller):
    def __init__(self, remote: RemoteDocument, parent: QWidget | None = None) -> None:
        super().__init__(remote, parent)
        remote.text_ready.connect(self._text_ready)
        remote.words_ready.connect(self._words_ready)

    # ------------------------------------------------------------ search-term highlights

    def set_terms(self, terms: Sequence[str]) -> None:
        normalised = normalise_terms(terms)
        if normalised == self._terms:
            return
        self._terms = normalised
        self._highlights.clear()
        self._asked_words.clear()
        self._schedule_requests()
        self.viewport().update()

    def terms(self) -> tuple[str, ...]:
        """The search words marked on the pages now."""
        return self._terms

    def highlight_rects(self, page: int) -> list[QRect]:
        """Marked words on ``page``, in viewport coordinates."""
        target = self.page_rect(page)
        return [
            box_rect(target, box[:4], self._rotation).toAlignedRect()
            for box in self._highlights.get(page, ())
        ]

    def reveal_first_hit(self, page: int) -> None:
        """Once the marks of ``page`` (0-based) are known, make sure the first one is in view.

        The page stays at the top if its first mark shows there; otherwise the mark
        is brought a third of the way down. Scrolling by the reader cancels this.
        """
        self._reveal_page = page
        if page in self._highlights:
            self._reveal_hit(page)

    def _reveal_hit(self, page: int) -> None:
        self._reveal_page = None
        boxes = self._highlights.get(page, ())
        if not boxes or self._layout is None or self._page_hint != page:
            return
        marks = [self.view_box(page, box[:4]).toAlignedRect() for box in boxes]
        first = min(marks, key=lambda r: (r.top(), r.left()))
        view = self.viewport().rect()
        if first.top() >= 0 and first.bottom() <= view.height() * 2 // 3:
            return
        rect = self._layout.rects[page]
        top = self.verticalScrollBar().value() + first.top() - view.height() // 3
        self._set_scroll(top, None)
        self._target = (page, (self.verticalScrollBar().value() - rect.y) / rect.height)
        self._update_current()

    @Slot(int, object, object)
    def _words_ready(self, page: int, terms: object, boxes: object) -> None:
        if terms != self._terms or not isinstance(boxes, tuple):
            return
        self._highlights[page] = boxes
        self.viewport().update(self.page_rect(page))
        if page == self._reveal_page:
            self._reveal_hit(page)

    # ------------------------------------------------------------ extension points

    def add_overlay(self, painter_fn: PainterFn) -> None:
        """Call ``painter_fn(painter, page, to_view)`` after each page is painted.

        ``page`` is 1-based; ``to_view(x, y)`` maps PDF points of the unturned page
        (as PyMuPDF gives them) to viewport coordinates. Overlays are drawn above
        the page image and below the text selection.
        """
        self.add_layer(painter_fn, OVERLAY)

    def add_layer(self, painter_fn: PainterFn, level: int) -> None:
        self._layers[level].append(painter_fn)
        self.viewport().update()

    def page_at(self, view_pos: QPoint | QPointF) -> int | None:
        """The page (0-based) under a viewport position, if any."""
        if self._layout is None:
            return None
        row = round(view_pos.y()) + self.verticalScrollBar().value()
        for page in self._layout.pages_between(row, row + 1):
            if self.page_rect(page).contains(QPoint(round(view_pos.x()), round(view_pos.y()))):
                return page
        return None

    def pdf_point(self, view_pos: QPoint | QPointF) -> tuple[int, QPointF] | None:
        """Page (1-based) and the point in PDF points under a viewport position."""
        page = self.page_at(view_pos)
        if page is None:
            return None
        rect = self.page_rect(page)
        fx = (view_pos.x() - rect.x()) / max(1, rect.width())
        fy = (view_pos.y() - rect.y()) / max(1, rect.height())
        x, y = self.transform(page).to_pdf(fx, fy)
        return page + 1, QPointF(x, y)

    def fraction_at(self, view_pos: QPoint | QPointF, page: int) -> tuple[float, float]:
        """``view_pos`` as fractions of the displayed ``page`` (0-based), view rotation undone."""
        rect = self.page_rect(page)
        fx = (view_pos.x() - rect.x()) / max(1, rect.width())
        fy = (view_pos.y() - rect.y()) / max(1, rect.height())
        return unturn_point(fx, fy, self._rotation)

    def view_box(self, page: int, box: tuple[float, float, float, float]) -> QRectF:
        """A box of fractions of the displayed ``page`` (0-based) in viewport coordinates."""
        return box_rect(self.page_rect(page), box, self._rotation, pad=0.0)

    def to_view(self, page: int, x: float, y: float) -> QPointF:
        """PDF point ``(x, y)`` of ``page`` (1-based) in viewport coordinates."""
        return self._to_view_fn(page - 1, self.page_rect(page - 1))(x, y)

    def reveal_box(self, page: int, box: tuple[float, float, float, float]) -> None:
        """Scroll so that ``box`` of ``page`` (0-based) is in view, a third of the way down."""
        self.reveal_rect(self.view_box(page, box).toAlignedRect())

    def reveal_rect(self, rect: QRect) -> None:
        """Scroll so that ``rect`` (viewport coordinates) is in view, a third of the way down."""
        if rect.isEmpty() or self.viewport().rect().contains(rect):
            return
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        view = self.viewport().rect()
        if rect.top() < 0 or rect.bottom() > view.height():
            vbar.setValue(vbar.value() + rect.top() - view.height() // 3)
        if rect.left() < 0 or rect.right() > view.width():
            hbar.setValue(hbar.value() + rect.center().x() - view.width() // 2)

    def request_repaint(self, page: int) -> None:
        """Paint ``page`` (1-based) again, e.g. after an overlay changed."""
        rect = self.page_rect(page - 1)
        if not rect.isEmpty():
            self.viewport().update(rect.adjusted(-4, -4, 4, 4))

    # ------------------------------------------------------------ view options

    def rotation(self) -> int:
        return self._rotation

    def set_rotation(self, degrees: int) -> None:
        """Turn every page clockwise by ``degrees`` (a multiple of 90), keeping the place."""
        degrees %= 360
        if degrees == self._rotation:
            return
        self._rotation = degrees
        self._remote.set_rotation(degrees)
        self._trim = None
        self._sharp.clear()
        self._relayout(keep_position=True)
        if self._trim_on:
            self._fetch_trim()

    def night_mode(self) -> str:
        return self._night

    def set_night_mode(self, mode: str) -> None:
        """ "off", "invert" or "sepia": how pages are toned, apart from the UI theme."""
        if mode not in tuple(NightMode):
            raise ValueError(f"unknown night mode {mode!r}")
        self._night = mode
        self.viewport().update()

    def trim_margins(self) -> bool:
        return self._trim_on

    def set_trim_margins(self, on: bool) -> None:
        """Fit width to the printed part of the pages, leaving blank margins out."""
        self._trim_on = on
        if on and self._trim is None:
            self._fetch_trim()
        self._relayout(keep_position=True)

    def _fetch_trim(self) -> None:
        text = self._remote.text(self._current)
        if text is not None:
            self._set_trim_from(text)
        else:
            self._remote.request_text(self._current)

    def _set_trim_from(self, text: PageTextLayer) -> None:
        if text.content is None:
            return
        x0, _y0, x1, _y1 = turn_box(text.content, self._rotation)
        if x1 - x0 > 0.05:
            self._trim = (x0, x1)

    @Slot(int, object)
    def _text_ready(self, page: int, text: object) -> None:
        if self._trim_on and self._trim is None and isinstance(text, PageTextLayer):
            self._set_trim_from(text)
            if self._trim is not None:
                self._relayout(keep_position=True)

    # ------------------------------------------------------------ keys and wheel

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._wheel += event.angleDelta().y()
            while abs(self._wheel) >= 120:
                step = 1 if self._wheel > 0 else -1
                self._wheel -= step * 120
                self.step_zoom(step, event.position().toPoint())
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        vbar = self.verticalScrollBar()
        if event.key() == Qt.Key.Key_Home:
            vbar.setValue(vbar.minimum())
        elif event.key() == Qt.Key.Key_End:
            vbar.setValue(vbar.maximum())
        elif event.key() == Qt.Key.Key_Space:
            vbar.setValue(
                vbar.value()
                + vbar.pageStep()
                * (-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
            )
        else:
            super().keyPressEvent(event)
