"""Cover cards for the library grid: the rendered first page, or a title card while it is made."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ecip_reader.library.catalogue import CatalogueEntry
from ecip_reader.ui import theme
from ecip_reader.ui.library.model import EntryRole, ProgressRole, ThumbnailRole, kind_label

CARD_SIZE = QSize(188, 300)
COVER_HEIGHT = 200
PADDING = 12


def paint_placeholder(painter: QPainter, rect: QRect, entry: CatalogueEntry) -> None:
    """A calm title card in the colour of the document's kind."""
    c = theme.colours()
    base = QColor(c.kinds.get(entry.kind, c.accent))
    painter.save()
    path = QPainterPath()
    path.addRoundedRect(QRectF(rect), 6, 6)
    painter.fillPath(path, base)
    # a lighter band across the top, as on a printed report cover
    band = QRect(rect.left(), rect.top(), rect.width(), rect.height() // 5)
    painter.setClipPath(path)
    painter.fillRect(band, base.lighter(118))
    painter.setClipping(False)
    if rect.width() < 90:  # too small for words: colour alone says which kind it is
        painter.restore()
        return
    inner = rect.adjusted(12, 10, -12, -12)
    small = QFont(painter.font())
    small.setPointSizeF(max(small.pointSizeF() - 1.5, 6.5))
    small.setCapitalization(QFont.Capitalization.AllUppercase)
    small.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
    painter.setFont(small)
    painter.setPen(QColor(255, 255, 255, 215))
    painter.drawText(
        band.adjusted(12, 0, -12, 0), Qt.AlignmentFlag.AlignVCenter, kind_label(entry.kind)
    )
    title_font = QFont(painter.font())
    title_font.setCapitalization(QFont.Capitalization.MixedCase)
    title_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 100)
    title_font.setPointSizeF(title_font.pointSizeF() + 3)
    title_font.setBold(True)
    painter.setFont(title_font)
    painter.setPen(QColor("#ffffff"))
    title_rect = QRect(
        inner.left(), band.bottom() + 12, inner.width(), inner.bottom() - band.bottom() - 40
    )
    painter.drawText(title_rect, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop, entry.title)
    org_font = QFont(painter.font())
    org_font.setBold(False)
    org_font.setPointSizeF(org_font.pointSizeF() - 3.5)
    painter.setFont(org_font)
    painter.setPen(QColor(255, 255, 255, 200))
    org_rect = QRect(inner.left(), inner.bottom() - 32, inner.width(), 32)
    elided = QFontMetrics(org_font).elidedText(
        entry.shown_organisation, Qt.TextElideMode.ElideRight, inner.width() * 2
    )
    painter.drawText(org_rect, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignBottom, elided)
    painter.restore()


def paint_cover(
    painter: QPainter, rect: QRect, entry: CatalogueEntry, pixmap: QPixmap | None
) -> None:
    """The rendered first page fitted into ``rect``, or the placeholder card."""
    if pixmap is None or pixmap.isNull():
        paint_placeholder(painter, rect, entry)
        return
    c = theme.colours()
    size = (
        pixmap.deviceIndependentSize()
        .toSize()
        .scaled(rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
    )
    target = QRect(0, 0, size.width(), size.height())
    target.moveCenter(rect.center())
    if target.height() > rect.height() * 0.7:
        target.moveBottom(rect.bottom())  # portrait pages stand on the baseline
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.fillRect(target.adjusted(1, 2, 1, 2), QColor(0, 0, 0, 40))  # a soft drop shadow
    painter.drawPixmap(target, pixmap)
    painter.setPen(QPen(QColor(c.border), 1))
    painter.drawRect(target.adjusted(0, 0, -1, -1))
    painter.restore()
    paint_kind_badge(painter, target, entry, rect)


def paint_kind_badge(
    painter: QPainter, cover: QRect, entry: CatalogueEntry, room: QRect | None = None
) -> QRect:
    """The document's kind ("CASE STUDY") on a tab of its colour at the cover's top.

    A first page shrunk to a card is not readable; the badge keeps the kind as
    plain as on a title card. It sits above the cover when ``room`` leaves space
    there (a wide slide), else over the cover's top corner. Returns where it was
    drawn (empty when too small).
    """
    if cover.width() < 80:
        return QRect()
    c = theme.colours()
    font = QFont(painter.font())
    font.setPointSizeF(max(font.pointSizeF() - 2, 6.5))
    font.setBold(True)
    font.setCapitalization(QFont.Capitalization.AllUppercase)
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
    metrics = QFontMetrics(font)
    text = kind_label(entry.kind)
    width = min(metrics.horizontalAdvance(text.upper()) + 14, cover.width() - 8)
    height = metrics.height() + 6
    top = cover.top() + 6
    if room is not None and cover.top() - room.top() >= height + 8:
        top = cover.top() - height - 6  # above a wide cover, leaving its title clear
    badge = QRect(cover.left() + 6, top, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(c.kinds.get(entry.kind, c.accent)))
    painter.drawRoundedRect(QRectF(badge), 4, 4)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    elided = metrics.elidedText(text.upper(), Qt.TextElideMode.ElideRight, badge.width() - 10)
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, elided)
    painter.restore()
    return badge


