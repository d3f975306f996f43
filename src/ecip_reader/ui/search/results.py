"""Search results as a tree: documents, and under each the pages where the words were found.

:class:`ResultsModel` is filled from a ``SearchResponse``; :class:`SnippetDelegate`
draws page rows with their highlighted snippet and document rows with title and
organisation.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QPainter,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget

from ecip_reader.ui import theme
from ecip_reader.ui.library.model import kind_label

if TYPE_CHECKING:
    from ecip_reader.search.results import DocumentHit, SearchResponse

DocIdRole = Qt.ItemDataRole.UserRole + 1
PageRole = Qt.ItemDataRole.UserRole + 2  # 0 on document rows
HtmlRole = Qt.ItemDataRole.UserRole + 3
HitNumberRole = Qt.ItemDataRole.UserRole + 4  # position in the walk through all hits

Index = QModelIndex | QPersistentModelIndex


def note_marker(hit: DocumentHit) -> str | None:
    """ "your note" or "note by <author>" for the reader's notes; None for a document's text."""
    if hit.source != "note":
        return None
    author = getattr(hit, "author", None)
    return f"note by {author}" if author else "your note"


def marker_html(marker: str) -> str:
    c = theme.colours()
    return (
        f"<span style='background-color:{c.accent_soft}; color:{c.accent}; "
        f"font-weight:600'>&nbsp;{html.escape(marker)}&nbsp;</span>"
    )


def document_html(hit: DocumentHit) -> str:
    c = theme.colours()
    pages = len(hit.pages)
    marker = note_marker(hit)
    if marker is not None:
        found = "1 note" if pages == 1 else f"{pages} notes"
        details = [hit.organisation, found] if hit.organisation else [found]
        return (
            f"<div style='font-weight:600'>{html.escape(hit.title)}</div>"
            f"<div style='color:{c.muted}'>{marker_html(marker)} · "
            f"{html.escape(' · '.join(details))}</div>"
        )
    found = "1 page" if pages == 1 else f"{pages} pages"
    missing = ""
    if hit.missing:
        words = ", ".join(f"<s>{html.escape(word)}</s>" for word in hit.missing)
        missing = f"<div style='color:{c.muted}'>Missing: {words}</div>"
    return (
        f"<div style='font-weight:600'>{html.escape(hit.title)}</div>"
        f"<div style='color:{c.muted}'>{html.escape(hit.organisation)} · "
        f"{html.escape(kind_label(hit.kind))} · {found}</div>{missing}"
    )


def page_html(page: int, snippet_html: str, marker: str | None = None) -> str:
    c = theme.colours()
    tag = f"{marker_html(marker)}&nbsp;" if marker else ""
    return f"<span style='color:{c.muted}'>p. {page}</span>&nbsp;&nbsp;{tag}{snippet_html}"


class ResultsModel(QStandardItemModel):
    """One row per document hit with a child row per page hit."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[tuple[str, int]] = []  # every (doc id, page) in the order shown

    def set_response(self, response: SearchResponse | None) -> None:
        self.clear()
        self.hits = []
        if response is None:
            return
        root = self.invisibleRootItem()
        for doc in response.results:
            doc_item = QStandardItem(doc.title)
            doc_item.setEditable(False)
            doc_item.setData(doc.doc_id, DocIdRole)
            doc_item.setData(0, PageRole)
            doc_item.setData(document_html(doc), HtmlRole)
            doc_item.setData(len(self.hits), HitNumberRole)
            doc_item.setToolTip(f"{doc.title} — {doc.organisation}")
            spoken = f"{doc.title}, {doc.organisation}"
            if doc.missing:
                spoken += f", missing {', '.join(doc.missing)}"
            doc_item.setData(spoken, Qt.ItemDataRole.AccessibleTextRole)
            marker = note_marker(doc)
            for page in doc.pages:
                said = f" ({marker})" if marker else ""
                page_item = QStandardItem(f"Page {page.page}{said}: {page.snippet}")
                page_item.setEditable(False)
                page_item.setData(doc.doc_id, DocIdRole)
                page_item.setData(page.page, PageRole)
                page_item.setData(page_html(page.page, page.snippet_html(), marker), HtmlRole)
                page_item.setData(len(self.hits), HitNumberRole)
                doc_item.appendRow(page_item)
                self.hits.append((doc.doc_id, page.page))
            root.appendRow(doc_item)

    def index_of_hit(self, number: int) -> QModelIndex:
        """The page row of hit ``number`` in the walk through all hits."""
        for row in range(self.rowCount()):
            doc_index = self.index(row, 0)
            for child in range(self.rowCount(doc_index)):
                index = self.index(child, 0, doc_index)
                if index.data(HitNumberRole) == number:
                    return index
        return QModelIndex()


class SnippetDelegate(QStyledItemDelegate):
    """Draws rich-text rows: a document's title and organisation, or a page's snippet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc = QTextDocument(self)
        self._doc.setDocumentMargin(2)

    def _width(self, option: QStyleOptionViewItem, index: Index) -> int:
        """Text width of a row, the same when measuring and when painting.

        The room a vertical scroll bar would take is always left free, so rows
        measured before the bar appears still fit once it is there.
        """
        view = self.parent()
        if not isinstance(view, QTreeView):
            return max(option.rect.width() - 8, 80)
        depth = 1 if index.parent().isValid() else 0
        width = view.viewport().width() - view.indentation() * (depth + 1)
        bar = view.verticalScrollBar()
        if not bar.isVisible():
            width -= bar.sizeHint().width()
        return max(width - 8, 80)

    def _prepare(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        c = theme.colours()
        self._doc.setDefaultFont(option.font)
        self._doc.setDefaultStyleSheet(
            f"b {{ background-color: {c.match}; color: {c.on_match}; font-weight: 600; }}"
        )
        self._doc.setHtml(str(index.data(HtmlRole) or html.escape(str(index.data() or ""))))
        self._doc.setTextWidth(self._width(option, index))
        return self._doc

    @staticmethod
    def _top(index: Index) -> int:
        """Space above a row: more above a document than above one of its pages."""
        return 4 if index.parent().isValid() else 10

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        c = theme.colours()
        rect = option.rect
        state = option.state
        painter.save()
        if state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, QColor(c.accent_soft))
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, QColor(c.surface_alt))
        doc = self._prepare(option, index)
        top = self._top(index)
        painter.translate(rect.left() + 4, rect.top() + top)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(context.palette.ColorRole.Text, QColor(c.text))
        context.clip = QRectF(0, 0, rect.width() - 4, rect.height() - top)
        painter.setClipRect(context.clip)
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        doc = self._prepare(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + self._top(index) + 4)
