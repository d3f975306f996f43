"""The library as a Qt model: one row per catalogue entry, plus a filtering proxy.

:class:`LibraryModel` holds the catalogue entries and what the reader knows about
each (when it was last read, how far, its cover). :class:`LibraryFilter` narrows
it by kind, organisation, programme, topic and free text; filters combine, and
:meth:`LibraryFilter.facet_counts` says how many documents each choice would leave.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QPixmap

from ecip_reader.library.catalogue import CatalogueEntry
from ecip_reader.library.sources import BUNDLED_LABEL, source_key

KIND_LABELS = {
    "case-study": "Case study",
    "presentation": "Presentation",
    "supporting-document": "Supporting document",
    "about": "About",
}
FACETS = ("source", "kind", "organisation", "programme", "topic")
FACET_TITLES = {
    "source": "Source",
    "kind": "Kind",
    "organisation": "Organisation",
    "programme": "Programme",
    "topic": "Topic",
}

Index = QModelIndex | QPersistentModelIndex

EntryRole = Qt.ItemDataRole.UserRole + 1
DocIdRole = Qt.ItemDataRole.UserRole + 2
SortRole = Qt.ItemDataRole.UserRole + 3
LastReadRole = Qt.ItemDataRole.UserRole + 4
ProgressRole = Qt.ItemDataRole.UserRole + 5
ThumbnailRole = Qt.ItemDataRole.UserRole + 6
KindRole = Qt.ItemDataRole.UserRole + 7


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("-", " ").capitalize())


def facet_label(facet: str, value: str) -> str:
    return kind_label(value) if facet == "kind" else value


def facet_values(entry: CatalogueEntry, facet: str) -> tuple[str, ...]:
    """The values ``entry`` has for ``facet``; none when the field is empty (no blank row)."""
    if facet == "topic":
        return entry.topics
    value = str(getattr(entry, facet))
    return (value,) if value else ()  # an organisation the listing does not name is no value


def describe_last_read(when: float | None, now: float | None = None) -> str:
    """ "Today", "Yesterday", "3 days ago" or a date; empty when never read."""
    if not when:
        return ""
    today = date.fromtimestamp(now if now is not None else time.time())
    day = date.fromtimestamp(when)
    days = (today - day).days
    if days <= 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    if days < 7:
        return f"{days} days ago"
    return datetime.fromtimestamp(when).strftime("%d %b %Y").lstrip("0")


class LibraryModel(QAbstractTableModel):
    """Catalogue entries with reading progress and covers."""

    COLUMNS = ("Title", "Organisation", "Kind", "Programme", "Pages", "Last read")
    TITLE, ORGANISATION, KIND, PROGRAMME, PAGES, LAST_READ = range(6)

    def __init__(self, entries: Iterable[CatalogueEntry] = (), parent: QObject | None = None):
        super().__init__(parent)
        self._entries: list[CatalogueEntry] = list(entries)
        self._rows: dict[str, int] = {e.id: i for i, e in enumerate(self._entries)}
        self._last_read: dict[str, float] = {}
        self._progress: dict[str, float] = {}
        self._thumbnail: Callable[[str], QPixmap | None] = lambda _doc_id: None
        self._sources: dict[str, str] = {}  # source key -> label ("bundled" is implied)

    # -- sources (bundled collection, organisation folders, My documents) ---------------

    def set_sources(self, labels: Mapping[str, str]) -> None:
        """The label of each source other than the bundled collection, by source key."""
        self._sources = dict(labels)

    def source_label(self, doc_id: str) -> str:
        return self._sources.get(source_key(doc_id), BUNDLED_LABEL)

    def source_labels(self) -> list[str]:
        """Every source, the bundled collection first (also those without documents)."""
        return [BUNDLED_LABEL, *self._sources.values()]

    # -- content -------------------------------------------------------------------

    def set_entries(self, entries: Iterable[CatalogueEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._rows = {e.id: i for i, e in enumerate(self._entries)}
        self.endResetModel()

    def entries(self) -> list[CatalogueEntry]:
        return list(self._entries)

    def entry(self, doc_id: str) -> CatalogueEntry | None:
        row = self._rows.get(doc_id)
        return None if row is None else self._entries[row]

    def row_of(self, doc_id: str) -> int:
        return self._rows.get(doc_id, -1)

    def set_reading(self, last_read: Mapping[str, float], progress: Mapping[str, float]) -> None:
        """When each document was last read and how far (0–1)."""
        self._last_read = dict(last_read)
        self._progress = dict(progress)
        if self._entries:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._entries) - 1, self.LAST_READ)
            )

    def set_thumbnail_source(self, source: Callable[[str], QPixmap | None]) -> None:
        self._thumbnail = source

    def thumbnail_changed(self, doc_id: str) -> None:
        row = self._rows.get(doc_id)
        if row is not None:
            index = self.index(row, self.TITLE)
            self.dataChanged.emit(index, index, [ThumbnailRole])

    # -- QAbstractItemModel ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            return entry.summary
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.PAGES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == EntryRole:
            return entry
        if role == DocIdRole:
            return entry.id
        if role == KindRole:
            return entry.kind
        if role == SortRole:
            return self._sort_key(entry, column)
        if role == LastReadRole:
            return self._last_read.get(entry.id)
        if role == ProgressRole:
            return self._progress.get(entry.id)
        if role == ThumbnailRole:
            return self._thumbnail(entry.id)
        return None

    def _display(self, entry: CatalogueEntry, column: int) -> str | int:
        if column == self.TITLE:
            return entry.full_title
        if column == self.ORGANISATION:
            return entry.shown_organisation
        if column == self.KIND:
            return kind_label(entry.kind)
        if column == self.PROGRAMME:
            return entry.programme
        if column == self.PAGES:
            return entry.pages
        return describe_last_read(self._last_read.get(entry.id))

    def _sort_key(self, entry: CatalogueEntry, column: int) -> str | int | float:
        if column == self.PAGES:
            return entry.pages
        if column == self.LAST_READ:
            return self._last_read.get(entry.id, 0.0)
        return str(self._display(entry, column)).casefold()


class LibraryFilter(QSortFilterProxyModel):
    """Combines facet filters (one value per facet) with text typed into the filter field."""

    filters_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._facets: dict[str, str] = {}
        self._words: tuple[str, ...] = ()
        self._text = ""
        self.setSortRole(SortRole)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    # -- the filters -------------------------------------------------------------------

    def facet(self, facet: str) -> str | None:
        return self._facets.get(facet)

    def set_facet(self, facet: str, value: str | None) -> None:
        if facet not in FACETS:
            raise KeyError(facet)
        if value == self._facets.get(facet):
            return
        self.beginFilterChange()
        if value:
            self._facets[facet] = value
        else:
            self._facets.pop(facet, None)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self.filters_changed.emit()

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        self._text = text
        if words == self._words:
            return
        self.beginFilterChange()
        self._words = words
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self.filters_changed.emit()

    def filters(self) -> dict[str, str]:
        """The facet filters and the text, as stored in the ``library_filters`` setting."""
        result = dict(self._facets)
        if self._text.strip():
            result["text"] = self._text.strip()
        return result

    def set_filters(self, filters: Mapping[str, object]) -> None:
        facets = {
            k: v for k, v in filters.items() if k in FACETS and isinstance(v, str) and v.strip()
        }
        text = filters.get("text", "")
        self.beginFilterChange()
        self._facets = facets
        self._text = text if isinstance(text, str) else ""
        self._words = tuple(self._text.casefold().split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self.filters_changed.emit()

    def clear(self) -> None:
        self.set_filters({})

    # -- matching ----------------------------------------------------------------------

    def _entries(self) -> list[CatalogueEntry]:
        source = self.sourceModel()
        return source.entries() if isinstance(source, LibraryModel) else []

    def values(self, entry: CatalogueEntry, facet: str) -> tuple[str, ...]:
        if facet == "source":
            model = self.sourceModel()
            return (model.source_label(entry.id),) if isinstance(model, LibraryModel) else ()
        return facet_values(entry, facet)

    def source_labels(self) -> list[str]:
        model = self.sourceModel()
        return model.source_labels() if isinstance(model, LibraryModel) else []

    def matches(self, entry: CatalogueEntry, skip_facet: str | None = None) -> bool:
        for facet, value in self._facets.items():
            if facet != skip_facet and value not in self.values(entry, facet):
                return False
        if self._words:
            haystack = " ".join(
                (
                    entry.full_title,
                    entry.organisation,
                    *entry.organisation_aliases,
                    entry.programme,
                    entry.region,
                    kind_label(entry.kind),
                    entry.summary,
                    " ".join(entry.topics),
                )
            ).casefold()
            return all(word in haystack for word in self._words)
        return True

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        entries = self._entries()
        if source_parent.isValid() or source_row >= len(entries):
            return False
        return self.matches(entries[source_row])

    def facet_counts(self, facet: str) -> list[tuple[str, int]]:
        """Every value of ``facet`` with the number of documents choosing it would show.

        The counts honour all the other filters, so they always add up to what
        the user would see; values are ordered by count, then by name.
        """
        counts: dict[str, int] = dict.fromkeys(self.source_labels(), 0) if facet == "source" else {}
        for entry in self._entries():
            hit = self.matches(entry, skip_facet=facet)
            for value in self.values(entry, facet):
                counts[value] = counts.get(value, 0) + (1 if hit else 0)
        return sorted(counts.items(), key=lambda item: (-item[1], facet_label(facet, item[0])))

    def facet_totals(self, facet: str) -> list[tuple[str, int]]:
        """Every value of ``facet`` with its number of documents in the whole library."""
        counts: dict[str, int] = dict.fromkeys(self.source_labels(), 0) if facet == "source" else {}
        for entry in self._entries():
            for value in self.values(entry, facet):
                counts[value] = counts.get(value, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], facet_label(facet, item[0])))
