"""The side panel of a document: its outline and page thumbnails.

Clicking an outline entry or a thumbnail jumps there; while the reader
scrolls, the section being read and the current page are highlighted.
Thumbnails are drawn by the render worker only for the rows in view, after
every page the reader is looking at (they never slow reading down).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QResizeEvent,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QTabWidget, QTreeView, QWidget

from ecip_reader.ui.render.remote_document import RemoteDocument

THUMB_WIDTH = 112
PAGE_ROLE = Qt.ItemDataRole.UserRole + 1
TOP_ROLE = Qt.ItemDataRole.UserRole + 2  # where the entry's heading is, a fraction down its page
PLACE_SLACK = 0.01  # a heading just below the reading line already counts as being read
Index = QModelIndex | QPersistentModelIndex


class ThumbnailModel(QAbstractListModel):
    """One row a page: its number, and its thumbnail once drawn (a blank page until then)."""

    def __init__(self, remote: RemoteDocument, width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._remote = remote
        self._width = width
        self._count = 0
        self._blank = QImage()
        remote.thumbnail_ready.connect(self._ready)

    def set_pages(self, count: int, first_size: tuple[float, float]) -> None:
        self.beginResetModel()
        self._count = count
        w, h = first_size
        height = max(1, round(self._width * h / max(w, 1)))
        self._blank = QImage(self._width, height, QImage.Format.Format_RGB32)
        self._blank.fill(QColor(250, 250, 250))
        self.endResetModel()

    def image_width(self) -> int:
        return self._width

    def blank_size(self) -> QSize:
        return self._blank.size()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        page = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return str(page + 1)
        if role == Qt.ItemDataRole.DecorationRole:
            image = self._remote.thumbnail(page, self._width)
            return image if image is not None else self._blank
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Page {page + 1}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Page {page + 1}"
        if role == PAGE_ROLE:
            return page
        return None

    def has_thumbnail(self, page: int) -> bool:
        return self._remote.thumbnail(page, self._width) is not None

    @Slot(int)
    def _ready(self, page: int) -> None:
        if 0 <= page < self._count:
            index = self.index(page, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class SidePanel(QTabWidget):
    page_chosen = Signal(int)  # 0-based page the reader picked (a thumbnail)
    place_chosen = Signal(int, float)  # an outline entry: 0-based page, its heading's top (or -1)

    def __init__(self, remote: RemoteDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentSidePanel")
        self.setAccessibleName("Contents and pages")
        self.tabBar().setAccessibleName("Contents or pages")
        self._remote = remote
        # where each outline entry starts, in order: 0-based page, fraction down it (0: its top)
        self._entry_places: list[tuple[int, float]] = []
        self._entry_items: list[QStandardItem] = []
        self.outline_model = QStandardItemModel(self)
        self.outline_view = QTreeView(self)
        self.outline_view.setModel(self.outline_model)
        self.outline_view.setHeaderHidden(True)
        self.outline_view.setAccessibleName("Contents")
        self.outline_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.outline_view.clicked.connect(self._outline_clicked)
        self.outline_view.activated.connect(self._outline_clicked)
        ratio = self.devicePixelRatioF()
        self.thumbs = ThumbnailModel(remote, round(THUMB_WIDTH * ratio), self)
        self.thumb_view = QListView(self)
        self.thumb_view.setModel(self.thumbs)
        self.thumb_view.setAccessibleName("Page thumbnails")
        self.thumb_view.setViewMode(QListView.ViewMode.IconMode)
        self.thumb_view.setFlow(QListView.Flow.TopToBottom)
        self.thumb_view.setWrapping(False)
        self.thumb_view.setMovement(QListView.Movement.Static)
        self.thumb_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.thumb_view.setUniformItemSizes(True)
        self.thumb_view.setSpacing(6)
        self.thumb_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.thumb_view.clicked.connect(lambda index: self.page_chosen.emit(index.row()))
        self.thumb_view.activated.connect(lambda index: self.page_chosen.emit(index.row()))
        self.thumb_view.verticalScrollBar().valueChanged.connect(lambda _v: self._schedule())
        self.addTab(self.outline_view, "Contents")
        self.addTab(self.thumb_view, "Pages")
        self.currentChanged.connect(lambda _i: self._schedule())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._request_thumbnails)
        remote.outline_ready.connect(self.set_outline)
        self.setMinimumWidth(150)

    # ------------------------------------------------------------ content

    def set_pages(self, count: int, sizes: Sequence[tuple[float, float]]) -> None:
        self.thumbs.set_pages(count, sizes[0] if sizes else (612.0, 792.0))
        size = self.thumbs.blank_size() / self.devicePixelRatioF()
        self.thumb_view.setIconSize(size)
        self._schedule()

    @Slot(object)
    def set_outline(self, entries: object) -> None:
        self.outline_model.clear()
        self._entry_places.clear()
        self._entry_items.clear()
        parents: list[QStandardItem] = [self.outline_model.invisibleRootItem()]
        for level, title, page, *more in entries if isinstance(entries, tuple) else ():
            top = float(more[0]) if more else -1.0
            item = QStandardItem(title)
            item.setData(max(0, page - 1), PAGE_ROLE)
            item.setData(top, TOP_ROLE)
            item.setToolTip(f"{title} — page {page}" if page > 0 else title)
            depth = max(1, min(level, len(parents)))
            del parents[depth:]
            parents[-1].appendRow(item)
            parents.append(item)
            self._entry_places.append((max(0, page - 1), max(0.0, top)))
            self._entry_items.append(item)
        self.outline_view.expandToDepth(0)
        if not self._entry_items:
            self.setCurrentWidget(self.thumb_view)

    def has_outline(self) -> bool:
        return bool(self._entry_items)

    # ------------------------------------------------------------ following the reader

    def set_current_page(self, page: int, fraction: float = 1.0) -> None:
        """Highlight the section being read and the thumbnail of ``page`` (0-based).

        ``fraction`` is how far down ``page`` the reader is (the line they read):
        the section being read is the last one that starts above it.
        """
        self.set_reading_place(page, fraction)
        if 0 <= page < self.thumbs.rowCount():
            index = self.thumbs.index(page, 0)
            selection = self.thumb_view.selectionModel()
            selection.setCurrentIndex(index, selection.SelectionFlag.ClearAndSelect)
            self.thumb_view.scrollTo(index)

    def set_reading_place(self, page: int, fraction: float) -> None:
        """Highlight the outline entry of the section at ``fraction`` down ``page``."""
        if not self._entry_items:
            return
        at = bisect.bisect_right(self._entry_places, (page, fraction + PLACE_SLACK)) - 1
        selection = self.outline_view.selectionModel()
        if at < 0:
            selection.clearSelection()
            return
        index = self._entry_items[at].index()
        if self.outline_view.currentIndex() != index:
            selection.setCurrentIndex(index, selection.SelectionFlag.ClearAndSelect)
            self.outline_view.scrollTo(index)

    def current_section(self) -> str:
        index = self.outline_view.currentIndex()
        return str(index.data()) if index.isValid() else ""

    # ------------------------------------------------------------ thumbnails

    def _schedule(self) -> None:
        if self.isVisible() and self.currentWidget() is self.thumb_view:
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._schedule()

    @Slot(QModelIndex)
    def _outline_clicked(self, index: QModelIndex) -> None:
        page = index.data(PAGE_ROLE)
        top = index.data(TOP_ROLE)
        if isinstance(page, int):
            self.place_chosen.emit(page, float(top) if isinstance(top, float) else -1.0)

    @Slot()
    def _request_thumbnails(self) -> None:
        count = self.thumbs.rowCount()
        if not count:
            return
        view = self.thumb_view
        middle = view.viewport().width() // 2
        first = view.indexAt(QPoint(middle, 4))
        top = first.row() if first.isValid() else 0
        bottom_index = view.indexAt(QPoint(middle, view.viewport().height() - 4))
        bottom = bottom_index.row() if bottom_index.isValid() else count - 1
        bottom = max(bottom, top)
        wanted = [p for p in range(max(0, top - 2), min(count, bottom + 3))]
        wanted = [p for p in wanted if not self.thumbs.has_thumbnail(p)]
        if wanted:
            self._remote.request_thumbnails(wanted, self.thumbs.image_width())
