"""The notes panel: the notes of the open document, or of the whole library, with filters.

A list model over the store's annotations (one row per note, in reading
order), a proxy that filters by colour, kind and text, and a small panel with
the filters above the list. Clicking a note asks to show it on its page.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from ecip_reader.ui.annotation_controller import StoreRelay, swatch
from ecip_reader.userdata import Annotation, AnnotationKind, DocumentRef, UserDataStore
from ecip_reader.userdata.exporting import KIND_NAMES

ANNOTATION_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex

THIS_DOCUMENT, ALL_DOCUMENTS = "document", "library"


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
        documents = store.documents()
        if everything:
            found = store.annotations()
        elif doc_hash is not None:
            found = store.annotations(doc_hash)
        else:
            found = []
        self._rows = [(a, documents.get(a.doc_hash, DocumentRef(a.doc_hash))) for a in found]
        if everything:
            self._rows.sort(key=lambda r: (r[1].display_title.lower(), r[0].page))
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


class NotesFilter(QSortFilterProxyModel):
    """Keeps the notes of one colour, one kind and containing every typed word."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.colour: str | None = None
        self.kind: AnnotationKind | None = None
        self.words: tuple[str, ...] = ()

    def set_filters(self, colour: str | None, kind: AnnotationKind | None, text: str) -> None:
        self.beginFilterChange()
        self.colour, self.kind = colour, kind
        self.words = tuple(text.lower().split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        annotation = model.data(index, ANNOTATION_ROLE)
        if not isinstance(annotation, Annotation):
            return False
        if self.colour is not None and annotation.colour != self.colour:
            return False
        if self.kind is not None and annotation.kind is not self.kind:
            return False
        haystack = str(model.data(index, SEARCH_ROLE))
        return all(word in haystack for word in self.words)


class AnnotationsPanel(QWidget):
    """Filters above a list of notes; a click asks to show the note."""

    jump_requested = Signal(str, str, int, str)  # doc hash, doc id, page, annotation uuid

    def __init__(self, store: UserDataStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Notes")
        self.store = store
        self.document: DocumentRef | None = None
        self.model = NotesModel(self)
        self.proxy = NotesFilter(self)
        self.proxy.setSourceModel(self.model)
        self.scope = QComboBox(self)
        self.scope.setAccessibleName("Which notes")
        self.scope.addItem("This document", THIS_DOCUMENT)
        self.scope.addItem("All documents", ALL_DOCUMENTS)
        self.colour = QComboBox(self)
        self.colour.setAccessibleName("Colour filter")
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind filter")
        self.kind.addItem("Any kind", None)
        for kind, name in KIND_NAMES.items():
            self.kind.addItem(name, kind.value)
        self.text = QLineEdit(self)
        self.text.setAccessibleName("Filter notes")
        self.text.setPlaceholderText("Filter by text")
        self.text.setClearButtonEnabled(True)
        self.list = QListView(self)
        self.list.setAccessibleName("Notes list")
        self.list.setModel(self.proxy)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.status = QLabel(self)
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        filters = QHBoxLayout()
        filters.addWidget(self.colour, 1)
        filters.addWidget(self.kind, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addLayout(filters)
        layout.addWidget(self.text)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        self._relay = StoreRelay(self)
        self._relay.changed.connect(lambda _e: self.refresh())
        self._unsubscribe = store.subscribe(self._relay.changed.emit)
        self.destroyed.connect(lambda _o=None, u=self._unsubscribe: u())
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.colour.currentIndexChanged.connect(lambda _i: self._filter())
        self.kind.currentIndexChanged.connect(lambda _i: self._filter())
        self.text.textChanged.connect(lambda _t: self._filter())
        self.list.clicked.connect(self._chosen)
        self.list.activated.connect(self._chosen)
        self.refresh()

    def set_document(self, document: DocumentRef | None) -> None:
        self.document = document
        self.refresh()

    def set_scope(self, scope: str) -> None:
        self.scope.setCurrentIndex(self.scope.findData(scope))

    def refresh(self) -> None:
        self._fill_colours()
        everything = self.scope.currentData() == ALL_DOCUMENTS
        self.model.load(self.store, self.document.hash if self.document else None, everything)
        self._filter()

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

    def _filter(self) -> None:
        kind = self.kind.currentData()
        self.proxy.set_filters(
            self.colour.currentData(),
            AnnotationKind(kind) if kind else None,
            self.text.text(),
        )
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if self.scope.currentData() == THIS_DOCUMENT and self.document is None:
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
