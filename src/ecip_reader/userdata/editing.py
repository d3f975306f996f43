"""Undoable editing of annotations, bookmarks, colour names and layers.

:class:`Annotator` is what the UI calls when the user highlights a passage,
writes a note, picks a colour, bookmarks a page or deletes something. Each
method builds one :class:`~ecip_reader.userdata.undo.Change`, pushes it on
the :class:`~ecip_reader.userdata.undo.UndoHistory` (which saves it at once) and
returns the saved value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from ecip_reader.errors import UserError
from ecip_reader.userdata import ops
from ecip_reader.userdata.ink import InkError, clean_ink, clean_width
from ecip_reader.userdata.models import (
    DEFAULT_COLOUR,
    Annotation,
    AnnotationKind,
    Bookmark,
    DocumentRef,
    Point,
    Quad,
    TextAnchor,
    new_uuid,
    now_iso,
    rounded_point,
)
from ecip_reader.userdata.store import UserDataStore
from ecip_reader.userdata.undo import Change, UndoHistory

MAX_NOTE_CHARS = 100_000
MAX_LABEL_CHARS = 200

_KIND_LABEL = {
    AnnotationKind.HIGHLIGHT: "highlight",
    AnnotationKind.UNDERLINE: "underline",
    AnnotationKind.STRIKE_THROUGH: "strike-through",
    AnnotationKind.STICKY_NOTE: "sticky note",
    AnnotationKind.INK: "drawing",
}


def clean_note(note: str) -> str:
    """Plain text with ``\\n`` line breaks; refuses notes longer than :data:`MAX_NOTE_CHARS`."""
    text = note.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_NOTE_CHARS:
        raise UserError(f"A note can hold at most {MAX_NOTE_CHARS:,} characters.")
    return text


def _clean_label(label: str) -> str:
    text = " ".join(label.split())
    if len(text) > MAX_LABEL_CHARS:
        raise UserError(f"A name can hold at most {MAX_LABEL_CHARS} characters.")
    return text


def _as_quad(value: Quad | Sequence[float]) -> Quad:
    numbers = [float(v) for v in value]
    if len(numbers) == 4:
        return Quad.from_rect(*numbers).rounded()
    if len(numbers) == 8:
        return Quad(*numbers).rounded()
    raise ValueError(f"a quad has 8 numbers and a rect 4, not {len(numbers)}")


class Annotator:
    """The undoable actions on one store, made in the name of ``author``."""

    def __init__(
        self, store: UserDataStore, author: str, history: UndoHistory | None = None
    ) -> None:
        self.store = store
        self.author = author  # Settings.author_name(); the UI may change it
        self.history = history if history is not None else UndoHistory(store)

    def _push(self, label: str, do: Sequence[ops.Op], undo: Sequence[ops.Op]) -> None:
        self.history.push(Change(label, tuple(do), tuple(undo)))

    def _check_colour(self, colour: str) -> None:
        self.store.colour(colour)  # KeyError for a colour that is not in the palette

    def _existing(self, uuid: str) -> Annotation:
        found = self.store.annotation(uuid)
        if found is None:
            raise KeyError(uuid)
        return found

    def _existing_bookmark(self, uuid: str) -> Bookmark:
        found = self.store.bookmark(uuid)
        if found is None:
            raise KeyError(uuid)
        return found

    def _add(self, document: DocumentRef, annotation: Annotation) -> Annotation:
        self._push(
            f"Add {_KIND_LABEL[annotation.kind]}",
            [ops.PutDocument(document), ops.PutAnnotation(annotation)],
            [ops.DeleteAnnotation(annotation.uuid)],
        )
        return annotation

    # -- annotations ----------------------------------------------------------

    def add_markup(
        self,
        document: DocumentRef,
        page: int,
        kind: AnnotationKind,
        quads: Sequence[Quad | Sequence[float]],
        anchor: TextAnchor,
        colour: str = DEFAULT_COLOUR,
        note: str = "",
    ) -> Annotation:
        """A highlight, underline or strike-through over a text selection.

        ``quads`` are :class:`Quad` values or ``(x0, y0, x1, y1)`` rects in PDF points.
        """
        if not kind.is_markup:
            raise ValueError("use add_sticky_note for sticky notes and add_ink for drawings")
        if page < 1 or not quads or not anchor.quote:
            raise ValueError("a markup needs a page from 1, at least one quad and a quote")
        self._check_colour(colour)
        stamp = now_iso()
        annotation = Annotation(
            uuid=new_uuid(),
            doc_hash=document.hash,
            page=page,
            kind=kind,
            colour=colour,
            author=self.author,
            created=stamp,
            modified=stamp,
            quads=tuple(_as_quad(q) for q in quads),
            anchor=anchor,
            note=clean_note(note),
        )
        return self._add(document, annotation)

    def add_sticky_note(
        self,
        document: DocumentRef,
        page: int,
        point: Point,
        note: str,
        colour: str = DEFAULT_COLOUR,
    ) -> Annotation:
        """A note pinned anywhere on a page."""
        if page < 1:
            raise ValueError("pages are numbered from 1")
        self._check_colour(colour)
        stamp = now_iso()
        annotation = Annotation(
            uuid=new_uuid(),
            doc_hash=document.hash,
            page=page,
            kind=AnnotationKind.STICKY_NOTE,
            colour=colour,
            author=self.author,
            created=stamp,
            modified=stamp,
            point=rounded_point(point),
            note=clean_note(note),
        )
        return self._add(document, annotation)

    def _ink(
        self,
        document: DocumentRef,
        page: int,
        strokes: Iterable[Iterable[Sequence[float]]],
        colour: str,
        width: float,
        note: str,
    ) -> Annotation:
        if page < 1:
            raise ValueError("pages are numbered from 1")
        try:
            lines, line_width = clean_ink(strokes), clean_width(width)
        except InkError as exc:
            raise UserError(f"The drawing cannot be saved: {exc}.") from exc
        stamp = now_iso()
        return Annotation(
            uuid=new_uuid(),
            doc_hash=document.hash,
            page=page,
            kind=AnnotationKind.INK,
            colour=colour,
            author=self.author,
            created=stamp,
            modified=stamp,
            note=clean_note(note),
            strokes=lines,
            width=line_width,
        )

    def add_ink(
        self,
        document: DocumentRef,
        page: int,
        strokes: Iterable[Iterable[Sequence[float]]],
        colour: str = "red",
        width: float = 2.0,
        note: str = "",
    ) -> Annotation:
        """A freehand drawing on ``page``: ``strokes`` of ``(x, y)`` points in PDF points.

        Raises :class:`UserError` for a drawing that is empty, off any page or too large.
        """
        (made,) = self.add_drawings(document, {page: strokes}, colour, width, note)
        return made

    def add_drawings(
        self,
        document: DocumentRef,
        pages: Mapping[int, Iterable[Iterable[Sequence[float]]]],
        colour: str = "red",
        width: float = 2.0,
        note: str = "",
    ) -> list[Annotation]:
        """One drawing on each page of ``pages`` (page -> strokes), undone as one action."""
        self._check_colour(colour)
        made = [self._ink(document, p, s, colour, width, note) for p, s in sorted(pages.items())]
        if not made:
            raise ValueError("no drawing to add")
        self._push(
            "Add drawing",
            [ops.PutDocument(document), *(ops.PutAnnotation(a) for a in made)],
            [ops.DeleteAnnotation(a.uuid) for a in made],
        )
        return made

    def discard_drawings(
        self,
        drawings: Sequence[tuple[DocumentRef, Mapping[int, Iterable[Iterable[Sequence[float]]]]]],
        colour: str = "red",
        width: float = 2.0,
    ) -> list[Annotation]:
        """Record drawings the user threw away, so that Undo can bring them back.

        Nothing is saved now; undoing "Discard drawing" saves them as drawings
        (one per page) and redoing it removes them again.
        """
        self._check_colour(colour)
        made: list[Annotation] = []
        documents: list[ops.Op] = []
        for document, pages in drawings:
            documents.append(ops.PutDocument(document))
            made += [self._ink(document, p, s, colour, width, "") for p, s in sorted(pages.items())]
        if not made:
            raise ValueError("no drawing to discard")
        self._push(
            "Discard drawing",
            [ops.DeleteAnnotation(a.uuid) for a in made],
            [*documents, *(ops.PutAnnotation(a) for a in made)],
        )
        return made

    def _edit(self, label: str, before: Annotation, after: Annotation) -> Annotation:
        after = replace(after, modified=now_iso())
        self._push(label, [ops.PutAnnotation(after)], [ops.PutAnnotation(before)])
        return after

    def set_colour(self, uuid: str, colour: str) -> Annotation:
        self._check_colour(colour)
        before = self._existing(uuid)
        return self._edit("Change colour", before, replace(before, colour=colour))

    def set_note(self, uuid: str, note: str) -> Annotation:
        """Add, change or clear (empty text) the note of any annotation."""
        before = self._existing(uuid)
        return self._edit("Edit note", before, replace(before, note=clean_note(note)))

    def move_sticky_note(self, uuid: str, point: Point) -> Annotation:
        before = self._existing(uuid)
        moved = replace(before, point=rounded_point(point))
        return self._edit("Move sticky note", before, moved)

    def delete(self, uuid: str) -> None:
        before = self._existing(uuid)
        self._push(
            f"Delete {_KIND_LABEL[before.kind]}",
            [ops.DeleteAnnotation(uuid)],
            [ops.PutAnnotation(before)],
        )

    # -- bookmarks ------------------------------------------------------------

    def add_bookmark(self, document: DocumentRef, page: int, label: str = "") -> Bookmark:
        if page < 1:
            raise ValueError("pages are numbered from 1")
        stamp = now_iso()
        bookmark = Bookmark(
            new_uuid(),
            document.hash,
            page,
            _clean_label(label) or f"Page {page}",
            self.author,
            stamp,
            stamp,
        )
        self._push(
            "Add bookmark",
            [ops.PutDocument(document), ops.PutBookmark(bookmark)],
            [ops.DeleteBookmark(bookmark.uuid)],
        )
        return bookmark

    def rename_bookmark(self, uuid: str, label: str) -> Bookmark:
        before = self._existing_bookmark(uuid)
        after = replace(
            before, label=_clean_label(label) or f"Page {before.page}", modified=now_iso()
        )
        self._push("Rename bookmark", [ops.PutBookmark(after)], [ops.PutBookmark(before)])
        return after

    def delete_bookmark(self, uuid: str) -> None:
        before = self._existing_bookmark(uuid)
        self._push("Delete bookmark", [ops.DeleteBookmark(uuid)], [ops.PutBookmark(before)])

    # -- palette and layers -----------------------------------------------------

    def rename_colour(self, key: str, label: str) -> None:
        """Give a palette colour the user's own name, e.g. "to discuss"."""
        before = self.store.colour(key)
        new_label = _clean_label(label) or before.label
        self._push(
            "Rename colour",
            [ops.SetColourLabel(key, new_label)],
            [ops.SetColourLabel(key, before.label)],
        )

    def remove_layer(self, layer_id: int) -> None:
        """Remove an imported layer with its notes and bookmarks (undoable)."""
        layer = self.store.layer(layer_id)
        if layer is None:
            raise KeyError(layer_id)
        annotations = self.store.annotations(layer_id=layer_id, include_hidden=True)
        bookmarks = self.store.bookmarks(layer_id=layer_id, include_hidden=True)
        restore: list[ops.Op] = [ops.PutLayer(layer)]
        restore += [ops.PutAnnotation(a) for a in annotations]
        restore += [ops.PutBookmark(b) for b in bookmarks]
        restore += [
            ops.PutSession(p) for p in self.store.sessions(layer_id=layer_id, include_hidden=True)
        ]
        self._push(f"Remove notes of {layer.name}", [ops.DeleteLayer(layer_id)], restore)
