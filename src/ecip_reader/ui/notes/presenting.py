"""The notes seen from a presentation: the trainer's notes per page, and a home for drawings.

:class:`NotesLink` is the :class:`~ecip_reader.ui.present.link.PresentationLink`
the notes feature hands to every presentation. Kept pen strokes become
drawings in the user's notes (one per page, one undo step); discarded ones are
recorded so that Undo ("Undo Discard drawing") brings them back as drawings.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QPainter

from ecip_reader.errors import UserError
from ecip_reader.ui.notes.overlay import FALLBACK_COLOUR, paint_markup
from ecip_reader.ui.present.link import ToView
from ecip_reader.ui.present.tools import PEN_COLOUR_KEY, Stroke
from ecip_reader.userdata import (
    Annotation,
    AnnotationKind,
    Annotator,
    DocumentRef,
    UserDataStore,
)
from ecip_reader.userdata.errors import WHAT

READ_ONLY_PREFIX = f"Cannot save {WHAT}: "
QUOTE_CHARS = 60

Pages = dict[int, list[tuple[tuple[float, float], ...]]]


def read_only_message(reason: str) -> str:
    """ "Notes cannot be saved: <reason>" without repeating the store's own opening words."""
    if reason.startswith(READ_ONLY_PREFIX):
        reason = reason[len(READ_ONLY_PREFIX) :]
    return f"Notes cannot be saved: {reason}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


class NotesLink:
    """Keeps or discards a presentation's drawings and reads the trainer's notes of a page.

    ``default`` is the document of strokes drawn without a document key (a
    presentation of one document); ``tell`` shows a sentence in the main window.
    """

    def __init__(
        self,
        store: UserDataStore,
        annotator: Annotator,
        default: DocumentRef | None,
        tell: Callable[[str], None],
    ) -> None:
        self.store = store
        self.annotator = annotator
        self.default = default
        self.tell = tell
        self._marks: dict[tuple[str, int], list[Annotation]] = {}  # read once per page
        self._colours: dict[str, QColor] | None = None

    @property
    def unavailable(self) -> str:
        if self.store.read_only:
            return read_only_message(self.store.read_only_reason or "")
        return ""

    def _documents(self, strokes: tuple[Stroke, ...]) -> list[tuple[DocumentRef, Pages]]:
        grouped: dict[str, Pages] = {}
        for stroke in strokes:
            key = stroke.doc or (self.default.hash if self.default else "")
            grouped.setdefault(key, {}).setdefault(stroke.page, []).append(stroke.points)
        found = []
        for key, pages in grouped.items():
            known = self.default if self.default and self.default.hash == key else None
            document = known or self.store.document(key) or DocumentRef(key)
            found.append((document, pages))
        return found

    def keep(self, strokes: tuple[Stroke, ...]) -> str | None:
        if self.unavailable:
            return self.unavailable
        width = max((s.width for s in strokes), default=2.0)
        try:
            for document, pages in self._documents(strokes):
                self.annotator.add_drawings(document, pages, PEN_COLOUR_KEY, width)
        except UserError as exc:
            return str(exc)
        return None

    def discard(self, strokes: tuple[Stroke, ...]) -> None:
        if self.unavailable or not strokes:
            return
        width = max(s.width for s in strokes)
        try:
            self.annotator.discard_drawings(self._documents(strokes), PEN_COLOUR_KEY, width)
        except UserError as exc:
            self.tell(f"The discarded drawing cannot be brought back: {exc}")
            return
        pages = len({(s.doc, s.page) for s in strokes})
        where = "1 page" if pages == 1 else f"{pages} pages"
        self.tell(
            f"Discarded the presentation drawing on {where}. "
            "Annotate → Undo (Ctrl+Z) brings it back as a drawing."
        )

    def notes(self, doc: str, page: int) -> list[str]:
        """The user's own notes and bookmarks on ``page``, one line of text each."""
        doc = doc or (self.default.hash if self.default else "")
        if not doc:
            return []
        bookmarks = self.store.bookmarks(doc, own_only=True)
        lines = [f"Bookmark: {b.label}" for b in bookmarks if b.page == page]
        for annotation in self.store.annotations(doc, page, own_only=True):
            note = annotation.note.strip()
            if not note:
                continue
            if annotation.kind.is_markup and annotation.quote:
                lines.append(f"“{_short(annotation.quote)}” — {note}")
            elif annotation.kind is AnnotationKind.INK:
                lines.append(f"Drawing: {note}")
            else:
                lines.append(note)
        return lines

    def paint_marks(self, painter: QPainter, doc: str, page: int, to_view: ToView) -> None:
        """The page's highlights, lines and drawings in every shown layer (not sticky notes:
        the trainer's notes are on the console, not on the projector)."""
        doc = doc or (self.default.hash if self.default else "")
        if not doc:
            return
        key = (doc, page)
        if key not in self._marks:
            try:
                found = self.store.annotations(doc, page)
            except UserError:
                found = []
            self._marks[key] = [a for a in found if a.is_drawable]
        marks = self._marks[key]
        if not marks:
            return
        if self._colours is None:
            self._colours = {c.key: QColor(c.rgb) for c in self.store.palette()}
        colours = self._colours
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        paint_markup(painter, marks, lambda key: QColor(colours.get(key, FALLBACK_COLOUR)), to_view)
        painter.restore()
