"""Drawing a saved drawing (ink annotation) on a page, and finding it under the mouse.

Strokes are stored as the points the pen passed through and drawn as the pen
drew them in the presentation: straight pieces from point to point, in the
palette colour's ink shade, at the line width of the pen — so a kept drawing
looks as it was drawn.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from ecip_reader.ui.reader.canvas import ToView
from ecip_reader.userdata import Annotation
from ecip_reader.userdata.models import ink_shade

INK_HIT_SLACK = 3.0  # PDF points beyond the line's half width that still count as "on" it
MIN_SCREEN_WIDTH = 1.0  # pixels: a thin line stays visible when zoomed far out


def line_path(points: Sequence[QPointF]) -> QPainterPath:
    """Straight pieces through ``points``, as the presentation pen draws them."""
    path = QPainterPath()
    if not points:
        return path
    path.moveTo(points[0])
    for point in points[1:]:
        path.lineTo(point)
    return path


def view_scale(to_view: ToView) -> float:
    """Pixels per PDF point (the same in every direction)."""
    a, b = to_view(0.0, 0.0), to_view(100.0, 0.0)
    return math.hypot(b.x() - a.x(), b.y() - a.y()) / 100.0


def paint_ink(painter: QPainter, annotation: Annotation, colour: QColor, to_view: ToView) -> None:
    """Draw ``annotation`` in the ink shade of the palette colour ``colour``."""
    width = max(MIN_SCREEN_WIDTH, annotation.width * view_scale(to_view))
    ink = QColor(ink_shade(colour.name()))
    pen = QPen(ink, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for stroke in annotation.strokes:
        points = [to_view(x, y) for x, y in stroke]
        if len(points) == 1:
            painter.drawPoint(points[0])
        else:
            painter.drawPath(line_path(points))


def _distance_to_segment(
    x: float, y: float, a: tuple[float, float], b: tuple[float, float]
) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    share = 0.0 if length == 0 else max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / length))
    return math.hypot(x - (a[0] + share * dx), y - (a[1] + share * dy))


def near_ink(annotation: Annotation, x: float, y: float) -> bool:
    """Whether the PDF point ``(x, y)`` is on (or just beside) one of the drawing's lines."""
    reach = annotation.width / 2 + INK_HIT_SLACK
    bounds = annotation.ink_bounds
    if bounds is None:
        return False
    x0, y0, x1, y1 = bounds
    if not (x0 - reach <= x <= x1 + reach and y0 - reach <= y <= y1 + reach):
        return False
    for stroke in annotation.strokes:
        if len(stroke) == 1 and math.hypot(x - stroke[0][0], y - stroke[0][1]) <= reach:
            return True
        for a, b in itertools.pairwise(stroke):
            if _distance_to_segment(x, y, a, b) <= reach:
                return True
    return False
