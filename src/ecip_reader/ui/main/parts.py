"""The parts of the main window that its helpers work with, as one small protocol.

:class:`~ecip_reader.ui.main.window.MainWindow` satisfies :class:`WindowParts`;
the helpers it builds (:mod:`.sources`, :mod:`.reading`) are typed against this
protocol, so they never import the window module.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStatusBar

from ecip_reader.library.catalogue import CatalogueEntry
from ecip_reader.ui.library.model import LibraryFilter, LibraryModel
from ecip_reader.ui.library.view import LibraryPage
from ecip_reader.ui.main.keeping import SettingsKeeper
from ecip_reader.ui.main.storage import StorageWatch
from ecip_reader.ui.reader.tabs import DocumentTabs
from ecip_reader.ui.search.dock import SearchDock
from ecip_reader.ui.search.panel import SearchPanel
from ecip_reader.ui.services import Services
from ecip_reader.ui.status import MessageBar, WorkIndicator
from ecip_reader.ui.theme import ThemeController


class WindowParts(Protocol):
    services: Services
    action_map: dict[str, QAction]
    library_model: LibraryModel
    library: LibraryPage
    library_filter: LibraryFilter
    message_bar: MessageBar
    work: WorkIndicator
    storage: StorageWatch
    tabs: DocumentTabs
    search_dock: SearchDock
    search_panel: SearchPanel
    theme: ThemeController
    keeper: SettingsKeeper

    def entry(self, doc_id: str) -> CatalogueEntry | None: ...

    def statusBar(self) -> QStatusBar: ...

    def setWindowTitle(self, title: str) -> None: ...

    def open_document(
        self, doc_id: str, page: int | None = None, terms: Sequence[str] = ()
    ) -> None: ...

    def library_entry_at(self, path: Path) -> CatalogueEntry | None: ...
