"""The reading tools of every document tab, tied to the main window.

:class:`ReadingWiring` connects each new :class:`DocumentView` to the window:
"Search the library for this" fills the main search, a link to another PDF
opens it in a tab, night reading is one choice for every view (kept in the
settings), and Back (Alt+Left) returns across tabs to the document and page
the reader jumped from; Forward (Alt+Right) goes there again. The View menu's
night, margin and rotation entries act on the current tab and follow it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence

from ecip_reader import APP_TITLE
from ecip_reader.errors import UserError
from ecip_reader.library.catalogue import CatalogueEntry
from ecip_reader.settings import NightMode
from ecip_reader.ui.main.actions import Command
from ecip_reader.ui.main.parts import WindowParts
from ecip_reader.ui.reader.options import PRESENTATION_SHORTCUTS, READING_SHORTCUTS
from ecip_reader.ui.reader.tabs import Placement

if TYPE_CHECKING:
    from ecip_reader.ui.reader.view import DocumentView

log = logging.getLogger(__name__)

MAX_JUMPS = 50
STATUS_MS = 6000  # how long "Saved report.pdf: 2 pages …" stays in the status bar
FILE_PREFIX = "file:"


@dataclass(frozen=True)
class Jump:
    """A place the reader left for another document: where Back returns to."""

    entry: CatalogueEntry
    page: int


def shortcut_rows(commands: Sequence[Command]) -> list[tuple[str, str, str]]:
    """Rows for the shortcuts dialog: the page view's own keys, then presentation mode.

    Keys of the page view that are also menu commands are listed once, with the command.
    """
    known = {QKeySequence(k).toString() for c in commands for k in c.shortcuts}
    rows = []
    for keys, what in READING_SHORTCUTS:
        parts = [QKeySequence(k.strip()).toString() for k in keys.split("/")]
        if not all(p and p in known for p in parts):
            rows.append(("Reading", what, keys))
    rows += [("Presentation", what, keys) for keys, what in PRESENTATION_SHORTCUTS]
    return rows


def file_entry(path: Path) -> CatalogueEntry:
    """A stand-in catalogue entry for a PDF outside the library, titled from its file name."""
    absolute = path.absolute()
    return CatalogueEntry(
        id=f"{FILE_PREFIX}{absolute}", title=absolute.stem.replace("_", " "), file=str(absolute)
    )


class ReadingWiring(QObject):
    def __init__(self, window: WindowParts, parent: QObject) -> None:
        super().__init__(parent)
        self.window = window
        self.jumps: list[Jump] = []  # places left for other documents, for Back
        self.ahead: list[Jump] = []  # places Back left, for Forward
        self._entries: dict[str, CatalogueEntry] = {}  # documents opened by path
        window.tabs.view_created.connect(self._view_created)
        window.tabs.current_document_changed.connect(lambda _doc_id: self.sync_actions())
        window.tabs.current_document_changed.connect(self._name_in_title)
        actions = window.action_map
        for mode in NightMode:
            actions[f"night_{mode}"].triggered.connect(
                lambda _c=False, m=mode: self.set_night_mode(m)
            )
        actions["trim_margins"].triggered.connect(self._trim)
        window.search_panel.query_changed.connect(self._query_changed)
        window.search_panel.open_hit.connect(self.open_search_hit)
        window.theme.set_night(self.night_mode() == NightMode.INVERT)
        self.sync_actions()

    # -- night reading --------------------------------------------------------------------

    def night_mode(self) -> NightMode:
        return self.window.services.settings.night_mode()

    def set_night_mode(self, mode: str) -> None:
        """Tone the pages of every open document, and remember the choice."""
        if mode not in tuple(NightMode):
            return
        settings = self.window.services.settings
        if mode != self.night_mode() and not settings.is_locked("night_mode"):
            try:
                settings.update({"night_mode": mode})
            except UserError as exc:
                self.window.message_bar.show_message(str(exc))
        for view in self._views():
            view.set_night_mode(self.night_mode())
        self.window.theme.set_night(self.night_mode() == NightMode.INVERT)
        self.sync_actions()

    def _views(self) -> list[DocumentView]:
        return [t.view for t in self.window.tabs.document_tabs() if t.view is not None]

    # -- views ----------------------------------------------------------------------------

    def _view_created(self, view: DocumentView) -> None:
        view.set_night_mode(self.night_mode())
        view.night_mode_changed.connect(self.set_night_mode)
        view.search_requested.connect(self.search_library)
        view.open_document_requested.connect(self.open_path)
        view.print_tasks = self.window.services.tasks
        view.slides_screen = self.window.services.settings.slides_screen
        view.slides_screen_chosen.connect(self.window.keeper.save_slides_screen)
        view.printed.connect(self._printed)
        view.back_beyond.connect(self.back)
        view.forward_beyond.connect(self.forward)
        trim = getattr(view, "trim_action", None)
        if trim is not None:
            trim.toggled.connect(lambda _on: self.sync_actions())

    def _name_in_title(self, doc_id: str) -> None:
        """ "<document> — ECIP Case-Study Reader" while a document is read."""
        tab = self.window.tabs.current_tab()
        title = f"{tab.entry.title} — {APP_TITLE}" if tab is not None and doc_id else APP_TITLE
        self.window.setWindowTitle(title)

    def _printed(self, ok: bool, message: str) -> None:
        if ok:
            self.window.statusBar().showMessage(message, STATUS_MS)
        else:
            self.window.message_bar.show_message(message)

    def sync_actions(self) -> None:
        actions = self.window.action_map
        actions[f"night_{self.night_mode()}"].setChecked(True)
        view = self.window.tabs.current_view()
        has_view = self.window.tabs.current_tab() is not None
        night_locked = self.window.services.settings.is_locked("night_mode")
        actions["trim_margins"].setEnabled(has_view)
        for mode in NightMode:
            actions[f"night_{mode}"].setEnabled(has_view and not night_locked)
        actions["trim_margins"].setChecked(view is not None and view.trim_margins())

    def _trim(self, on: bool) -> None:
        view = self.window.tabs.current_view()
        if view is not None:
            view.set_trim_margins(on)
        self.sync_actions()

    def _query_changed(self, query: str) -> None:
        """A cleared search takes its marks off every open page."""
        if not query:
            for view in self._views():
                view.clear_search_marks()

    def search_library(self, text: str) -> None:
        """Put ``text`` in the main search field and search for it at once."""
        panel = self.window.search_panel
        panel.set_query(" ".join(text.split()))
        self.window.search_dock.show()
        panel.search_now()

    # -- documents and Back -----------------------------------------------------------------

    def library_entry_at(self, path: Path) -> CatalogueEntry | None:
        """The library's entry whose file is ``path`` itself, if any."""
        catalogue = self.window.services.catalogue
        if catalogue is None:
            return None
        wanted = _resolved(path)
        for entry in self.window.library_model.entries():
            candidate = Path(entry.file)
            if not candidate.is_absolute():
                candidate = catalogue.path_of(entry)
            if candidate.absolute() == wanted or _resolved(candidate) == wanted:
                return entry
        return None

    def entry_for_path(self, path: Path) -> CatalogueEntry:
        """The library's entry for ``path`` (by file name), or a stand-in titled from it."""
        found = self.library_entry_at(path)
        if found is not None:
            return found
        entries = self.window.library_model.entries()
        by_name = [e for e in entries if Path(e.file).name == path.name]
        if by_name:
            return by_name[0]
        made = file_entry(_resolved(path))
        return self._entries.setdefault(made.id, made)

    def known_entry(self, doc_id: str) -> CatalogueEntry | None:
        return self.window.entry(doc_id) or self._entries.get(doc_id)

    def open_search_hit(self, doc_id: str, page: int, terms: Sequence[str] = ()) -> None:
        """Show a search hit; another document's hit reuses the previous hit's tab."""
        entry = self.known_entry(doc_id)
        if entry is None:
            self.window.message_bar.show_message(f"The document {doc_id!r} is not in the library.")
            return
        self.open_entry(entry, page or None, tuple(terms), Placement.FOR_HIT)

    def open_path(self, path: str, page: int) -> None:
        """Open the PDF at ``path`` in a tab at ``page`` (a link to another document)."""
        self.open_entry(self.entry_for_path(Path(path)), page, how=Placement.BESIDE_CURRENT)

    def open_entry(
        self,
        entry: CatalogueEntry,
        page: int | None,
        terms: tuple[str, ...] = (),
        how: Placement = Placement.AT_END,
    ) -> None:
        """Show ``entry`` at ``page``, remembering the place left for Back."""
        if page is not None:
            self.remember_place(entry.id)
        self.window.tabs.open_document(entry, page, terms, how)

    def _here(self) -> Jump | None:
        tab = self.window.tabs.current_tab()
        view = tab.view if tab is not None else None
        if tab is None or view is None:
            return None
        return Jump(tab.entry, view.current_page())

    def remember_place(self, target_id: str) -> None:
        """Before a jump to document ``target_id``: keep the current place for Back."""
        tab = self.window.tabs.current_tab()
        here = self._here()
        if tab is None or here is None:
            return
        if tab.doc_id == target_id:
            if tab.view is not None:
                tab.view.remember_place()  # a jump inside the document: the view's own history
            return
        if not self.jumps or self.jumps[-1] != here:
            self.jumps.append(here)
            del self.jumps[:-MAX_JUMPS]
        self.ahead.clear()  # a new way forward replaces the old one

    def back(self) -> None:
        """Return to the document and page left by the last jump to another document."""
        if self.jumps:
            self._go(self.jumps.pop(), self.ahead)

    def forward(self) -> None:
        """Go again to the document that Back left."""
        if self.ahead:
            self._go(self.ahead.pop(), self.jumps)

    def _go(self, jump: Jump, came_from: list[Jump]) -> None:
        here = self._here()
        if here is not None:
            came_from.append(here)
        tabs = self.window.tabs
        # Going back and forth among search hits stays in the search hits' tab.
        how = Placement.FOR_HIT if tabs.is_hit_tab(tabs.current_tab()) else Placement.AT_END
        tabs.open_document(jump.entry, jump.page, (), how)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a link that leads back to itself
        return path.absolute()
