"""Drawing one page: its shadow, the image (sharp or a stand-in), night tones, marks.

Night reading is applied while painting: inverting is a "difference" fill
and sepia two blend fills, a few milliseconds for a screen of pages, so the
drawn pages in the cache stay valid whichever tone is chosen.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from ecip_reader.settings import NightMode
from ecip_reader.viewing.transform import Box, turn_box

SHADOW_ALPHAS = (22, 12, 6)
HIGHLIGHT = QColor(255, 214, 64)
FIND_HIT = QColor(255, 170, 60, 110)
FIND_CURRENT = QColor(255, 120, 0)
# Inverting against light grey rather than white keeps the page from glaring.
INVERT_WITH = QColor(226, 226, 226)
SEPIA_PAPER = QColor(245, 234, 210)
SEPIA_INK = QColor(66, 44, 22)


def paint_shadow(painter: QPainter, target: QRect) -> None:
    """A soft shadow: rings of fading outlines, offset one pixel downwards."""
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for grow, alpha in enumerate(SHADOW_ALPHAS, start=1):
        painter.setPen(QColor(0, 0, 0, alpha))
        painter.drawRect(target.adjusted(-grow, -grow + 1, grow - 1, grow))


def paint_image(
    painter: QPainter, target: QRect, image: QImage | None, ratio: float, sharp: bool
) -> None:
    painter.fillRect(target, Qt.GlobalColor.white)
    if image is None:
        return
    if sharp and abs(image.width() / ratio - target.width()) <= 1.5:
        painter.save()
        painter.setClipRect(target)
        painter.drawImage(target.topLeft(), image)
        painter.restore()
    else:
        draw_scaled(painter, QRectF(target), image)


def draw_scaled(painter: QPainter, target: QRectF, image: QImage) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(target, image)
    painter.restore()


def apply_night(painter: QPainter, target: QRect | QRectF, mode: str) -> None:
    """Turn what is painted in ``target`` into night tones (invert or sepia)."""
    if mode not in (NightMode.INVERT, NightMode.SEPIA):
        return
    painter.save()
    if mode == NightMode.INVERT:
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Difference)
        painter.fillRect(target, INVERT_WITH)
    else:
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        painter.fillRect(target, SEPIA_PAPER)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Lighten)
        painter.fillRect(target, SEPIA_INK)
    painter.restore()


def box_rect(target: QRect | QRectF, box: Box, rotation: int, pad: float = 1.0) -> QRectF:
    """A box of fractions of the displayed page, on the page drawn at ``target``."""
    x0, y0, x1, y1 = turn_box(box, rotation)
    w, h = target.width(), target.height()
    # Words get a little room along the line, which runs down the screen when turned.
    grow_x, grow_y = (0.0, pad) if rotation % 180 else (pad, 0.0)
    return QRectF(
        target.x() + x0 * w - grow_x,
        target.y() + y0 * h - grow_y,
        (x1 - x0) * w + 2 * grow_x,
        (y1 - y0) * h + 2 * grow_y,
    )


def paint_marks(
    painter: QPainter, target: QRect, boxes: tuple[Box, ...], rotation: int, colour: QColor
) -> None:
    """Marker-pen boxes that darken the page under them (the text stays readable)."""
    if not boxes:
        return
    painter.save()
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
    for box in boxes:
        painter.fillRect(box_rect(target, box, rotation), colour)
    painter.restore()
