"""The start view: the library as a grid of covers or a sortable list, with filters and details."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ecip_reader.library.catalogue import CatalogueEntry
from ecip_reader.settings import LibraryLayout
from ecip_reader.ui import theme
from ecip_reader.ui.accessible import menus_at_current_item
from ecip_reader.ui.library.cards import CARD_SIZE, CoverDelegate
from ecip_reader.ui.library.columns import ColumnRule, FittedTable
from ecip_reader.ui.library.details import ContinueStrip, DetailsPane
from ecip_reader.ui.library.filters import FilterPanel
from ecip_reader.ui.library.model import DocIdRole, LibraryFilter, LibraryModel
from ecip_reader.userdata.reading_history import Position, ReadingHistory

VIEW_MODES = tuple(LibraryLayout)
# The list's columns, in the model's order: the title keeps room; Programme is hidden
# first when space runs out, then Last read, Kind, Pages and Organisation.
LIST_COLUMNS = (
    ColumnRule(minimum=220, preferred=420, drop_order=0),  # Title
    ColumnRule(minimum=140, preferred=240, drop_order=5),  # Organisation
    ColumnRule(minimum=96, preferred=130, drop_order=3),  # Kind
    ColumnRule(minimum=130, preferred=220, drop_order=1),  # Programme
    ColumnRule(minimum=56, preferred=64, drop_order=4),  # Pages
    ColumnRule(minimum=96, preferred=110, drop_order=2),  # Last read
)
CoverSource = Callable[[str], QPixmap | None]


class CoverGrid(QListView):
    """Covers in rows that fill the width: spare room is shared between the columns."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        cell = CARD_SIZE + QSize(theme.SPACING, theme.SPACING)
        room = self.viewport().width() - 2 * self.spacing()
        columns = max(1, room // cell.width())
        width = max(cell.width(), room // columns)
        if self.gridSize().width() != width:
            self.setGridSize(QSize(width, cell.height()))


class LibraryPage(QWidget):
    """Filters on the left, the documents in the middle, details of the chosen one on the right."""

    open_requested = Signal(str)
    current_changed = Signal(str)  # doc id of the document shown in the details pane
    menu_requested = Signal(str, QPoint)  # doc id under the pointer, global position

    def __init__(
        self,
        model: LibraryModel,
        proxy: LibraryFilter,
        covers: CoverSource,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("libraryPage")
        self.setAccessibleName("Library")
        self.model = model
        self.proxy = proxy
        proxy.setSourceModel(model)
        self.filters = FilterPanel(proxy, self)
        self.continue_strip = ContinueStrip(covers, self)
        self.continue_strip.open_requested.connect(self.open_requested)
        self.details = DetailsPane(covers, self)
        self.details.open_requested.connect(self.open_requested)
        self.details.show_requested.connect(self.select)
        self.details.topic_chosen.connect(lambda topic: proxy.set_facet("topic", topic))

        self.grid = CoverGrid(self)
        self.grid.setObjectName("libraryGrid")
        self.grid.setAccessibleName("Documents as covers")
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setUniformItemSizes(True)
        self.grid.setSpacing(theme.SPACING)
        self.grid.setGridSize(CARD_SIZE + QSize(theme.SPACING, theme.SPACING))
        self.grid.setMouseTracking(True)
        self.grid.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.grid.setItemDelegate(CoverDelegate(self.grid))
        self.grid.setModel(proxy)

        self.table = FittedTable(LIST_COLUMNS, LibraryModel.TITLE, self)
        self.table.setObjectName("libraryTable")
        self.table.setAccessibleName("Documents as a list")
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; the arrows move in it
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.sortByColumn(LibraryModel.TITLE, Qt.SortOrder.AscendingOrder)

        for view in (self.grid, self.table):
            view.activated.connect(self._activated)
            view.selectionModel().selectionChanged.connect(self._selection_changed)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(
                lambda point, v=view: self._menu_requested(v, point)
            )
            menus_at_current_item(view)

        self.count = QLabel(self)
        self.count.setObjectName("muted")
        self.sort = QComboBox(self)
        self.sort.setAccessibleName("Sort documents by")
        for column, name in enumerate(LibraryModel.COLUMNS):
            self.sort.addItem(f"Sort by {name.lower()}", column)
        self.sort.currentIndexChanged.connect(self._sort_chosen)
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)

        self.empty = QWidget(self)
        empty_label = QLabel("No document matches these filters.", self.empty)
        empty_label.setObjectName("muted")
        empty_button = QPushButton("Clear filters", self.empty)
        empty_button.clicked.connect(proxy.clear)
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(empty_label, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addWidget(empty_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.grid)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        s = theme.SPACING
        head = QHBoxLayout()
        head.setContentsMargins(s * 2, s, s * 2, 0)
        head.addWidget(self.count)
        head.addStretch(1)
        head.addWidget(self.sort)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.setSpacing(s)
        middle_layout.addWidget(self.continue_strip)
        middle_layout.addLayout(head)
        middle_layout.addWidget(self.stack, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("librarySplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(5)  # wide enough to grab; drawn as a thin line
        self.splitter.addWidget(self.filters)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(1, 1)
        self.filters.setMinimumWidth(190)
        self.details.setMinimumWidth(250)
        self.splitter.setSizes([230, 820, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._mode = "grid"
        self._current: str | None = None
        proxy.filters_changed.connect(self._filtered)
        proxy.modelReset.connect(self._filtered)
        model.modelReset.connect(self._forget_removed)
        self._filtered()

    # -- view mode ---------------------------------------------------------------------

    def view_mode(self) -> str:
        return self._mode

    def set_view_mode(self, mode: str) -> None:
        self._mode = mode if mode in VIEW_MODES else "grid"
        self._filtered()
        if self._current is not None:
            self.select(self._current)

    def current_view(self) -> QAbstractItemView:
        return self.grid if self._mode == "grid" else self.table

    def focus_blocks(self) -> list[QWidget]:
        """The page's regions in the order Tab visits them: filters, documents, details."""
        filters, details = self.filters, self.details
        return [
            self,
            filters.clear_button,
            filters.text,
            filters.tree,
            self.continue_strip,
            self.sort,
            self.stack,
            details,
            details.open_button,
            details.topics,
            details.related,
            details.more_like_this,
        ]

    # -- selection and opening ---------------------------------------------------------

    def selected_id(self) -> str | None:
        return self._current

    def select(self, doc_id: str) -> None:
        """Show ``doc_id`` selected (clearing filters that hide it)."""
        row = self.model.row_of(doc_id)
        if row < 0:
            return
        source = self.model.index(row, 0)
        if not self.proxy.mapFromSource(source).isValid():
            self.proxy.clear()
        index = self.proxy.mapFromSource(source)
        view = self.current_view()
        view.setCurrentIndex(index)
        view.scrollTo(index)

    def _forget_removed(self) -> None:
        """The chosen document left the library (taken out of My documents): show none."""
        if self._current is not None and self.model.row_of(self._current) < 0:
            self._current = None
            self.details.set_entry(None)

    def _menu_requested(self, view: QAbstractItemView, point: QPoint) -> None:
        """Choose the document under the pointer, then ask for its menu."""
        index = view.indexAt(point)
        doc_id = index.data(DocIdRole) if index.isValid() else None
        if isinstance(doc_id, str):
            view.setCurrentIndex(index)
            self.menu_requested.emit(doc_id, view.viewport().mapToGlobal(point))

    def _activated(self, index: QModelIndex) -> None:
        doc_id = index.data(DocIdRole)
        if isinstance(doc_id, str):
            self.open_requested.emit(doc_id)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        doc_id = indexes[0].data(DocIdRole)
        if isinstance(doc_id, str) and doc_id != self._current:
            self._current = doc_id
            self.current_changed.emit(doc_id)

    def show_details(
        self, entry: CatalogueEntry, related: list[CatalogueEntry], position: Position | None
    ) -> None:
        self.details.set_entry(entry, related, position)

    # -- reading progress --------------------------------------------------------------

    def set_reading(self, history: ReadingHistory) -> None:
        """Show when and how far each document was read, and the "Continue reading" strip."""
        last_read: dict[str, float] = {}
        progress: dict[str, float] = {}
        recent: list[tuple[CatalogueEntry, Position]] = []
        for doc_id in history.recent(limit=50):
            entry = self.model.entry(doc_id)
            position = history.position(doc_id)
            if entry is None or position is None:
                continue
            last_read[doc_id] = position.last_read
            progress[doc_id] = min(position.page / max(entry.pages, 1), 1.0)
            recent.append((entry, position))
        self.model.set_reading(last_read, progress)
        self.continue_strip.set_items(recent)

    def refresh_look(self) -> None:
        """Redraw covers and icons in the colours of the current look."""
        self.filters.refresh_look()
        self.grid.viewport().update()
        self.table.viewport().update()
        entry = self.details.entry
        if entry is not None:
            self.current_changed.emit(entry.id)
        self.continue_strip.refresh_look()

    # -- sorting and counts ------------------------------------------------------------

    def _sort_chosen(self, position: int) -> None:
        column = self.sort.itemData(position)
        order = (
            Qt.SortOrder.DescendingOrder
            if column == LibraryModel.LAST_READ
            else Qt.SortOrder.AscendingOrder
        )
        self.table.sortByColumn(int(column), order)

    def _sort_indicator_changed(self, column: int, _order: Qt.SortOrder) -> None:
        if self.sort.currentIndex() != column:
            self.sort.blockSignals(True)
            self.sort.setCurrentIndex(column)
            self.sort.blockSignals(False)

    def _filtered(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            self.count.setText(f"{total} document{'s' if total != 1 else ''}")
        else:
            self.count.setText(f"{shown} of {total} documents")
        if shown == 0 and total > 0:
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.current_view())
