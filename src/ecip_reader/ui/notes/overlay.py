"""Drawing the notes of one open document on its pages, and finding the note under the mouse.

An :class:`AnnotationOverlay` belongs to one :class:`PageCanvas`. It keeps the
drawable annotations of the document (reloaded from the store when they
change), paints those of each page the canvas draws — a highlight as a
colour laid over the text, underline and strike-through as lines, a drawing
as the pen drew it, a sticky note as a small note sign (at the place it is being
dragged to, while it is dragged), a bookmarked page as a ribbon over its top
corner — outlines the selected one, and shows a note's text (or a bookmark's
label) as a tooltip when the mouse rests on it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QToolTip

from ecip_reader.ui.notes.ink import near_ink, paint_ink
from ecip_reader.ui.reader.canvas import PageCanvas, ToView
from ecip_reader.userdata import Annotation, AnnotationKind, Quad, UserDataStore
from ecip_reader.userdata.models import Point

NOTE_SIZE = 18.0  # the sticky-note sign, in PDF points (it grows and shrinks with the zoom)
HIT_MARGIN = 2.0  # PDF points of slack around a quad when finding the note under the mouse
SELECTED_OUTLINE = QColor(30, 90, 200)
FALLBACK_COLOUR = "#ffd84d"
RIBBON_COLOUR = QColor(200, 40, 50)
RIBBON_WIDTH = 0.035  # of the page's width on screen, at least RIBBON_MIN pixels
RIBBON_MIN = 12.0


def ribbon_rect(page: QRectF | QRect) -> QRectF:
    """Where the bookmark ribbon hangs over the top edge of a page drawn at ``page``."""
    width = max(RIBBON_MIN, page.width() * RIBBON_WIDTH)
    right = page.x() + page.width() - width * 1.5
    return QRectF(right - width, page.y() - 3, width, width * 1.9)


def _polygon(quad: Quad, to_view: ToView) -> QPolygonF:
    return QPolygonF(
        [
            to_view(quad.ul_x, quad.ul_y),
            to_view(quad.ur_x, quad.ur_y),
            to_view(quad.lr_x, quad.lr_y),
            to_view(quad.ll_x, quad.ll_y),
        ]
    )


def _between(a: QPointF, b: QPointF, share: float) -> QPointF:
    return QPointF(a.x() + (b.x() - a.x()) * share, a.y() + (b.y() - a.y()) * share)


def note_rect(annotation: Annotation, at: Point | None = None) -> tuple[float, float, float, float]:
    """The square a sticky note's sign covers (or would cover ``at``), in PDF points."""
    x, y = at or annotation.point or (0.0, 0.0)
    return (x, y, x + NOTE_SIZE, y + NOTE_SIZE)


def covers(annotation: Annotation, x: float, y: float) -> bool:
    """Whether the PDF point ``(x, y)`` is on ``annotation`` as drawn."""
    if annotation.kind is AnnotationKind.STICKY_NOTE:
        x0, y0, x1, y1 = note_rect(annotation)
        return x0 <= x <= x1 and y0 <= y <= y1
    if annotation.kind is AnnotationKind.INK:
        return near_ink(annotation, x, y)
    m = HIT_MARGIN
    for quad in annotation.quads:
        x0, y0, x1, y1 = quad.rect
        if x0 - m <= x <= x1 + m and y0 - m <= y <= y1 + m:
            return True
    return False


def tooltip_text(annotation: Annotation, layer_name: str | None) -> str:
    """The note as a tooltip; imported notes say whose they are. Empty without a note."""
    if not annotation.note.strip():
        return ""
    header = f"Note by {layer_name}\n" if layer_name else ""
    return header + annotation.note


def paint_markup(
    painter: QPainter, notes: list[Annotation], colour: Callable[[str], QColor], to_view: ToView
) -> None:
    """Highlights, then underlines and strike-throughs, then drawings, as the reader shows
    them on a page (sticky notes are left to the caller). ``colour`` of a palette key."""
    for annotation in notes:
        if annotation.kind is AnnotationKind.HIGHLIGHT:
            _paint_highlight(painter, annotation, colour(annotation.colour), to_view)
    for annotation in notes:
        if annotation.kind in (AnnotationKind.UNDERLINE, AnnotationKind.STRIKE_THROUGH):
            _paint_line(painter, annotation, colour(annotation.colour), to_view)
    for annotation in notes:
        if annotation.kind is AnnotationKind.INK:
            paint_ink(painter, annotation, colour(annotation.colour), to_view)


