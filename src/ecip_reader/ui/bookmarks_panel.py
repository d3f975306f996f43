"""The bookmarks panel: the open document's bookmarks or the whole library's.

Click a bookmark to go to its page; rename it in place (F2, or the Rename
button) and delete it (Delete key or button). Renaming and deleting are
undoable changes made through the :class:`Annotator`.
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
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ecip_reader.errors import UserError
from ecip_reader.ui.annotation_controller import StoreRelay
from ecip_reader.userdata import Annotator, Bookmark, DocumentRef, UserDataStore

BOOKMARK_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex

THIS_DOCUMENT, ALL_DOCUMENTS = "document", "library"


class BookmarksModel(QAbstractListModel):
    """Bookmarks with their documents; the label of the user's own ones can be edited."""

    rename_requested = Signal(str, str)  # bookmark uuid, new label

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Bookmark, DocumentRef]] = []
        self._layers: dict[int, str] = {}
        self.show_documents = False

    def load(self, store: UserDataStore, doc_hash: str | None, everything: bool) -> None:
        self.beginResetModel()
        self._layers = {layer.id: layer.name for layer in store.layers()}
        documents = store.documents()
        found = store.bookmarks() if everything else store.bookmarks(doc_hash) if doc_hash else []
        self._rows = [(b, documents.get(b.doc_hash, DocumentRef(b.doc_hash))) for b in found]
        if everything:
            self._rows.sort(key=lambda r: (r[1].display_title.lower(), r[0].page))
        self.show_documents = everything
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self._rows[index.row()][0].layer_id is None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        bookmark, document = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            where = f"Page {bookmark.page}"
            if self.show_documents:
                where = f"{document.display_title}, page {bookmark.page}"
            if bookmark.layer_id is not None:
                where += f" · by {self._layers.get(bookmark.layer_id, bookmark.author)}"
            return f"{bookmark.label}\n{where}"
        if role == Qt.ItemDataRole.EditRole:
            return bookmark.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{document.display_title}, page {bookmark.page}"
        if role == BOOKMARK_ROLE:
            return bookmark
        if role == DOCUMENT_ROLE:
            return document
        if role == SEARCH_ROLE:
            return f"{bookmark.label} {document.display_title}".lower()
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        bookmark = self._rows[index.row()][0]
        label = str(value).strip()
        if not label or label == bookmark.label:
            return False
        self.rename_requested.emit(bookmark.uuid, label)
        return True


class BookmarksFilter(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.words: tuple[str, ...] = ()

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.words = tuple(text.lower().split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        haystack = str(model.data(model.index(source_row, 0, source_parent), SEARCH_ROLE))
        return all(word in haystack for word in self.words)


class BookmarksPanel(QWidget):
    jump_requested = Signal(str, str, int)  # doc hash, doc id, page
    problem = Signal(str)

    def __init__(
        self, store: UserDataStore, annotator: Annotator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Bookmarks")
        self.store = store
        self.annotator = annotator
        self.document: DocumentRef | None = None
        self.model = BookmarksModel(self)
        self.model.rename_requested.connect(self.rename)
        self.proxy = BookmarksFilter(self)
        self.proxy.setSourceModel(self.model)
        self.scope = QComboBox(self)
        self.scope.setAccessibleName("Which bookmarks")
        self.scope.addItem("This document", THIS_DOCUMENT)
        self.scope.addItem("All documents", ALL_DOCUMENTS)
        self.text = QLineEdit(self)
        self.text.setAccessibleName("Filter bookmarks")
        self.text.setPlaceholderText("Filter by label")
        self.text.setClearButtonEnabled(True)
        self.list = QListView(self)
        self.list.setAccessibleName("Bookmarks list")
        self.list.setModel(self.proxy)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.setEditTriggers(
            QListView.EditTrigger.EditKeyPressed | QListView.EditTrigger.SelectedClicked
        )
        self.rename_button = QPushButton("&Rename", self)
        self.rename_button.setToolTip("Rename the chosen bookmark (F2)")
        self.delete_button = QPushButton("&Delete", self)
        self.delete_button.setToolTip("Delete the chosen bookmark (Delete)")
        self.status = QLabel(self)
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addWidget(self.text)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.delete_current)
        self.rename_button.clicked.connect(self.rename_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.text.textChanged.connect(self._filter)
        self.list.clicked.connect(self._chosen)
        self.list.activated.connect(self._chosen)
        self._relay = StoreRelay(self)
        self._relay.changed.connect(lambda _e: self.refresh())
        self._unsubscribe = store.subscribe(self._relay.changed.emit)
        self.destroyed.connect(lambda _o=None, u=self._unsubscribe: u())
        self.refresh()

    def set_document(self, document: DocumentRef | None) -> None:
        self.document = document
        self.refresh()

    def set_scope(self, scope: str) -> None:
        self.scope.setCurrentIndex(self.scope.findData(scope))

    def refresh(self) -> None:
        everything = self.scope.currentData() == ALL_DOCUMENTS
        self.model.load(self.store, self.document.hash if self.document else None, everything)
        self._filter(self.text.text())

    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)
        total = self.model.rowCount()
        writable = not self.store.read_only
        self.rename_button.setEnabled(writable and total > 0)
        self.delete_button.setEnabled(writable and total > 0)
        if self.scope.currentData() == THIS_DOCUMENT and self.document is None:
            self.status.setText("Open a document to see its bookmarks.")
        elif total == 0:
            self.status.setText("No bookmarks yet. Press Ctrl+D to bookmark a page.")
        else:
            self.status.setText(f"{total} bookmark{'s' if total != 1 else ''}")

    def visible_bookmarks(self) -> list[Bookmark]:
        rows = (self.proxy.index(r, 0) for r in range(self.proxy.rowCount()))
        return [b for i in rows if isinstance(b := i.data(BOOKMARK_ROLE), Bookmark)]

    def _current(self) -> Bookmark | None:
        found = self.list.currentIndex().data(BOOKMARK_ROLE)
        return found if isinstance(found, Bookmark) else None

    def rename(self, uuid: str, label: str) -> None:
        try:
            self.annotator.rename_bookmark(uuid, label)
        except UserError as exc:
            self.problem.emit(str(exc))

    def rename_current(self) -> None:
        index = self.list.currentIndex()
        if index.isValid():
            self.list.edit(index)

    def delete_current(self) -> None:
        bookmark = self._current()
        if bookmark is None or bookmark.layer_id is not None:
            return
        try:
            self.annotator.delete_bookmark(bookmark.uuid)
        except UserError as exc:
            self.problem.emit(str(exc))

    def _chosen(self, index: QModelIndex) -> None:
        bookmark = index.data(BOOKMARK_ROLE)
        document = index.data(DOCUMENT_ROLE)
        if isinstance(bookmark, Bookmark) and isinstance(document, DocumentRef):
            self.jump_requested.emit(bookmark.doc_hash, document.doc_id, bookmark.page)
