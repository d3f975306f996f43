"""One document's tab, and where a new tab goes in the row.

A :class:`DocumentTab` holds the document's :class:`DocumentView` once the tab
is first shown; :class:`~ecip_reader.ui.reader.tabs.DocumentTabs` places it.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ecip_reader.library.catalogue import CatalogueEntry

if TYPE_CHECKING:
    from ecip_reader.ui.reader.view import DocumentView

TAB_TITLE_CHARS = 30

HIT_TAB_TIP = (
    "Opened from the search results: the next hit in another document opens here. "
    "Double-click the tab to keep it open."
)


class Placement(Enum):
    """Where a document that has no tab yet gets one."""

    AT_END = "end"  # the end of the row
    BESIDE_CURRENT = "beside"  # right after the current tab (a link followed)
    FOR_HIT = "hit"  # in place of the previous search hit's tab, unless it was kept


def short_title(title: str) -> str:
    return title if len(title) <= TAB_TITLE_CHARS else title[: TAB_TITLE_CHARS - 1].rstrip() + "…"


class DocumentTab(QWidget):
    """Holds one document's view, made when the tab is first shown."""

    def __init__(self, entry: CatalogueEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.doc_id = entry.id
        self.view: DocumentView | None = None
        self.setAccessibleName(entry.title)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        # what to show once the view exists: a page with words to highlight, or None for
        # "where the reader left it"
        self.pending: tuple[int, tuple[str, ...]] | None = None

    def attach(self, view: DocumentView) -> None:
        self.view = view
        view.setParent(self)
        self._layout.addWidget(view)
        # Give the view its real size before it is told where to go: a page placed
        # at one width and then re-fitted to another would not be where it was asked.
        view.setGeometry(self.rect())
