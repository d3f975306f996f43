"""The bookmarks panel: the open document's bookmarks or the whole library's.

Click a bookmark to go to its page; rename it in place (F2, or the Rename
button) and delete it (Delete key or button). Renaming and deleting are
undoable changes made through the :class:`Annotator`.

The list takes the Delete key itself while it has the focus, ahead of the
window's Annotate → Delete Note shortcut (two claims on one key would leave
Qt running neither).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QListView, QPushButton, QWidget

from ecip_reader.errors import UserError
from ecip_reader.ui.notes.list_panel import (
    ALL_DOCUMENTS,
    SEARCH_ROLE,
    THIS_DOCUMENT,
    Index,
    StoreListPanel,
    WordsFilter,
    with_documents,
)
from ecip_reader.userdata import Annotator, Bookmark, DocumentRef, UserDataStore

BOOKMARK_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 2

__all__ = ["ALL_DOCUMENTS", "THIS_DOCUMENT", "BookmarksModel", "BookmarksPanel"]


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
        found = store.bookmarks() if everything else store.bookmarks(doc_hash) if doc_hash else []
        self._rows = with_documents(store, found, everything)
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


def _is_delete(event: QEvent) -> bool:
    return (
        isinstance(event, QKeyEvent)
        and event.key() == Qt.Key.Key_Delete
        and event.modifiers() == Qt.KeyboardModifier.NoModifier
    )


class BookmarksPanel(StoreListPanel[BookmarksModel, WordsFilter]):
    jump_requested = Signal(str, str, int)  # doc hash, doc id, page
    problem = Signal(str)

    def __init__(
        self, store: UserDataStore, annotator: Annotator, parent: QWidget | None = None
    ) -> None:
        model = BookmarksModel()
        super().__init__(store, model, WordsFilter(), "bookmarks", "Filter by label", parent)
        model.setParent(self)
        self.proxy.setSourceModel(model)
        self.annotator = annotator
        model.rename_requested.connect(self.rename)
        self.list.setEditTriggers(
            QListView.EditTrigger.EditKeyPressed | QListView.EditTrigger.SelectedClicked
        )
        self.list.installEventFilter(self)
        self.rename_button = QPushButton("&Rename", self)
        self.rename_button.setToolTip("Rename the chosen bookmark (F2)")
        self.delete_button = QPushButton("&Delete", self)
        self.delete_button.setToolTip("Delete the chosen bookmark (Delete)")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.delete_button)
        self.rows.insertLayout(3, buttons)
        self.rename_button.clicked.connect(self.rename_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.list.clicked.connect(self._chosen)
        self.list.activated.connect(self._chosen)
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and _is_delete(event):
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # the key comes to the list, not to a window shortcut
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.delete_current()
                return True
        return super().eventFilter(watched, event)

    def apply_filter(self) -> None:
        super().apply_filter()
        total = self.model.rowCount()
        writable = not self.store.read_only
        self.rename_button.setEnabled(writable and total > 0)
        self.delete_button.setEnabled(writable and total > 0)
        if self.needs_document():
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
