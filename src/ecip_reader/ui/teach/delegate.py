"""How a stop looks in the Session Plan panel: its number, its document, its page and note.

(3)  Discharge to Assess
     page 2 · enlarged region · “home first”
     Ask who decides the pathway, and when.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ecip_reader.ui.teach.model import STOP_ROLE, TITLE_ROLE
from ecip_reader.userdata.session_plans import SessionStop

PADDING = 6
BADGE = 22
GAP = 8
NOTE_LINES = 2

Index = QModelIndex | QPersistentModelIndex


def details(stop: SessionStop) -> str:
    parts = [f"page {stop.page}"]
    if stop.region is not None:
        parts.append("enlarged region")
    if stop.label:
        parts.append(f"“{stop.label}”")
    return " · ".join(parts)


class StopDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        title = QFont(option.font)
        title.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.92))
        note = QFont(small)
        note.setItalic(True)
        return title, small, note

    def _note_height(self, note: str, font: QFont, width: int) -> int:
        if not note.strip():
            return 0
        metrics = QFontMetrics(font)
        flags = Qt.TextFlag.TextWordWrap
        needed = metrics.boundingRect(QRect(0, 0, max(width, 40), 10_000), flags, note).height()
        return min(needed, metrics.lineSpacing() * NOTE_LINES)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        stop = index.data(STOP_ROLE)
        if not isinstance(stop, SessionStop):
            return super().sizeHint(option, index)
        title, small, note = self._fonts(option)
        width = option.rect.width() - BADGE - GAP - 2 * PADDING
        height = QFontMetrics(title).lineSpacing() + QFontMetrics(small).lineSpacing()
        height += self._note_height(stop.note, note, width)
        return QSize(option.rect.width(), height + 2 * PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        stop = index.data(STOP_ROLE)
        if not isinstance(stop, SessionStop):
            super().paint(painter, option, index)
            return
        style = option.widget.style() if option.widget is not None else None
        painter.save()
        if style is not None:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget
            )
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = palette.color(QPalette.ColorRole.PlaceholderText) if not selected else text
        area = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        badge = QRect(area.left(), area.top(), BADGE, BADGE)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(
            palette.color(QPalette.ColorRole.Highlight).lighter(150 if selected else 100)
        )
        painter.drawEllipse(badge)
        title_font, small_font, note_font = self._fonts(option)
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
        painter.setFont(small_font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(index.row() + 1))
        left = area.left() + BADGE + GAP
        width = area.right() - left
        y = area.top()
        for font, colour, line in (
            (title_font, text, str(index.data(TITLE_ROLE) or "")),
            (small_font, muted, details(stop)),
        ):
            metrics = QFontMetrics(font)
            painter.setFont(font)
            painter.setPen(colour)
            shown = metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
            painter.drawText(QRect(left, y, width, metrics.lineSpacing()), 0, shown)
            y += metrics.lineSpacing()
        note_height = self._note_height(stop.note, note_font, width)
        if note_height:
            painter.setFont(note_font)
            painter.setPen(text)
            box = QRect(left, y, width, note_height)
            painter.drawText(box, int(Qt.TextFlag.TextWordWrap), stop.note.strip())
        painter.restore()
