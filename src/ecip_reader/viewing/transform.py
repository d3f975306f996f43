"""From PDF points to the page on screen and back (Qt-free geometry).

Three coordinate systems meet in the page view:

* PDF points of the unturned page, as PyMuPDF's ``get_text("words")`` gives them;
* fractions (0–1) of the page as displayed, with the page's own /Rotate applied
  (what the render worker sends for highlights, links and find hits);
* fractions of the page on screen, turned further by the view's rotation.

Rotations are clockwise, in multiples of 90 degrees.
"""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]


def turn_point(fx: float, fy: float, rotation: int) -> tuple[float, float]:
    """A point given as fractions of a page, after turning the page clockwise."""
    turn = rotation % 360
    if turn == 90:
        return 1.0 - fy, fx
    if turn == 180:
        return 1.0 - fx, 1.0 - fy
    if turn == 270:
        return fy, 1.0 - fx
    return fx, fy


def unturn_point(tx: float, ty: float, rotation: int) -> tuple[float, float]:
    """The inverse of :func:`turn_point`."""
    return turn_point(tx, ty, -rotation % 360)


def turn_box(box: Box, rotation: int) -> Box:
    """A box of fractions after turning the page clockwise (still x0 < x1, y0 < y1)."""
    ax, ay = turn_point(box[0], box[1], rotation)
    bx, by = turn_point(box[2], box[3], rotation)
    return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


@dataclass(frozen=True)
class PageTransform:
    """Maps PDF points of one page to fractions of the page on screen and back.

    ``width`` and ``height`` are the displayed size (own rotation applied);
    ``own`` is the page's /Rotate and ``view`` the view's extra rotation.
    """

    width: float
    height: float
    own: int = 0
    view: int = 0

    def _unturned_size(self) -> tuple[float, float]:
        if self.own % 180:
            return self.height, self.width
        return self.width, self.height

    def to_fraction(self, x: float, y: float) -> tuple[float, float]:
        big_w, big_h = self._unturned_size()
        own = self.own % 360
        if own == 90:
            dx, dy = big_h - y, x
        elif own == 180:
            dx, dy = big_w - x, big_h - y
        elif own == 270:
            dx, dy = y, big_w - x
        else:
            dx, dy = x, y
        return turn_point(dx / self.width, dy / self.height, self.view)

    def to_pdf(self, fx: float, fy: float) -> tuple[float, float]:
        big_w, big_h = self._unturned_size()
        ux, uy = unturn_point(fx, fy, self.view)
        dx, dy = ux * self.width, uy * self.height
        own = self.own % 360
        if own == 90:
            return dy, big_h - dx
        if own == 180:
            return big_w - dx, big_h - dy
        if own == 270:
            return big_w - dy, dx
        return dx, dy
