"""The trainer's pen drawing during a presentation, with undo.

Strokes are kept per document and page (a session plan presents several
documents). Drawing a line, clearing a page (C) and throwing the whole drawing
away are each one step that Ctrl+Z takes back, so no key press loses a
drawing for good.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecip_reader.ui.present.tools import Stroke


@dataclass(frozen=True)
class _Step:
    label: str
    before: tuple[Stroke, ...]
    after: tuple[Stroke, ...]


class PenDrawing:
    """Every stroke drawn so far, and the steps that made them, for undo and redo."""

    def __init__(self) -> None:
        self._strokes: tuple[Stroke, ...] = ()
        self._done: list[_Step] = []
        self._undone: list[_Step] = []

    def strokes(self) -> tuple[Stroke, ...]:
        return self._strokes

    def on_page(self, doc: str, page: int) -> list[Stroke]:
        """The strokes on ``page`` (1-based) of the document ``doc``."""
        return [s for s in self._strokes if s.doc == doc and s.page == page]

    def __bool__(self) -> bool:
        return bool(self._strokes)

    def _change(self, label: str, after: tuple[Stroke, ...]) -> None:
        if after == self._strokes:
            return
        self._done.append(_Step(label, self._strokes, after))
        self._undone.clear()
        self._strokes = after

    def add(self, stroke: Stroke) -> None:
        self._change("line", (*self._strokes, stroke))

    def clear_page(self, doc: str, page: int) -> None:
        kept = tuple(s for s in self._strokes if not (s.doc == doc and s.page == page))
        self._change("clear", kept)

    def clear_all(self) -> None:
        self._change("discard", ())

    def undo(self) -> str | None:
        """Take back the last step; returns what it was ("line", "clear", "discard")."""
        if not self._done:
            return None
        step = self._done.pop()
        self._undone.append(step)
        self._strokes = step.before
        return step.label

    def redo(self) -> str | None:
        if not self._undone:
            return None
        step = self._undone.pop()
        self._done.append(step)
        self._strokes = step.after
        return step.label
