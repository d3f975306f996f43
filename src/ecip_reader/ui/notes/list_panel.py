"""The common frame of the notes and bookmarks panels.

A choice of scope (this document or all documents), a filter field, a list
over a filtering proxy and a status line, refreshed whenever the store
changes. The panels add their own controls and say what the status reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from ecip_reader.ui.accessible import clear_button
from ecip_reader.ui.notes.controller import StoreRelay
from ecip_reader.userdata import Annotation, Bookmark, DocumentRef, UserDataStore

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3  # lower-case text the filter field searches

Index = QModelIndex | QPersistentModelIndex

THIS_DOCUMENT, ALL_DOCUMENTS = "document", "library"


ItemT = TypeVar("ItemT", Annotation, Bookmark)


def with_documents(
    store: UserDataStore, items: Iterable[ItemT], everything: bool
) -> list[tuple[ItemT, DocumentRef]]:
    """Each item with its document; across the library, sorted by title and page."""
    documents = store.documents()
    rows = [(item, documents.get(item.doc_hash, DocumentRef(item.doc_hash))) for item in items]
    if everything:
        rows.sort(key=lambda r: (r[1].display_title.lower(), r[0].page))
    return rows


class StoreListModel(Protocol):
    def load(self, store: UserDataStore, doc_hash: str | None, everything: bool) -> None: ...

    def rowCount(self, parent: Index = ...) -> int: ...


class WordsFilter(QSortFilterProxyModel):
    """Keeps the rows whose :data:`SEARCH_ROLE` text holds every typed word."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.words: tuple[str, ...] = ()

    def matches(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        haystack = str(model.data(model.index(source_row, 0, source_parent), SEARCH_ROLE))
        return all(word in haystack for word in self.words)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return self.matches(source_row, source_parent)


ModelT = TypeVar("ModelT", bound=StoreListModel)
FilterT = TypeVar("FilterT", bound=WordsFilter)


class StoreListPanel(QWidget, Generic[ModelT, FilterT]):
    """Scope, filter field, list and status; ``refresh`` reloads ``model`` from the store.

    The panel sets ``proxy``'s source model (and parents both) before its first refresh.
    """

    def __init__(
        self,
        store: UserDataStore,
        model: ModelT,
        proxy: FilterT,
        noun: str,
        hint: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(noun.capitalize())
        self.store = store
        self.document: DocumentRef | None = None
        self.model = model
        self.proxy = proxy
        proxy.setParent(self)
        self.scope = QComboBox(self)
        self.scope.setAccessibleName(f"Which {noun}")
        self.scope.addItem("This document", THIS_DOCUMENT)
        self.scope.addItem("All documents", ALL_DOCUMENTS)
        self.text = QLineEdit(self)
        self.text.setAccessibleName(f"Filter {noun}")
        self.text.setPlaceholderText(hint)
        clear_button(self.text, f"Clear the {noun} filter")
        self.list = QListView(self)
        self.list.setAccessibleName(f"{noun.capitalize()} list")
        self.list.setModel(proxy)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.status = QLabel(self)
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.rows = QVBoxLayout(self)
        self.rows.addWidget(self.scope)
        self.rows.addWidget(self.text)
        self.rows.addWidget(self.list, 1)
        self.rows.addWidget(self.status)
        self._relay = StoreRelay(self)
        self._relay.changed.connect(lambda _e: self.refresh())
        unsubscribe = store.subscribe(self._relay.changed.emit)
        self.destroyed.connect(lambda _o=None, u=unsubscribe: u())
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.text.textChanged.connect(lambda _t: self.apply_filter())

    def set_document(self, document: DocumentRef | None) -> None:
        self.document = document
        self.refresh()

    def set_scope(self, scope: str) -> None:
        self.scope.setCurrentIndex(self.scope.findData(scope))

    def everything(self) -> bool:
        return bool(self.scope.currentData() == ALL_DOCUMENTS)

    def needs_document(self) -> bool:
        """True when "This document" is chosen and no document is open."""
        return not self.everything() and self.document is None

    def refresh(self) -> None:
        doc_hash = self.document.hash if self.document else None
        self.model.load(self.store, doc_hash, self.everything())
        self.apply_filter()

    def apply_filter(self) -> None:
        """Filter by the typed words; the panels also filter by more and fill the status."""
        self.proxy.beginFilterChange()
        self.proxy.words = tuple(self.text.text().lower().split())
        self.proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
