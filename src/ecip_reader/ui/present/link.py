"""What a presentation needs from the notes: the trainer's notes, and a home for drawings.

The notes feature supplies a :class:`PresentationLink` when a presentation
starts; without one (no notes store) the drawing cannot be kept and the
console shows no notes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainter

from ecip_reader.ui.present.tools import Stroke

ToView = Callable[[float, float], QPointF]  # PDF points of a page -> the screen


class PresentationLink(Protocol):
    @property
    def unavailable(self) -> str:
        """Why drawings cannot be kept, in one sentence; ``""`` when they can."""
        ...

    def keep(self, strokes: tuple[Stroke, ...]) -> str | None:
        """Save ``strokes`` as drawings; ``None`` when saved, else why not (one sentence)."""
        ...

    def discard(self, strokes: tuple[Stroke, ...]) -> None:
        """Throw ``strokes`` away so that Undo in the reader can bring them back."""
        ...

    def notes(self, doc: str, page: int) -> list[str]:
        """The trainer's own notes on ``page`` (1-based) of the document ``doc``."""
        ...

    def paint_marks(self, painter: QPainter, doc: str, page: int, to_view: ToView) -> None:
        """Draw the highlights, lines and drawings of ``page`` (1-based) of ``doc`` as the
        reader shows them; ``to_view`` maps PDF points to the screen."""
        ...


NO_NOTES = "Notes are not available for this document."
