"""Where each page sits in a continuous vertical strip (Qt-free geometry).

Pages are stacked top to bottom with a margin around the strip and a gap
between pages. A page narrower than the view is centred in the view; a wider
one starts at the left margin and the strip widens to hold it. Sizes are in
logical pixels; a zoom of 1.0 shows a page at 96 dots per inch (its printed
size on a typical screen).

Fitting to the width or the page fits the widest (or tallest) page, unless a
few pages are far bigger than the rest (a fold-out plan in an A4 report):
then the usual page is fitted and the big ones are scrolled across.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

MARGIN = 24
TRIM_MARGIN = 12  # space left of and right of the printed part when margins are trimmed
SPACING = 16
MIN_ZOOM = 0.25
MAX_ZOOM = 4.0
POINTS_TO_PIXELS = 96.0 / 72.0
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)

FIT_WIDTH = "fit-width"
FIT_PAGE = "fit-page"


@dataclass(frozen=True)
class PageRect:
    x: int
    y: int
    width: int
    height: int

    @property
    def bottom(self) -> int:
        return self.y + self.height


def clamp_zoom(zoom: float) -> float:
    return min(MAX_ZOOM, max(MIN_ZOOM, zoom))


def next_zoom(zoom: float, direction: int) -> float:
    """The next step up (``direction`` > 0) or down from ``zoom``."""
    if direction > 0:
        return next((z for z in ZOOM_STEPS if z > zoom + 1e-3), MAX_ZOOM)
    return next((z for z in reversed(ZOOM_STEPS) if z < zoom - 1e-3), MIN_ZOOM)


OUTSIZE = 2.0  # a page this many times the usual size is not what "fit" fits


def fitted_extent(extents: Sequence[float]) -> float:
    """The width (or height) a fit should fit: the largest, unless it is an outsize page.

    Pages more than :data:`OUTSIZE` times the usual (median) extent are left out,
    so a document of A4 pages with one huge plan still fits its A4 pages.
    """
    ordered = sorted(extents)
    usual = ordered[len(ordered) // 2]
    kept = [e for e in ordered if e <= usual * OUTSIZE]
    return kept[-1] if kept else usual


def fit_zoom(
    mode: str,
    sizes: Sequence[tuple[float, float]],
    view_width: int,
    view_height: int,
    trim: tuple[float, float] | None = None,
) -> float:
    """The zoom at which the widest page fills the width (or a whole page fits the view).

    With ``trim`` (the printed part of a page across, as fractions), fit width
    fills the view with that part only: blank margins go off screen.
    """
    if not sizes:
        return 1.0
    widest = fitted_extent([w for w, _ in sizes]) * POINTS_TO_PIXELS
    tallest = fitted_extent([h for _, h in sizes]) * POINTS_TO_PIXELS
    if trim is not None and mode == FIT_WIDTH:
        return clamp_zoom((view_width - 2 * TRIM_MARGIN) / (widest * (trim[1] - trim[0])))
    by_width = (view_width - 2 * MARGIN) / widest
    if mode == FIT_PAGE:
        by_height = (view_height - 2 * MARGIN) / tallest
        return clamp_zoom(min(by_width, by_height))
    return clamp_zoom(by_width)


class PageLayout:
    """The rectangles of all pages at one zoom, for a view of a given width."""

    def __init__(self, sizes: Sequence[tuple[float, float]], zoom: float, view_width: int) -> None:
        self.zoom = zoom
        scale = zoom * POINTS_TO_PIXELS
        dims = [(max(1, round(w * scale)), max(1, round(h * scale))) for w, h in sizes]
        widest = max((w for w, _ in dims), default=0)
        self.width = max(view_width, widest + 2 * MARGIN)
        self.rects: list[PageRect] = []
        y = MARGIN
        for w, h in dims:
            # centred in the view when it fits there; else from the left margin
            x = (view_width - w) // 2 if w + 2 * MARGIN <= view_width else MARGIN
            self.rects.append(PageRect(x, y, w, h))
            y += h + SPACING
        self.height = (y - SPACING + MARGIN) if dims else 0
        self._tops = [r.y for r in self.rects]

    def __len__(self) -> int:
        return len(self.rects)

    def pages_between(self, top: int, bottom: int) -> range:
        """Indices of the pages that overlap the rows ``top`` to ``bottom``."""
        if not self.rects:
            return range(0)
        first = max(0, bisect.bisect_right(self._tops, top) - 1)
        if self.rects[first].bottom <= top:
            first += 1
        last = bisect.bisect_left(self._tops, bottom)
        return range(first, max(first, min(last, len(self.rects))))

    def most_visible(self, top: int, bottom: int) -> int:
        """The page (0-based) that takes up most of the rows ``top`` to ``bottom``."""
        best, best_rows = 0, -1
        for index in self.pages_between(top, bottom):
            rect = self.rects[index]
            rows = min(bottom, rect.bottom) - max(top, rect.y)
            if rows > best_rows:
                best, best_rows = index, rows
        if best_rows < 0 and self.rects:
            best = min(bisect.bisect_right(self._tops, top), len(self.rects) - 1)
        return best

    def position_of(self, page: int, fraction: float) -> float:
        """Content row of the point ``fraction`` of the way down ``page``."""
        rect = self.rects[page]
        return rect.y + fraction * rect.height

    def locate(self, row: float) -> tuple[int, float]:
        """The page at content row ``row`` and how far down it that row is (0–1)."""
        if not self.rects:
            return 0, 0.0
        index = max(0, bisect.bisect_right(self._tops, row) - 1)
        rect = self.rects[index]
        return index, min(1.0, max(0.0, (row - rect.y) / rect.height))
