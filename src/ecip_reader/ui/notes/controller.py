"""Annotating open documents: one controller per main window, wired to each DocumentView.

The controller turns the view's text selection into highlights, underlines and
strike-throughs in the chosen colour, pins sticky notes, edits and deletes the
selected note, bookmarks pages, and undoes and redoes every change through the
core :class:`~ecip_reader.userdata.UndoHistory`. It holds no notes itself: the
store does, and every overlay redraws when the store says something changed.

Typical wiring (the main window does this once)::

    controller = AnnotationController(store, annotator, settings, parent=window)
    menu = controller.build_menu(window.menuBar())
    controller.attach(view, DocumentRef(entry.sha256, entry.id, entry.title))
    controller.set_current_view(view)          # when the tab changes
    controller.problem.connect(window.message_bar.show_message)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QPointF, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from ecip_reader.errors import UserError
from ecip_reader.pdf.reflow_text import ReflowNote
from ecip_reader.settings import Settings
from ecip_reader.ui.notes.colours import ColourChoice
from ecip_reader.ui.notes.commands import ANNOTATE_COMMANDS, WRITES, build_annotate_actions
from ecip_reader.ui.notes.drag import NoteDrag
from ecip_reader.ui.notes.editor import BookmarkDialog, NoteDialog
from ecip_reader.ui.notes.editors import NoteEditors
from ecip_reader.ui.notes.menu import build_context_menu
from ecip_reader.ui.notes.overlay import AnnotationOverlay
from ecip_reader.ui.notes.presenting import NotesLink, read_only_message
from ecip_reader.ui.reader.view import DocumentView
from ecip_reader.userdata import (
    Annotation,
    AnnotationKind,
    Annotator,
    DocumentRef,
    StoreEvent,
    TextAnchor,
    UserDataStore,
)
from ecip_reader.userdata.models import DEFAULT_COLOUR, normalise_text

log = logging.getLogger(__name__)

T = TypeVar("T")
PageMenuExtra = Callable[[QMenu, DocumentRef, int, Annotation | None], None]

STICKY_MARGIN = (36.0, 36.0)  # where a note pinned from the keyboard lands on the page


class StoreRelay(QObject):
    """Brings store and history notifications to the GUI thread (they may come from a worker)."""

    changed = Signal(object)  # StoreEvent
    history_changed = Signal()


@dataclass
class Attached:
    view: DocumentView
    document: DocumentRef
    overlay: AnnotationOverlay
    drag: NoteDrag


class AnnotationController(NoteEditors, QObject):
    problem = Signal(str)  # one sentence for the window's message area
    storage_failed = Signal(str)  # a write failed and writes will keep failing for now
    told = Signal(str)  # one sentence worth knowing (not a problem), for the same place
    notice = Signal(str)  # what was just done, for the status bar (it fades)
    current_document_changed = Signal(object)  # DocumentRef | None
    open_requested = Signal(str, int)  # doc id and page of a document that is not open
    annotation_selected = Signal(object)  # Annotation | None

    def __init__(
        self,
        store: UserDataStore,
        annotator: Annotator,
        settings: Settings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.annotator = annotator
        self.settings = settings
        self.colour_key = DEFAULT_COLOUR
        self._attached: list[Attached] = []
        self._current: Attached | None = None
        self._closed = False
        self.dialog: NoteDialog | BookmarkDialog | None = None  # the editor now open, if any
        self.last_failure: str | None = None  # why the last mark was not saved
        self.menu: QMenu | None = None  # the last context menu shown
        # Other features add entries to a page's menu: (menu, document, page, note clicked).
        self.page_menu_extras: list[PageMenuExtra] = []
        self._relay = StoreRelay(self)
        self._relay.changed.connect(self._store_changed)
        self._relay.history_changed.connect(self.update_actions)
        self._unsubscribe = [
            store.subscribe(self._relay.changed.emit),
            annotator.history.subscribe(self._relay.history_changed.emit),
        ]
        self._actions = build_annotate_actions(None)
        for action in self._actions.values():
            action.setParent(self)
        self._tips = {n: (a.toolTip(), a.statusTip()) for n, a in self._actions.items()}
        # text of editors closed after a failed save, offered again by the next editor
        # of the same note or page
        self._drafts: dict[tuple[object, ...], str] = {}
        self._colours = ColourChoice(self)
        self._colours.chosen.connect(self.set_colour)
        self._connect_actions()
        self._colours.rebuild(store.palette(), self.colour_key)
        self.update_actions()

    # -- set-up -----------------------------------------------------------------------

    def _connect_actions(self) -> None:
        a = self._actions
        a["highlight"].triggered.connect(lambda: self.mark(AnnotationKind.HIGHLIGHT))
        a["underline"].triggered.connect(lambda: self.mark(AnnotationKind.UNDERLINE))
        a["strike"].triggered.connect(lambda: self.mark(AnnotationKind.STRIKE_THROUGH))
        a["note"].triggered.connect(self.edit_note)
        a["delete"].triggered.connect(self.delete_selected)
        a["undo"].triggered.connect(self.undo)
        a["redo"].triggered.connect(self.redo)
        a["bookmark"].triggered.connect(self.bookmark_current_page)

    def close(self) -> None:
        """Stop listening to the store and the views (the store may close next)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        self._closed = True
        self._attached.clear()
        self._current = None

    @property
    def writable(self) -> bool:
        return self.store.writable

    def action(self, name: str) -> QAction:
        return self._actions[name]

    def actions(self) -> list[QAction]:
        """Every Annotate action, in menu order."""
        return [self._actions[c.name] for c in ANNOTATE_COMMANDS]

    def colour_actions(self) -> list[QAction]:
        return self._colours.actions()

    def build_menu(self, parent: QWidget | None = None) -> QMenu:
        """The Annotate menu: marking, colours, notes, undo, bookmarks, panels and dialogs."""
        menu = QMenu("&Annotate", parent)
        for command in ANNOTATE_COMMANDS:
            if command.separator_before:
                menu.addSeparator()
            menu.addAction(self._actions[command.name])
            if command.name == "strike":
                menu.addMenu(self._colours.menu)
        return menu

    def install_shortcuts(self, widget: QWidget) -> None:
        """Make the shortcuts work inside ``widget``'s window (the menu bar does it too)."""
        widget.addActions(self.actions())

    # -- documents ----------------------------------------------------------------------

    def attach(self, view: DocumentView, document: DocumentRef) -> AnnotationOverlay:
        """Draw ``document``'s notes in ``view`` and let the user annotate it."""
        overlay = AnnotationOverlay(self.store, document.hash, view.canvas(), self)
        entry = Attached(view, document, overlay, NoteDrag(overlay))
        self._attached.append(entry)
        entry.drag.moved.connect(self.move_sticky_note)
        view.presentation_started.connect(
            lambda window, e=entry: self._presentation_started(e, window)
        )
        view.selection_changed.connect(lambda _s: self.update_actions())
        view.page_clicked.connect(lambda page, point, e=entry: self._clicked(e, page, point))
        view.page_context_menu.connect(
            lambda page, point, pos, e=entry: self._context_menu(e, page, point, pos)
        )
        overlay.selection_changed.connect(self._overlay_selection)
        view.destroyed.connect(lambda _o=None, e=entry: self._forget(e))
        self._show_in_reflow(entry)
        self.install_shortcuts(view)
        if self._current is None:
            self.set_current_view(view)
        return overlay

    def detach(self, view: DocumentView) -> None:
        entry = self._entry(view)
        if entry is not None:
            self._forget(entry)

    def _forget(self, entry: Attached) -> None:
        if self._closed:
            return
        if entry in self._attached:
            self._attached.remove(entry)
        if self._current is entry:
            self._current = None
            self.current_document_changed.emit(None)
            self.update_actions()

    def _entry(self, view: DocumentView | None) -> Attached | None:
        return next((e for e in self._attached if e.view is view), None)

    def set_current_view(self, view: DocumentView | None) -> None:
        """The view the actions work on (None while the library is shown)."""
        entry = self._entry(view)
        if entry is self._current:
            return
        self._current = entry
        self.current_document_changed.emit(entry.document if entry else None)
        self.update_actions()

    def current_document(self) -> DocumentRef | None:
        return self._current.document if self._current else None

    def overlay(self, view: DocumentView | None = None) -> AnnotationOverlay | None:
        entry = self._entry(view) if view is not None else self._current
        return entry.overlay if entry else None

    # -- state of the actions ---------------------------------------------------------------

    def update_actions(self) -> None:
        if self._closed:
            return
        a = self._actions
        writable = self.store.writable
        current = self._current
        selection = current.view.selection() if current else None
        chosen = current.overlay.selected() if current else None
        own = chosen is not None and chosen.is_own
        for name in ("highlight", "underline", "strike"):
            a[name].setEnabled(writable and selection is not None)
        a["note"].setEnabled(writable and current is not None and (chosen is None or own))
        a["delete"].setEnabled(writable and own)
        a["bookmark"].setEnabled(writable and current is not None)
        history = self.annotator.history
        a["undo"].setEnabled(writable and history.can_undo)
        a["redo"].setEnabled(writable and history.can_redo)
        a["undo"].setText(f"&Undo {history.undo_label}" if history.undo_label else "&Undo")
        a["redo"].setText(f"&Redo {history.redo_label}" if history.redo_label else "&Redo")
        reason = self.store.not_writable_reason
        for name in WRITES:
            tip, status = self._tips[name]
            a[name].setToolTip(read_only_message(reason) if reason else tip)
            a[name].setStatusTip(read_only_message(reason) if reason else status)
        self._colours.menu.setEnabled(writable)

    def _write(self, work: Callable[[], T]) -> T | None:
        """Run one change; a storage problem becomes one sentence and nothing is lost."""
        return self._attempt(work)[0]

    def _attempt(self, work: Callable[[], T]) -> tuple[T | None, str | None]:
        """Run one change: its result, or the sentence saying why nothing was saved."""
        try:
            return work(), None
        except UserError as exc:
            if self.store.writable:
                self.problem.emit(str(exc))
            else:  # writes will keep failing: the window switches them off until they work
                self.storage_failed.emit(str(exc))
                self.update_actions()
            return None, str(exc)
        except KeyError:
            log.info("the note changed before the action reached it")
        return None, None

    # -- colours ------------------------------------------------------------------------

    def set_colour(self, key: str) -> None:
        """Use ``key`` for new marks, and give it to the selected note."""
        self.colour_key = key
        self._colours.check(key)
        chosen = self._current.overlay.selected() if self._current else None
        if chosen is not None and chosen.is_own and chosen.colour != key:
            self._write(lambda: self.annotator.set_colour(chosen.uuid, key))

    # -- marking and notes ---------------------------------------------------------------

    def mark(self, kind: AnnotationKind, note: str = "") -> Annotation | None:
        """Mark the current view's selected text; the selection is cleared afterwards."""
        current = self._current
        selection = current.view.selection() if current else None
        if current is None or selection is None or self.store.read_only:
            return None
        anchor = TextAnchor(
            normalise_text(selection.text),
            normalise_text(selection.before),
            normalise_text(selection.after),
        )
        if not anchor.quote or not selection.quads:
            return None
        made, failed = self._attempt(
            lambda: self.annotator.add_markup(
                current.document,
                selection.page,
                kind,
                list(selection.quads),
                anchor,
                self.colour_key,
                note,
            )
        )
        self.last_failure = failed
        if made is not None:
            current.view.clear_selection()
            # The new mark is the selected note: Ctrl+Shift+N writes on it, Delete removes it.
            current.overlay.select(made.uuid)
        self.update_actions()
        return made

    def move_sticky_note(self, uuid: str, x: float, y: float) -> None:
        """Save a sticky note's new place (PDF points of its page) as an undoable move."""
        if not self.store.read_only:
            self._write(lambda: self.annotator.move_sticky_note(uuid, (x, y)))

    def presentation_link(self, default: DocumentRef | None = None) -> NotesLink:
        """What a presentation needs of the notes (see :class:`NotesLink`)."""
        return NotesLink(self.store, self.annotator, default, self.told.emit)

    def _presentation_started(self, entry: Attached, window: Any) -> None:
        from ecip_reader.ui.present.window import PresentationWindow

        if isinstance(window, PresentationWindow):
            window.doc_key = entry.document.hash
            window.attach_link(self.presentation_link(entry.document))

    def delete_selected(self) -> None:
        chosen = self._current.overlay.selected() if self._current else None
        if chosen is not None and chosen.is_own and not self.store.read_only:
            self._write(lambda: self.annotator.delete(chosen.uuid))

    # -- undo and bookmarks ---------------------------------------------------------------

    def undo(self) -> None:
        if not self.store.read_only:
            self._write(self.annotator.history.undo)

    def redo(self) -> None:
        if not self.store.read_only:
            self._write(self.annotator.history.redo)

    def _tell(self, text: str) -> None:
        self.notice.emit(text)

    # -- going to notes -----------------------------------------------------------------------

    def go_to(self, doc_hash: str, page: int, uuid: str | None = None, doc_id: str = "") -> None:
        """Show ``page`` of the document (selecting the note ``uuid``), opening it if needed."""
        entry = next((e for e in self._attached if e.document.hash == doc_hash), None)
        if self._current is not None and self._current.document.hash == doc_hash:
            entry = self._current
        if entry is None:
            document = self.store.document(doc_hash)
            wanted = doc_id or (document.doc_id if document else "")
            if wanted:
                self.open_requested.emit(wanted, page)
            return
        entry.view.go_to_page(page)
        if uuid is not None:
            entry.overlay.select(uuid)

    # -- reactions ------------------------------------------------------------------------------

    def _store_changed(self, event: object) -> None:
        if not isinstance(event, StoreEvent):
            return
        if event.palette or event.reset:
            self._colours.rebuild(self.store.palette(), self.colour_key)
        everything = event.reset or event.layers or event.palette
        for entry in self._attached:
            if everything or entry.document.hash in event.doc_hashes:
                entry.overlay.reload()
                self._show_in_reflow(entry)
        self.update_actions()

    def _show_in_reflow(self, entry: Attached) -> None:
        """Give the view's reflowed text the document's notes, in their colours."""
        colours = {c.key: c.rgb for c in self.store.palette()}
        entry.view.set_reflow_notes(
            [
                ReflowNote(a.page, a.quote, a.note, colours.get(a.colour, "#ffd54f"))
                for a in self.store.annotations(entry.document.hash)
                if a.quote or a.note
            ]
        )

    def _overlay_selection(self, annotation: object) -> None:
        self.update_actions()
        self.annotation_selected.emit(annotation)

    def _clicked(self, entry: Attached, page: int, point: Any) -> None:
        if not isinstance(point, QPointF):
            return
        found = entry.overlay.annotation_at(page, point.x(), point.y())
        entry.overlay.select(found.uuid if found else None)

    def _context_menu(self, entry: Attached, page: int, point: Any, global_pos: Any) -> None:
        if not isinstance(point, QPointF):
            return
        if self._current is not entry:
            self.set_current_view(entry.view)
        menu = build_context_menu(self, entry.view, entry.overlay, page, (point.x(), point.y()))
        for extra in self.page_menu_extras:
            extra(menu, entry.document, page, entry.overlay.selected())
        self.menu = menu
        menu.popup(global_pos)
