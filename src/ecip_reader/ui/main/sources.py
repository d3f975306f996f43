"""The library's other sources in the window: organisation folders and My documents.

:class:`SourcesController` puts the documents of every source into the library
model (with a "Source" filter), answers File → Add PDFs to Library…, Add
Folder… and Open PDF File…, and prepares the search of each source in the
background. A folder that cannot be reached is shown as "not reachable now";
a file that cannot be indexed gives one sentence in the message bar.

Adding reads and hashes every file, so it runs through the window's task
runner ("Adding 12 PDFs…" in the status bar); the policy is still checked at
once, and the result is applied back on the GUI thread.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from ecip_reader.errors import UserError
from ecip_reader.fileio import shown_name
from ecip_reader.library.catalogue import CatalogueEntry
from ecip_reader.library.folders import BUNDLED, ensure_import_allowed, library_folders
from ecip_reader.library.my_documents import SOURCE_KEY, AddResult, Progress, UserLibrary
from ecip_reader.library.sources import (
    MINE_LABEL,
    UNREACHABLE,
    Source,
    folder_entries,
    folder_source,
    link_folder,
    mine_document,
    mine_entries,
    mine_rel,
    qualify,
    source_key,
    sync_links,
)
from ecip_reader.paths import bundled_library_dir
from ecip_reader.search.other_sources import SourceSearches
from ecip_reader.ui.locks import lock_action
from ecip_reader.ui.main.parts import WindowParts
from ecip_reader.writable import DATA

if TYPE_CHECKING:
    from ecip_reader.userdata.reading_history import ReadingHistory

log = logging.getLogger(__name__)

IMPORT_ACTIONS = ("add_pdfs", "add_folder", "open_pdf_file")
MAX_HISTORY = 100_000


def adding_text(count: int | None) -> str:
    """What the status bar says while PDFs are being added."""
    if count is None:
        return "Adding PDFs…"
    return f"Adding {count} PDF{'s' if count != 1 else ''}…"


class SourcesController(QObject):
    """Keeps the library model, the actions and the search of the extra sources in step."""

    progress = Signal(int, int)  # files indexed, files in all (from a worker thread)
    indexed = Signal(str)  # source key whose search is ready
    added = Signal(object)  # the AddResult of an add once applied, or None when it failed
    _add_progress = Signal(str, int, int)  # work key, files looked at, files (worker thread)

    def __init__(
        self, window: WindowParts, parent: QWidget, searches: SourceSearches | None = None
    ) -> None:
        super().__init__(parent)
        self._dialog_parent = parent
        self.window = window
        services = window.services
        self.settings = services.settings
        self.paths = services.paths
        self.tasks = services.tasks
        self.searches = searches if searches is not None else SourceSearches()
        self.library = UserLibrary.for_paths(self.paths)
        self.sources: list[Source] = []
        self._extra_entries: list[CatalogueEntry] = []
        self._just_added: set[str] = set()
        self._add_ids = itertools.count(1)
        self._adds: set[str] = set()  # work keys of the adds still running
        self._add_progress.connect(self._show_add_progress)
        if self.library.load_error:
            window.message_bar.show_message(self.library.load_error)
        self.progress.connect(
            lambda done, total: window.work.update_work("sources", "Indexing", done, total)
        )
        a = window.action_map
        a["add_pdfs"].triggered.connect(self.choose_files)
        a["add_folder"].triggered.connect(self.choose_folder)
        a["open_pdf_file"].triggered.connect(self.choose_and_open)
        a["remove_from_library"].triggered.connect(self.remove_selected)
        window.library.current_changed.connect(lambda _doc_id: self._sync_remove())
        window.library.menu_requested.connect(self._show_menu)
        self._tips = {n: (a[n].toolTip(), a[n].statusTip()) for n in IMPORT_ACTIONS}
        self.refresh_actions()
        window.storage.changed.connect(lambda _role: self.refresh_actions())
        self._show()

    # -- policy and storage ------------------------------------------------------------

    def refresh_actions(self) -> None:
        """Adding PDFs: off when the policy says so, or while the data folder cannot be written."""
        allowed = self.settings.allow_import()
        blocked = self.window.storage.reason(DATA)
        for name in IMPORT_ACTIONS:
            action = self.window.action_map[name]
            if not allowed:
                lock_action(action)
            elif blocked:
                action.setEnabled(False)
                action.setToolTip(blocked)
                action.setStatusTip(blocked)
            else:
                action.setEnabled(True)
                tip, status = self._tips[name]
                action.setToolTip(tip)
                action.setStatusTip(status)

    def reset_stale_filters(self) -> None:
        """Clear a remembered Source filter whose source is gone, and say so."""
        chosen = self.window.library_filter.facet("source")
        labels = self.window.library_model.source_labels()
        if chosen is None or chosen in labels:
            return
        self.window.library_filter.set_facet("source", None)
        why = (
            "is not reachable now"
            if f"{chosen} ({UNREACHABLE})" in labels
            else "is no longer part of the library"
        )
        self.window.message_bar.show_message(
            f"The library filter “Source: {chosen}” was cleared: that source {why}."
        )

    # -- the model ---------------------------------------------------------------------

    def _bundled_entries(self) -> list[CatalogueEntry]:
        catalogue = self.window.services.catalogue
        return list(catalogue) if catalogue is not None else []

    def _show(self) -> None:
        model = self.window.library_model
        labels = {s.key: s.shown_label for s in self.sources}
        labels[SOURCE_KEY] = MINE_LABEL
        model.set_sources(labels)
        model.set_entries(
            [*self._bundled_entries(), *self._extra_entries, *mine_entries(self.library)]
        )
        self._sync_remove()

    def other_ids(self, history: ReadingHistory) -> list[str]:
        """Documents of the other sources in the reading history (kept while they load)."""
        ids = (*history.recent(MAX_HISTORY), *history.open_tabs)
        return [d for d in ids if source_key(d) != BUNDLED]

    def load_folders(self) -> None:
        """Read the organisation's library folders in the background, then index them."""
        folders = library_folders(self.settings, bundled_library_dir())[1:]

        def read() -> tuple[list[Source], list[CatalogueEntry]]:
            sources = [folder_source(f) for f in folders]
            entries = [e for s in sources for e in folder_entries(s)]
            return sources, entries

        def done(result: tuple[list[Source], list[CatalogueEntry]]) -> None:
            self.sources, self._extra_entries = result
            self._show()
            self.reset_stale_filters()
            for source in self.sources:
                if not source.reachable:
                    self.window.message_bar.show_message(
                        f"The library folder {source.root} is not reachable now."
                    )
            self.index_all()

        self.tasks.run(read, on_success=done)

    # -- search of the sources ---------------------------------------------------------

    def index_all(self) -> None:
        """Prepare the search of every reachable folder and of My documents, one by one."""
        sources = [s for s in self.sources if s.reachable and s.root is not None]
        self._index(sources, mine=True)

    def _index(self, sources: list[Source], mine: bool) -> None:
        from ecip_reader.search.service import SearchService, folder_index_dir, service_for
        from ecip_reader.search.trust import trusted_folders

        paths, library, searches = self.paths, self.library, self.searches

        def relay(done: int, total: int) -> None:
            self.progress.emit(done, total)

        def work() -> list[tuple[str, str]]:
            skipped: list[tuple[str, str]] = []
            trusted = trusted_folders(paths) if sources else []
            for source in sources:
                assert source.root is not None
                try:
                    service = service_for(paths, source.root, trusted)
                    if service.status() != "ready":
                        service.prepare(progress=relay)
                except UserError as exc:
                    log.warning("library folder %s not indexed: %s", source.root, exc)
                    continue
                searches.put(source.key, service)
            if mine and library.documents():
                links = link_folder(paths)
                sync_links(library, links)
                service = SearchService(folder_index_dir(paths, links), links, None)
                report = service.prepare(progress=relay)
                searches.put(SOURCE_KEY, service)
                if report is not None:
                    skipped = [(qualify(SOURCE_KEY, rel), why) for rel, why in report.skipped]
            return skipped

        self.window.work.update_work("sources", "Indexing", 0, 0)
        self.tasks.run(work, on_success=self._indexed, on_failure=self._index_failed)

    def _indexed(self, skipped: list[tuple[str, str]]) -> None:
        self.window.work.finish("sources")
        for doc_id, reason in skipped:
            if doc_id in self._just_added and self.window.entry(doc_id) is not None:
                self.window.message_bar.show_message(reason)
        self._just_added.clear()
        self.indexed.emit(SOURCE_KEY)

    def _index_failed(self, exc: BaseException) -> None:
        self.window.work.finish("sources")
        self._just_added.clear()
        self.tasks.report(exc)

    # -- adding ------------------------------------------------------------------------

    def _adding(
        self,
        add: Callable[[Progress], AddResult],
        count: int | None,
        then: Callable[[AddResult], None] | None = None,
    ) -> bool:
        """Start ``add`` in the background; ``False`` when the policy refuses at once."""
        try:
            ensure_import_allowed(self.settings)
        except UserError as exc:
            self.window.message_bar.show_message(str(exc))
            return False
        key = f"adding-{next(self._add_ids)}"
        self._adds.add(key)
        self.window.work.update_work(key, adding_text(count))

        def progress(done: int, total: int) -> None:
            self._add_progress.emit(key, done, total)

        def succeeded(result: AddResult) -> None:
            self._end_add(key)
            self._apply(result, announce=then is None)  # an opened file's tab speaks for it
            if then is not None:
                then(result)
            self.added.emit(result)

        def failed(exc: BaseException) -> None:
            self._end_add(key)
            if isinstance(exc, UserError):
                self.window.message_bar.show_message(str(exc))
            else:
                self.tasks.report(exc)
            self.added.emit(None)

        self.tasks.run(lambda: add(progress), on_success=succeeded, on_failure=failed)
        return True

    @Slot(str, int, int)
    def _show_add_progress(self, key: str, done: int, total: int) -> None:
        if key in self._adds:
            self.window.work.update_work(key, adding_text(total), done, total)

    def _end_add(self, key: str) -> None:
        self._adds.discard(key)
        self.window.work.finish(key)

    def _apply(self, result: AddResult, announce: bool = True) -> None:
        for problem in result.problems:
            self.window.message_bar.show_message(problem)
        if announce:  # say why an added file cannot be searched, once it is indexed
            self._just_added.update(
                qualify(SOURCE_KEY, mine_rel(d.key, d.path.name)) for d in result.added
            )
        self._show()
        if result.added:
            self._index([], mine=True)

    def add_files(self, files: list[Path]) -> bool:
        """Add ``files`` to My documents in the background (``added`` tells when done);
        ``False`` when the policy refuses, said at once in the message bar."""
        library, settings = self.library, self.settings
        files = list(files)
        return self._adding(
            lambda progress: library.add_files(files, settings, progress=progress), len(files)
        )

    def add_folder(self, folder: Path) -> bool:
        """Add the folder and every PDF in it, as :meth:`add_files` does."""
        library, settings = self.library, self.settings
        return self._adding(
            lambda progress: library.add_folder(folder, settings, progress=progress), None
        )

    def open_file(self, path: Path) -> None:
        """Open ``path`` in a tab: a library document as itself, any other PDF
        through My documents (where it is kept), once it has been added."""
        path = Path(path).expanduser().absolute()
        known = self.window.library_entry_at(path)
        if known is not None:
            self.window.open_document(known.id)
            return

        def open_added(result: AddResult) -> None:
            if result.problems:
                return
            doc = next((d for d in self.library.documents() if d.path == path), None)
            if doc is not None:
                doc_id = qualify(SOURCE_KEY, mine_rel(doc.key, doc.path.name))
                self.window.open_document(doc_id)
                if doc in result.added:
                    self._keep_only_if_it_opens(doc_id, doc.path)

        library, settings = self.library, self.settings
        self._adding(
            lambda progress: library.add_files([path], settings, progress=progress), 1, open_added
        )

    def _keep_only_if_it_opens(self, doc_id: str, path: Path) -> None:
        """Take a file just added by opening it back out of My documents if it cannot be shown."""
        tab = self.window.tabs.tab_of(doc_id)
        view = tab.view if tab is not None else None
        if view is None:
            return

        def failed(_sentence: str) -> None:
            view.failed.disconnect(failed)
            if view.page_count() == 0:  # it never opened (a later fault is no reason)
                self.library.remove(path)
                self._show()

        view.failed.connect(failed)

    # -- removing ----------------------------------------------------------------------

    def _sync_remove(self) -> None:
        action = self.window.action_map["remove_from_library"]
        action.setEnabled(
            mine_document(self.library, self.window.library.selected_id()) is not None
        )

    def remove_selected(self, _checked: Any = False) -> None:
        """File → Remove from My Documents, on the document chosen in the library."""
        self.remove(self.window.library.selected_id())

    def remove(self, doc_id: str | None) -> None:
        """Take a document of your own out of the library; the file is not touched."""
        doc = mine_document(self.library, doc_id)
        if doc is None:
            return
        try:
            self.library.remove(doc.path)
        except UserError as exc:
            self.window.message_bar.show_message(str(exc))
            return
        self._show()
        self._index([], mine=True)
        name = shown_name(doc.path)
        self.window.message_bar.show_message(
            f"{name} was taken out of My documents; the file itself was not touched."
        )

    def context_menu(self, doc_id: str) -> QMenu:
        """The library's menu for ``doc_id``: Open, and for a file of your own, Remove."""
        menu = QMenu(self._dialog_parent)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction("&Open", lambda: self.window.open_document(doc_id))
        if mine_document(self.library, doc_id) is not None:
            menu.addSeparator()
            menu.addAction(self.window.action_map["remove_from_library"])
        return menu

    def _show_menu(self, doc_id: str, where: QPoint) -> None:
        self.context_menu(doc_id).popup(where)

    # -- the dialogs -------------------------------------------------------------------

    def _ask_files(self, title: str) -> list[Path]:
        files, _filter = QFileDialog.getOpenFileNames(
            self._dialog_parent, title, str(Path.home()), "PDF documents (*.pdf);;All files (*)"
        )
        return [Path(f) for f in files]

    def choose_files(self, _checked: Any = False) -> None:
        files = self._ask_files("Add PDFs to Library")
        if files:
            self.add_files(files)

    def choose_folder(self, _checked: Any = False) -> None:
        folder = QFileDialog.getExistingDirectory(
            self._dialog_parent, "Add Folder to Library", str(Path.home())
        )
        if folder:
            self.add_folder(Path(folder))

    def choose_and_open(self, _checked: Any = False) -> None:
        files = self._ask_files("Open PDF File")
        if files:
            self.open_file(files[0])
