"""The note and bookmark editors of the annotation controller, and the drafts they keep.

Each editor hands its text to a save function that returns ``None`` when the
text was saved, else the sentence saying why not (a full disk, a read-only
folder). Then the editor stays open with the text, and if it is closed anyway
the text is kept as a draft that the next editor of the same note, selected
text, page or bookmark starts from. Drafts live in memory: they are there for
exactly the time the disk cannot take them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtWidgets import QWidget

from ecip_reader.ui.notes.editor import BookmarkDialog, NoteDialog
from ecip_reader.ui.notes.overlay import AnnotationOverlay
from ecip_reader.ui.reader.view import DocumentView
from ecip_reader.userdata import Annotation, AnnotationKind, Annotator, DocumentRef, UserDataStore

T = TypeVar("T")

STICKY_MARGIN = (36.0, 36.0)  # where a note pinned from the keyboard lands on the page

DraftKey = tuple[object, ...]


class _Current(Protocol):
    view: DocumentView
    document: DocumentRef
    overlay: AnnotationOverlay


class NoteEditors:
    """Mixed into the controller: opens the editors and keeps unsaved text as drafts."""

    store: UserDataStore
    annotator: Annotator
    colour_key: str
    last_failure: str | None
    dialog: NoteDialog | BookmarkDialog | None
    _drafts: dict[DraftKey, str]
    _current: _Current | None  # the document view the editors work on

    def _attempt(self, work: Callable[[], T]) -> tuple[T | None, str | None]:
        raise NotImplementedError

    def _tell(self, text: str) -> None:
        """Say what was just done, in the status bar (it fades)."""
        raise NotImplementedError

    def mark(self, kind: AnnotationKind, note: str = "") -> Annotation | None:
        raise NotImplementedError

    def _saver(
        self, key: DraftKey, work: Callable[[str], str | None]
    ) -> Callable[[str], str | None]:
        """Wrap a dialog's save: keep the text as a draft of ``key`` while it is unsaved."""

        def save(text: str) -> str | None:
            failed = work(text)
            if failed:
                self._drafts[key] = text
            else:
                self._drafts.pop(key, None)
            return failed

        return save

    def draft(self, key: DraftKey, text: str) -> str:
        """The unsaved text kept for ``key``, else ``text``."""
        return self._drafts.get(key, text)

    def edit_note(self) -> None:
        """Edit the selected note; or note the selected text; or pin a note on the page."""
        current = self._current
        if current is None or not self.store.writable:
            return
        chosen = current.overlay.selected()
        if chosen is not None:
            if chosen.is_own:
                self._open_note_editor(chosen)
            return
        selection = current.view.selection()
        if selection is not None:
            key = ("text", current.document.hash, selection.page, selection.text)

            def save(text: str) -> str | None:
                made = self.mark(AnnotationKind.HIGHLIGHT, text)
                return self.last_failure if made is None else None

            title = "Note on the Selected Text"
            parent = current.view.window()
            text = self.draft(key, "")
            self._open(NoteDialog(title, text, self._saver(key, save), selection.text, parent))
            return
        self.add_sticky_note(current.view.current_page(), STICKY_MARGIN)

    def _open_note_editor(self, annotation: Annotation) -> None:
        key = ("note", annotation.uuid)

        def save(text: str) -> str | None:
            if text == annotation.note:
                return None
            return self._attempt(lambda: self.annotator.set_note(annotation.uuid, text))[1]

        title = "Edit Note" if annotation.note else "Add Note"
        parent = self._current.view.window() if self._current else None
        text = self.draft(key, annotation.note)
        self._open(NoteDialog(title, text, self._saver(key, save), annotation.quote, parent))

    def add_sticky_note(self, page: int, point: tuple[float, float]) -> None:
        """Ask for the text of a note pinned at ``point`` (PDF points) of ``page``."""
        current = self._current
        if current is None or not self.store.writable:
            return
        key = ("sticky", current.document.hash, page)

        def save(text: str) -> str | None:
            if not text.strip():
                return None
            made, failed = self._attempt(
                lambda: self.annotator.add_sticky_note(
                    current.document, page, point, text, self.colour_key
                )
            )
            if made is not None:
                current.overlay.select(made.uuid)
            return failed

        text = self.draft(key, "")
        self._open(
            NoteDialog("Add Note Here", text, self._saver(key, save), parent=current.view.window())
        )

    def _open(self, dialog: NoteDialog | BookmarkDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: QWidget) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def bookmark_current_page(self) -> None:
        current = self._current
        if current is None or not self.store.writable:
            return
        page = current.view.current_page()
        key = ("bookmark", current.document.hash, page)

        def save(label: str) -> str | None:
            work = lambda: self.annotator.add_bookmark(current.document, page, label)  # noqa: E731
            made, failed = self._attempt(work)
            if made is not None:
                self._tell(f"Bookmarked page {page}: “{made.label}”. Ctrl+Z takes it back.")
            return failed

        label = self.draft(key, f"Page {page}")
        title = f"Bookmark Page {page}"
        self._open(BookmarkDialog(title, label, self._saver(key, save), current.view.window()))
