"""The library's filter side panel: text as you type and one choice per facet, with counts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ecip_reader.text import counted
from ecip_reader.ui import icons, theme
from ecip_reader.ui.accessible import clear_button
from ecip_reader.ui.library.model import FACET_TITLES, FACETS, LibraryFilter, facet_label

FacetRole = Qt.ItemDataRole.UserRole + 1
ValueRole = Qt.ItemDataRole.UserRole + 2


class FilterPanel(QWidget):
    """Shows every facet value with the number of documents it would leave.

    Clicking a value chooses it (one per facet); clicking it again removes it.
    Facets combine with each other and with the text field.
    """

    changed = Signal()

    def __init__(self, proxy: LibraryFilter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterPanel")
        self.setAccessibleName("Library filters")
        self._proxy = proxy
        self._collapsed: set[str] = {"organisation", "topic"}

        self.text = QLineEdit(self)
        self.text.setObjectName("libraryFilterText")
        self.text.setPlaceholderText("Filter by title, organisation, topic…")
        self.text.setAccessibleName("Filter the library")
        clear_button(self.text, "Clear the filter text")
        icons.add_field_icon(self.text, "filter", "Filter")
        self.text.setText(proxy.text())
        self.text.textChanged.connect(proxy.set_text)

        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Filter choices")
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(12)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # A choice shows as bold with a tick; a selection highlight would outlive it.
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        self.tree.itemExpanded.connect(
            lambda item: self._collapsed.discard(item.data(0, FacetRole))
        )
        self.tree.itemCollapsed.connect(lambda item: self._collapsed.add(item.data(0, FacetRole)))

        self.clear_button = QPushButton("Clear filters", self)
        self.clear_button.setAccessibleName("Clear all library filters")
        self.clear_button.setFlat(True)
        self.clear_button.clicked.connect(self._clear)

        title = QLabel("FILTERS", self)
        title.setObjectName("sectionTitle")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.clear_button)

        layout = QVBoxLayout(self)
        s = theme.SPACING
        layout.setContentsMargins(s * 2, s * 2, s, s)
        layout.setSpacing(s)
        layout.addLayout(head)
        layout.addWidget(self.text)
        layout.addWidget(self.tree, 1)

        self._check = icons.icon("filter", theme.colours().accent)
        self._build()
        proxy.filters_changed.connect(self.refresh)
        proxy.modelReset.connect(self._rebuild)
        self.refresh()

    def _rebuild(self) -> None:
        self._build()
        self.refresh()

    def _build(self) -> None:
        """Create one row per facet value; the order stays put while filters change."""
        self.tree.clear()
        self._items: dict[tuple[str, str], QTreeWidgetItem] = {}
        bold = QFont(self.font())
        bold.setBold(True)
        overall = {facet: self._proxy.facet_totals(facet) for facet in FACETS}
        for facet in FACETS:
            if facet == "source" and len(overall[facet]) < 2:
                continue  # only the bundled collection: nothing to choose
            header = QTreeWidgetItem([FACET_TITLES[facet], ""])
            header.setData(0, FacetRole, facet)
            header.setFont(0, bold)
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(header)
            for value, _count in overall[facet]:
                label = facet_label(facet, value)
                item = QTreeWidgetItem(header, [label, ""])
                item.setData(0, FacetRole, facet)
                item.setData(0, ValueRole, value)
                item.setTextAlignment(
                    1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                self._items[(facet, value)] = item
            header.setExpanded(facet not in self._collapsed)

    def refresh(self) -> None:
        """Show the current counts and choices."""
        if self.text.text() != self._proxy.text():
            self.text.blockSignals(True)
            self.text.setText(self._proxy.text())
            self.text.blockSignals(False)
        normal = QFont(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        palette = self.palette()
        for facet in FACETS:
            chosen = self._proxy.facet(facet)
            for value, count in self._proxy.facet_counts(facet):
                item = self._items.get((facet, value))
                if item is None:
                    continue
                item.setText(1, str(count))
                tip = f"{item.text(0)}: {counted(count, 'document')}"
                if value == chosen:
                    tip += " (chosen; click again to show every document)"
                item.setToolTip(0, tip)
                item.setToolTip(1, tip)
                is_chosen = value == chosen
                for column in (0, 1):
                    item.setFont(column, bold if is_chosen else normal)
                    item.setForeground(
                        column,
                        palette.highlight()
                        if is_chosen
                        else (palette.placeholderText() if count == 0 else palette.text()),
                    )
                item.setIcon(0, self._check if is_chosen else QIcon())
                parent = item.parent()
                if is_chosen and parent is not None:
                    parent.setExpanded(True)
        self.clear_button.setEnabled(bool(self._proxy.filters()))
        self.changed.emit()

    def refresh_look(self) -> None:
        icons.recolour_field_icon(self.text, "filter")
        self._check = icons.icon("filter", theme.colours().accent)
        self.refresh()

    def count_of(self, facet: str, value: str) -> int:
        """The count shown beside a facet value (for tests and accessibility)."""
        item = self._items.get((facet, value))
        return int(item.text(1)) if item is not None and item.text(1) else 0

    def choose(self, facet: str, value: str | None) -> None:
        self._proxy.set_facet(facet, value)

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        facet, value = item.data(0, FacetRole), item.data(0, ValueRole)
        if value is None:
            item.setExpanded(not item.isExpanded())
            return
        self._proxy.set_facet(facet, None if self._proxy.facet(facet) == value else value)

    def _clear(self) -> None:
        self._proxy.clear()
