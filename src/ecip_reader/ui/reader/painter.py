"""Drawing one page: its shadow, the image (sharp or a stand-in), night tones, marks.

Night reading is applied while painting, to the part of the page being
painted only, so the drawn pages in the cache stay valid whichever tone is
chosen. Sepia is two blend fills. Inverting turns the lightness of every
pixel round and keeps its hue (blue headings stay blue, light on dark): with
``g`` the grey of a pixel ``c``, the result is ``c + 1 - 2g``, made of a few
"plus" blends and inversions (about 10 ms for a whole A4 page at 130 dpi).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from ecip_reader.settings import NightMode
from ecip_reader.viewing.transform import Box, turn_box

SHADOW_ALPHAS = (22, 12, 6)
# Search hits are outlined cyan boxes: never mistaken for a yellow highlighter note (a flat
# fill, no outline) nor for Ctrl+F's orange.
SEARCH_HIT = QColor(96, 214, 232)
SEARCH_HIT_EDGE = QColor(0, 131, 152)
FIND_HIT = QColor(255, 170, 60, 110)
FIND_CURRENT = QColor(255, 120, 0)
# Inverted pages are dark grey with light grey ink rather than black and white: no glare.
NIGHT_PAPER = QColor(30, 30, 30)
NIGHT_INK = QColor(226, 226, 226)
SEPIA_PAPER = QColor(245, 234, 210)
SEPIA_INK = QColor(66, 44, 22)


def paint_shadow(painter: QPainter, target: QRect) -> None:
    """A soft shadow: rings of fading outlines, offset one pixel downwards."""
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for grow, alpha in enumerate(SHADOW_ALPHAS, start=1):
        painter.setPen(QColor(0, 0, 0, alpha))
        painter.drawRect(target.adjusted(-grow, -grow + 1, grow - 1, grow))


def paint_image(
    painter: QPainter,
    target: QRect,
    image: QImage | None,
    ratio: float,
    sharp: bool,
    night: str = NightMode.OFF,
    region: QRect | None = None,
) -> None:
    """Draw a page at ``target``; only ``region`` of it needs painting (all of it if None)."""
    inverted = night == NightMode.INVERT
    painter.fillRect(target, NIGHT_PAPER if inverted else Qt.GlobalColor.white)
    if image is None:
        return
    if sharp and abs(image.width() / ratio - target.width()) <= 1.5:
        painter.save()
        painter.setClipRect(target)
        if inverted:
            area = target.intersected(region) if region is not None else target
            source = QRect(
                int((area.x() - target.x()) * ratio),
                int((area.y() - target.y()) * ratio),
                int(area.width() * ratio) + 2,
                int(area.height() * ratio) + 2,
            ).intersected(image.rect())
            if not source.isEmpty():
                part = invert_lightness(image.copy(source))
                painter.drawImage(
                    QPointF(target.x() + source.x() / ratio, target.y() + source.y() / ratio), part
                )
        else:
            painter.drawImage(target.topLeft(), image)
        painter.restore()
    else:
        draw_scaled(painter, QRectF(target), invert_lightness(image) if inverted else image)


def _plus(target: QImage, other: QImage) -> None:
    painter = QPainter(target)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Plus)
    painter.drawImage(0, 0, other)
    painter.end()


def invert_lightness(image: QImage) -> QImage:
    """``image`` with its lightness turned round and its hues kept, on night paper.

    Per pixel ``c`` with grey ``g``: ``c + 1 - 2g``, computed as
    ``max(c - g, 0) + 1 - min(g + max(g - c, 0), 1)`` with clamped blends only.
    """
    colour = image.convertToFormat(QImage.Format.Format_RGB32)
    grey = colour.convertToFormat(QImage.Format.Format_RGBX8888).convertToFormat(
        QImage.Format.Format_Grayscale8
    )
    under = grey.convertToFormat(QImage.Format.Format_RGB32)  # max(g - c, 0)
    under.invertPixels()
    _plus(under, colour)
    under.invertPixels()
    over = colour.copy()  # max(c - g, 0)
    over.invertPixels()
    _plus(over, grey)
    over.invertPixels()
    _plus(under, grey)  # 1 - min(g + max(g - c, 0), 1), then + max(c - g, 0)
    under.invertPixels()
    _plus(under, over)
    painter = QPainter(under)  # soften: light grey ink on dark grey paper
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
    painter.fillRect(under.rect(), NIGHT_INK)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Screen)
    painter.fillRect(under.rect(), NIGHT_PAPER)
    painter.end()
    under.setDevicePixelRatio(image.devicePixelRatio())
    return under


def draw_scaled(painter: QPainter, target: QRectF, image: QImage) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(target, image)
    painter.restore()


def apply_night(painter: QPainter, target: QRect | QRectF, mode: str) -> None:
    """Tone what is painted in ``target`` sepia (inverting is done by :func:`paint_image`)."""
    if mode != NightMode.SEPIA:
        return
    painter.save()
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


def paint_search_marks(
    painter: QPainter, target: QRect, boxes: tuple[Box, ...], rotation: int
) -> None:
    """The words a library search found: a cyan tint with a darker outline."""
    if not boxes:
        return
    paint_marks(painter, target, boxes, rotation, SEARCH_HIT)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(SEARCH_HIT_EDGE, 1.5))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for box in boxes:
        painter.drawRoundedRect(box_rect(target, box, rotation).adjusted(-1, -1, 1, 1), 2, 2)
    painter.restore()
