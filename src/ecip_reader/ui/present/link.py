"""What a presentation needs from the notes: the trainer's notes, and a home for drawings.

The notes feature supplies a :class:`PresentationLink` when a presentation
starts; without one (no notes store) the drawing cannot be kept and the
console shows no notes.
"""

from __future__ import annotations

from typing import Protocol

from ecip_reader.ui.present.tools import Stroke


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


NO_NOTES = "Notes are not available for this document."