def paint_progress(painter: QPainter, rect: QRect, fraction: float) -> None:
    c = theme.colours()
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(c.surface_alt))
    painter.drawRoundedRect(rect, 2, 2)
    done = QRect(
        rect.left(), rect.top(), max(int(rect.width() * min(fraction, 1.0)), 3), rect.height()
    )
    painter.setBrush(QColor(c.accent))
    painter.drawRoundedRect(done, 2, 2)
    painter.restore()


class CoverDelegate(QStyledItemDelegate):
    """Draws one library entry as a card: cover, title, organisation, reading progress."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return CARD_SIZE

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        entry = index.data(EntryRole)
        if not isinstance(entry, CatalogueEntry):
            return
        c = theme.colours()
        cell: QRect = option.rect
        rect = QRect(0, 0, CARD_SIZE.width() - 12, min(CARD_SIZE.height(), cell.height()) - 12)
        rect.moveCenter(cell.center())  # the card keeps its size when the grid cell widens
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = QPainterPath()
        card.addRoundedRect(QRectF(rect), 10, 10)
        painter.fillPath(card, QColor(c.accent_soft if selected else c.surface))
        pen_colour = c.accent if selected else (c.muted if hovered else c.border)
        painter.setPen(QPen(QColor(pen_colour), 1.5 if selected else 1))
        painter.drawPath(card)
        if state & QStyle.StateFlag.State_HasFocus:  # the card the keyboard is on
            ring = QPainterPath()
            ring.addRoundedRect(QRectF(rect).adjusted(-3.5, -3.5, 3.5, 3.5), 13, 13)
            painter.setPen(QPen(QColor(c.accent), 2))
            painter.drawPath(ring)

        cover_box = QRect(
            rect.left() + PADDING, rect.top() + PADDING, rect.width() - 2 * PADDING, COVER_HEIGHT
        )
        thumb = index.data(ThumbnailRole)
        paint_cover(painter, cover_box, entry, thumb if isinstance(thumb, QPixmap) else None)

        text_left = rect.left() + PADDING
        text_width = rect.width() - 2 * PADDING
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(c.text))
        metrics = QFontMetrics(font)
        title_rect = QRect(
            text_left, cover_box.bottom() + 10, text_width, metrics.lineSpacing() * 2
        )
        painter.drawText(
            title_rect,
            Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop,
            two_lines(entry.title, metrics, text_width),
        )
        small = QFont(option.font)
        small.setPointSizeF(small.pointSizeF() - 1)
        painter.setFont(small)
        painter.setPen(QColor(c.muted))
        org = QFontMetrics(small).elidedText(
            entry.shown_organisation, Qt.TextElideMode.ElideRight, text_width
        )
        painter.drawText(
            QRect(
                text_left, title_rect.bottom() + 4, text_width, QFontMetrics(small).lineSpacing()
            ),
            Qt.AlignmentFlag.AlignLeft,
            org,
        )
        progress = index.data(ProgressRole)
        if isinstance(progress, float) and progress > 0:
            paint_progress(
                painter, QRect(text_left, rect.bottom() - PADDING - 3, text_width, 4), progress
            )
        painter.restore()


def two_lines(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` wrapped to at most two lines, the second elided."""
    words = text.split()
    first = ""
    while words and metrics.horizontalAdvance(f"{first} {words[0]}".strip()) <= width:
        first = f"{first} {words.pop(0)}".strip()
    if not words:
        return first
    rest = metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width)
    return f"{first}\n{rest}" if first else rest