def _paint_highlight(
    painter: QPainter, annotation: Annotation, colour: QColor, to_view: ToView
) -> None:
    # Multiplying keeps the printed text dark under the colour, like a highlighter pen.
    painter.save()
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    for quad in annotation.quads:
        painter.drawPolygon(_polygon(quad, to_view))
    painter.restore()


def _paint_line(painter: QPainter, annotation: Annotation, colour: QColor, to_view: ToView) -> None:
    darker = colour.darker(135)
    for quad in annotation.quads:
        ul, ur = to_view(quad.ul_x, quad.ul_y), to_view(quad.ur_x, quad.ur_y)
        ll, lr = to_view(quad.ll_x, quad.ll_y), to_view(quad.lr_x, quad.lr_y)
        height = abs(ll.y() - ul.y())
        pen = QPen(darker, max(1.5, height * 0.09))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        share = 0.94 if annotation.kind is AnnotationKind.UNDERLINE else 0.55
        painter.drawLine(_between(ul, ll, share), _between(ur, lr, share))


class AnnotationOverlay(QObject):
    """The notes of one document, drawn on ``canvas`` and found under the mouse."""

    selection_changed = Signal(object)  # Annotation | None

    def __init__(
        self, store: UserDataStore, doc_hash: str, canvas: PageCanvas, parent: QObject | None = None
    ) -> None:
        super().__init__(parent if parent is not None else canvas)
        self.store = store
        self.doc_hash = doc_hash
        self.canvas = canvas
        self._by_page: dict[int, list[Annotation]] = {}
        self._bookmarks: dict[int, list[str]] = {}  # page -> labels of its bookmarks
        self._colours: dict[str, QColor] = {}
        self._layers: dict[int, str] = {}
        self._selected: str | None = None
        self._dragged: tuple[str, Point] | None = None  # a sticky note on its way somewhere
        self.reload()
        canvas.add_overlay(self.paint)
        canvas.viewport().installEventFilter(self)

    # -- data -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the document's notes, colours and layers again and repaint."""
        self._colours = {c.key: QColor(c.rgb) for c in self.store.palette()}
        self._layers = {layer.id: layer.name for layer in self.store.layers()}
        by_page: dict[int, list[Annotation]] = {}
        for annotation in self.store.annotations(self.doc_hash):
            if annotation.is_drawable:
                by_page.setdefault(annotation.page, []).append(annotation)
        self._by_page = by_page
        bookmarks: dict[int, list[str]] = {}
        for bookmark in self.store.bookmarks(self.doc_hash):
            bookmarks.setdefault(bookmark.page, []).append(bookmark.label)
        self._bookmarks = bookmarks
        if self._selected is not None and self.find(self._selected) is None:
            self.select(None)
        self.canvas.viewport().update()

    def bookmark_labels(self, page: int) -> list[str]:
        """The labels of the bookmarks on ``page`` (1-based); its ribbon shows while any."""
        return list(self._bookmarks.get(page, ()))

    def annotations(self, page: int) -> list[Annotation]:
        """The drawn notes of ``page`` (1-based), in reading order."""
        return list(self._by_page.get(page, ()))

    def find(self, uuid: str) -> Annotation | None:
        for notes in self._by_page.values():
            for annotation in notes:
                if annotation.uuid == uuid:
                    return annotation
        return None

    def annotation_at(self, page: int, x: float, y: float) -> Annotation | None:
        """The topmost note at the PDF point ``(x, y)`` of ``page``: sticky notes, then drawings."""
        notes = self._by_page.get(page, [])
        on_top = (AnnotationKind.INK, AnnotationKind.STICKY_NOTE)
        ordered = [a for a in notes if a.kind not in on_top]
        ordered += [a for a in notes if a.kind is AnnotationKind.INK]
        ordered += [a for a in notes if a.kind is AnnotationKind.STICKY_NOTE]
        for annotation in reversed(ordered):
            if covers(annotation, x, y):
                return annotation
        return None

    def colour(self, key: str) -> QColor:
        return QColor(self._colours.get(key, QColor(FALLBACK_COLOUR)))

    # -- selection ----------------------------------------------------------------------

    def selected(self) -> Annotation | None:
        return self.find(self._selected) if self._selected is not None else None

    def select(self, uuid: str | None) -> None:
        if uuid == self._selected:
            return
        self._selected = uuid
        self.canvas.viewport().update()
        self.selection_changed.emit(self.selected())

    def show_dragged(self, uuid: str | None, at: Point | None = None) -> None:
        """Draw the sticky note ``uuid`` at ``at`` (PDF points) until the drag ends (None)."""
        self._dragged = (uuid, at) if uuid is not None and at is not None else None
        self.canvas.viewport().update()

    def dragged_to(self, annotation: Annotation) -> Point | None:
        dragged = self._dragged
        return dragged[1] if dragged is not None and dragged[0] == annotation.uuid else None

    # -- painting -----------------------------------------------------------------------

    def paint(self, painter: QPainter, page: int, to_view: ToView) -> None:
        if page in self._bookmarks:
            self._paint_ribbon(painter, page)
        notes = self._by_page.get(page)
        if not notes:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        paint_markup(painter, notes, self.colour, to_view)
        for annotation in notes:
            if annotation.kind is AnnotationKind.STICKY_NOTE:
                self._paint_note(painter, annotation, to_view)
        chosen = next((a for a in notes if a.uuid == self._selected), None)
        if chosen is not None:
            self._paint_outline(painter, chosen, to_view)
        painter.restore()

    def _paint_note(self, painter: QPainter, annotation: Annotation, to_view: ToView) -> None:
        x0, y0, x1, y1 = note_rect(annotation, self.dragged_to(annotation))
        top_left, bottom_right = to_view(x0, y0), to_view(x1, y1)
        rect = QRectF(top_left, bottom_right)
        fold = rect.width() * 0.3
        shape = QPainterPath()
        shape.moveTo(rect.topLeft())
        shape.lineTo(rect.right() - fold, rect.top())
        shape.lineTo(rect.right(), rect.top() + fold)
        shape.lineTo(rect.bottomRight())
        shape.lineTo(rect.bottomLeft())
        shape.closeSubpath()
        colour = self.colour(annotation.colour)
        painter.setPen(QPen(colour.darker(170), max(1.0, rect.width() / 16)))
        painter.setBrush(colour)
        painter.drawPath(shape)
        painter.setPen(QPen(colour.darker(200), max(1.0, rect.width() / 18)))
        for share in (0.4, 0.6, 0.8):
            y = rect.top() + rect.height() * share
            painter.drawLine(
                QPointF(rect.left() + rect.width() * 0.2, y),
                QPointF(rect.right() - rect.width() * 0.2, y),
            )

    def _paint_ribbon(self, painter: QPainter, page: int) -> None:
        rect = ribbon_rect(self.canvas.page_rect(page - 1))
        notch = rect.width() / 2
        shape = QPainterPath()
        shape.moveTo(rect.topLeft())
        shape.lineTo(rect.topRight())
        shape.lineTo(rect.bottomRight())
        shape.lineTo(rect.center().x(), rect.bottom() - notch)
        shape.lineTo(rect.bottomLeft())
        shape.closeSubpath()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(RIBBON_COLOUR.darker(140), 1.0))
        painter.setBrush(RIBBON_COLOUR)
        painter.drawPath(shape)
        painter.restore()

    def _paint_outline(self, painter: QPainter, annotation: Annotation, to_view: ToView) -> None:
        pen = QPen(SELECTED_OUTLINE, 2.0, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if annotation.kind is AnnotationKind.STICKY_NOTE:
            boxes = [note_rect(annotation, self.dragged_to(annotation))]
        elif annotation.ink_bounds is not None:
            x0, y0, x1, y1 = annotation.ink_bounds
            pad = annotation.width / 2 + 2
            boxes = [(x0 - pad, y0 - pad, x1 + pad, y1 + pad)]
        else:
            boxes = [q.rect for q in annotation.quads]
        for x0, y0, x1, y1 in boxes:
            rect = QRectF(to_view(x0, y0), to_view(x1, y1)).adjusted(-3, -3, 3, 3)
            painter.drawRect(rect)

    # -- tooltips -----------------------------------------------------------------------

    def tooltip_at(self, page: int, x: float, y: float) -> str:
        annotation = self.annotation_at(page, x, y)
        if annotation is None:
            return ""
        layer = self._layers.get(annotation.layer_id) if annotation.layer_id is not None else None
        return tooltip_text(annotation, layer)

    def ribbon_tooltip(self, view_pos: QPointF | QPoint) -> str:
        """ "Bookmark: <label>" when ``view_pos`` is on a page's bookmark ribbon."""
        for page, labels in self._bookmarks.items():
            rect = ribbon_rect(self.canvas.page_rect(page - 1))
            if rect.contains(QPointF(view_pos)):
                return "\n".join(f"Bookmark: {label}" for label in labels)
        return ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            where = self.canvas.pdf_point(event.pos())
            text = self.ribbon_tooltip(event.pos())
            if not text and where:
                text = self.tooltip_at(where[0], where[1].x(), where[1].y())
            if text:
                QToolTip.showText(event.globalPos(), text, self.canvas.viewport())
                return True
            QToolTip.hideText()
        return super().eventFilter(watched, event)
