"""The notes panel: the notes of the open document, or of the whole library, with filters.

A list model over the store's annotations (one row per note, in reading
order), a proxy that filters by colour, kind and text, and a small panel with
the filters above the list. Clicking a note asks to show it on its page.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QListView, QWidget

from ecip_reader.ui.notes.colours import swatch
from ecip_reader.ui.notes.list_panel import (
    ALL_DOCUMENTS,
    SEARCH_ROLE,
    THIS_DOCUMENT,
    Index,
    StoreListPanel,
    WordsFilter,
    with_documents,
)
from ecip_reader.userdata import Annotation, AnnotationKind, DocumentRef, UserDataStore
from ecip_reader.userdata.exporting import KIND_NAMES

ANNOTATION_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 2

__all__ = ["ALL_DOCUMENTS", "THIS_DOCUMENT", "AnnotationsPanel", "NotesFilter", "NotesModel"]


def _one_line(text: str, limit: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class NotesModel(QAbstractListModel):
    """Annotations with their documents, colour names and layer names."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Annotation, DocumentRef]] = []
        self._labels: dict[str, str] = {}
        self._rgb: dict[str, str] = {}
        self._layers: dict[int, str] = {}
        self.show_documents = False

    def load(self, store: UserDataStore, doc_hash: str | None, everything: bool) -> None:
        self.beginResetModel()
        palette = store.palette()
        self._labels = {c.key: c.label for c in palette}
        self._rgb = {c.key: c.rgb for c in palette}
        self._layers = {layer.id: layer.name for layer in store.layers()}
        if everything:
            found = store.annotations()
        elif doc_hash is not None:
            found = store.annotations(doc_hash)
        else:
            found = []
        self._rows = with_documents(store, found, everything)
        self.show_documents = everything
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def colour_label(self, key: str) -> str:
        return self._labels.get(key, key)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        annotation, document = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(annotation, document)
        if role == Qt.ItemDataRole.DecorationRole:
            return swatch(self._rgb.get(annotation.colour, "#b4b4b4"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return annotation.note or annotation.quote or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(annotation, document).replace("\n", ". ")
        if role == ANNOTATION_ROLE:
            return annotation
        if role == DOCUMENT_ROLE:
            return document
        if role == SEARCH_ROLE:
            parts = [annotation.quote, annotation.note, document.display_title]
            return " ".join(parts).lower()
        return None

    def _display(self, annotation: Annotation, document: DocumentRef) -> str:
        details = [
            f"Page {annotation.page}",
            KIND_NAMES[annotation.kind],
            self.colour_label(annotation.colour),
        ]
        if annotation.layer_id is not None:
            details.append(f"by {self._layers.get(annotation.layer_id, annotation.author)}")
        if not annotation.is_drawable:
            details.append("could not re-attach")
        lines = [" · ".join(details)]
        if self.show_documents:
            lines.insert(0, document.display_title)
        if annotation.quote:
            lines.append(f"“{_one_line(annotation.quote)}”")
        if annotation.note:
            lines.append(_one_line(annotation.note))
        return "\n".join(lines)


class NotesFilter(WordsFilter):
    """Keeps the notes of one colour, one kind and containing every typed word."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.colour: str | None = None
        self.kind: AnnotationKind | None = None

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        annotation = model.data(model.index(source_row, 0, source_parent), ANNOTATION_ROLE)
        if not isinstance(annotation, Annotation):
            return False
        if self.colour is not None and annotation.colour != self.colour:
            return False
        if self.kind is not None and annotation.kind is not self.kind:
            return False
        return self.matches(source_row, source_parent)


class AnnotationsPanel(StoreListPanel[NotesModel, NotesFilter]):
    """Filters above a list of notes; a click asks to show the note."""

    jump_requested = Signal(str, str, int, str)  # doc hash, doc id, page, annotation uuid

    def __init__(self, store: UserDataStore, parent: QWidget | None = None) -> None:
        model = NotesModel()
        super().__init__(store, model, NotesFilter(), "notes", "Filter by text", parent)
        model.setParent(self)
        self.proxy.setSourceModel(model)
        self.colour = QComboBox(self)
        self.colour.setAccessibleName("Colour filter")
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind filter")
        self.kind.addItem("Any kind", None)
        for kind, name in KIND_NAMES.items():
            self.kind.addItem(name, kind.value)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        filters = QHBoxLayout()
        filters.addWidget(self.colour, 1)
        filters.addWidget(self.kind, 1)
        self.rows.insertLayout(1, filters)
        for earlier, later in ((self.scope, self.colour), (self.colour, self.kind)):
            QWidget.setTabOrder(earlier, later)  # Tab follows the filters as they are shown
        QWidget.setTabOrder(self.kind, self.text)
        self.colour.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.kind.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.list.clicked.connect(self._chosen)
        self.list.activated.connect(self._chosen)
        self.refresh()

    def refresh(self) -> None:
        self._fill_colours()
        super().refresh()

    def _fill_colours(self) -> None:
        chosen = self.colour.currentData()
        self.colour.blockSignals(True)
        self.colour.clear()
        self.colour.addItem("Any colour", None)
        for colour in self.store.palette():
            self.colour.addItem(swatch(colour.rgb), colour.label, colour.key)
        index = self.colour.findData(chosen) if chosen is not None else 0
        self.colour.setCurrentIndex(max(0, index))
        self.colour.blockSignals(False)

    def apply_filter(self) -> None:
        kind = self.kind.currentData()
        self.proxy.colour = self.colour.currentData()
        self.proxy.kind = AnnotationKind(kind) if kind else None
        super().apply_filter()
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if self.needs_document():
            self.status.setText("Open a document to see its notes.")
        elif total == 0:
            self.status.setText("No notes yet. Select text and press Ctrl+Shift+H to highlight.")
        elif shown == total:
            self.status.setText(f"{total} note{'s' if total != 1 else ''}")
        else:
            self.status.setText(f"{shown} of {total} notes")

    def visible_annotations(self) -> list[Annotation]:
        """The notes the list shows now, top to bottom."""
        rows = (self.proxy.index(r, 0) for r in range(self.proxy.rowCount()))
        return [a for i in rows if isinstance(a := i.data(ANNOTATION_ROLE), Annotation)]

    def _chosen(self, index: QModelIndex) -> None:
        annotation = index.data(ANNOTATION_ROLE)
        document = index.data(DOCUMENT_ROLE)
        if isinstance(annotation, Annotation) and isinstance(document, DocumentRef):
            self.jump_requested.emit(
                annotation.doc_hash, document.doc_id, annotation.page, annotation.uuid
            )
