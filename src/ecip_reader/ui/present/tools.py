"""The trainer's tools in presentation mode: spotlight, laser dot, pen and page fitting.

Pen strokes are kept in PDF points of the page they were drawn on, so they
stay on the passage they mark and can be kept as an annotation when the
presentation ends (:class:`KeepDrawingBar` asks). The pen draws in the ink
shade of the palette's red, the colour a kept drawing is shown in.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QRadialGradient
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ecip_reader.userdata.models import DEFAULT_PALETTE, ink_shade

SPOTLIGHT_SHADE = QColor(0, 0, 0, 175)
LASER = QColor(235, 20, 20)
PEN_COLOUR_KEY = "red"  # the palette colour a kept drawing is saved in
PEN = QColor(ink_shade(next(rgb for key, rgb, _n in DEFAULT_PALETTE if key == PEN_COLOUR_KEY)))
PEN_WIDTH = 4.0  # screen pixels
SNAP = 1  # a fitted page this close to the screen's size fills it exactly


@dataclass(frozen=True)
class Stroke:
    """A freehand line drawn on ``page`` (1-based); points and width in PDF points.

    Points are those of the unturned page, inside it; ``width`` is the pen's
    width on screen expressed in PDF points of the page as it was shown;
    ``doc`` says which document (its content hash, when known).
    """

    page: int
    points: tuple[tuple[float, float], ...]
    colour: str = PEN.name()
    width: float = 2.0
    doc: str = ""


def fit_page(page_w: float, page_h: float, screen_w: int, screen_h: int) -> QRect:
    """The whole-pixel rectangle that shows a page as large as fits, centred.

    A page of (nearly) the screen's shape fills it exactly, so a 16:9 slide on
    a 16:9 screen leaves no line of background at any edge.
    """
    scale = min(screen_w / max(page_w, 1e-6), screen_h / max(page_h, 1e-6))
    width = round(page_w * scale)
    height = round(page_h * scale)
    if abs(width - screen_w) <= SNAP:
        width = screen_w
    if abs(height - screen_h) <= SNAP:
        height = screen_h
    return QRect((screen_w - width) // 2, (screen_h - height) // 2, width, height)


def clip_fraction(selection: QRect, page_rect: QRect) -> tuple[float, float, float, float] | None:
    """A dragged rectangle as fractions of the page on screen (``None`` if it misses the page)."""
    part = selection.normalized().intersected(page_rect)
    if part.width() < 8 or part.height() < 8:
        return None
    w, h = page_rect.width(), page_rect.height()
    return (
        (part.left() - page_rect.left()) / w,
        (part.top() - page_rect.top()) / h,
        (part.right() + 1 - page_rect.left()) / w,
        (part.bottom() + 1 - page_rect.top()) / h,
    )


def paint_spotlight(painter: QPainter, area: QRect, centre: QPointF) -> None:
    """Darken ``area`` except a circle around ``centre``."""
    radius = max(60.0, min(area.width(), area.height()) / 7)
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    path.addRect(QRectF(area))
    path.addEllipse(centre, radius, radius)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.fillPath(path, SPOTLIGHT_SHADE)
    painter.restore()


def paint_laser(painter: QPainter, centre: QPointF) -> None:
    """A red dot with a soft glow, like a laser pointer on a projector screen."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    glow = QRadialGradient(centre, 22)
    glow.setColorAt(0.0, QColor(255, 40, 40, 160))
    glow.setColorAt(1.0, QColor(255, 40, 40, 0))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(glow))
    painter.drawEllipse(centre, 22, 22)
    painter.setBrush(LASER)
    painter.drawEllipse(centre, 7, 7)
    painter.restore()


def paint_stroke(painter: QPainter, points: list[QPointF], colour: QColor, width: float) -> None:
    if not points:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    if len(points) == 1:
        painter.drawPoint(points[0])
    else:
        path = QPainterPath(points[0])
        for point in points[1:]:
            path.lineTo(point)
        painter.drawPath(path)
    painter.restore()


KEEP_QUESTION = "Keep this drawing as an annotation?"
UNDO_HINT = "Ctrl+Z in the reader brings a discarded drawing back."


def _larger(font: QFont, factor: float) -> QFont:
    """``font`` made ``factor`` times larger: big on a projector, in step with the system size."""
    larger = QFont(font)
    larger.setPointSizeF(max(font.pointSizeF(), 6.0) * factor)
    return larger


class KeepDrawingBar(QFrame):
    """The question asked on leaving with a drawing: Keep (K), Discard (D) or Back (Esc).

    Enter keeps too; Esc — like any other key or a click on the page — goes
    back to the presentation and never throws the drawing away. When the
    drawing cannot be kept, the bar says why and offers Discard and Back.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("keepDrawingBar")
        self.setAccessibleName("Keep the drawing")
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            "#keepDrawingBar { background: rgba(20, 20, 20, 225); border-radius: 8px; }"
            "#keepDrawingBar QLabel { color: white; }"
            "#keepDrawingBar QPushButton { padding: 6px 16px; }"
        )
        self.message = QLabel(KEEP_QUESTION, self)
        self.message.setFont(_larger(self.font(), 1.75))
        self.message.setWordWrap(True)
        self.keep_button = QPushButton("Keep (K)", self)
        self.keep_button.setAccessibleName("Keep")
        self.keep_button.setAccessibleDescription("Keep the drawing as an annotation (K or Enter)")
        self.discard_button = QPushButton("Discard (D)", self)
        self.back_button = QPushButton("Back (Esc)", self)
        self.back_button.setToolTip("Back to the slides; the drawing stays")
        self.discard_button.setToolTip(f"Throw the drawing away. {UNDO_HINT}")
        self.discard_button.setAccessibleName("Discard")
        self.discard_button.setAccessibleDescription(f"Throw the drawing away (D). {UNDO_HINT}")
        self.back_button.setAccessibleName("Back")
        self.back_button.setAccessibleDescription("Back to the slides; the drawing stays (Esc)")
        for button in (self.keep_button, self.discard_button, self.back_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the presentation
            button.setFont(_larger(self.font(), 1.5))
        self.back_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(16)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.keep_button)
        layout.addWidget(self.discard_button)
        layout.addWidget(self.back_button)
        self.hide()

    def ask(self, unavailable: str = "", problem: str = "") -> None:
        """Show the question; ``unavailable`` says why keeping is off, ``problem`` why it failed."""
        if unavailable:
            text = (
                f"This drawing cannot be kept. {unavailable} "
                "D discards it for good; Esc goes back to the slides."
            )
        elif problem:
            text = f"{problem} Keep (K) to try again, Discard (D), or Esc to go back."
        else:
            text = f"{KEEP_QUESTION} {UNDO_HINT}"
        self.message.setText(text)
        self.setAccessibleDescription(text)
        self.keep_button.setVisible(not unavailable)
        self.place()
        self.show()
        self.raise_()

    def place(self) -> None:
        """Centre the bar near the bottom of the presentation."""
        parent = self.parentWidget()
        if parent is None:
            return
        width = min(parent.width() - 40, 900)
        self.setFixedWidth(max(width, 200))
        self.adjustSize()
        self.move((parent.width() - self.width()) // 2, parent.height() - self.height() - 40)
