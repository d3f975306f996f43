"""A session plan being presented: its stops, the documents they are on, the stop shown.

Space goes to the next stop and Backspace to the one before (the other moving
keys still turn pages inside the stop's document); a stop with a region opens
enlarged on it. :class:`SessionRun` is the presenter's
:class:`~ecip_reader.ui.present.presenter.Deck` for a plan: the console's
caption, next slide, stop note and strip of stops come from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecip_reader.ui.present.console_parts import StripItem
from ecip_reader.ui.present.window import PresentationWindow
from ecip_reader.ui.render.remote_document import RemoteDocument
from ecip_reader.userdata.session_plans import SessionPlan, SessionStop


@dataclass(frozen=True)
class OpenDocument:
    """A document of the plan, open in the render worker for the presentation."""

    remote: RemoteDocument
    title: str


class SessionRun:
    def __init__(
        self, plan: SessionPlan, documents: dict[str, OpenDocument], start: int = 0
    ) -> None:
        self.plan = plan
        self.documents = documents
        # Only the stops whose documents could be opened are presented.
        self.stops: list[SessionStop] = [s for s in plan.stops if s.doc_hash in documents]
        self.index = min(max(start, 0), max(len(self.stops) - 1, 0))

    def stop(self) -> SessionStop:
        return self.stops[self.index]

    def document(self, stop: SessionStop) -> OpenDocument:
        return self.documents[stop.doc_hash]

    def first(self) -> tuple[RemoteDocument, int, str, str]:
        """What the presentation opens on: remote, 0-based page, title, document key."""
        stop = self.stop()
        opened = self.document(stop)
        return opened.remote, stop.page - 1, opened.title, stop.doc_hash

    def show(self, window: PresentationWindow, index: int) -> None:
        """Put stop ``index`` on the screen, enlarged on its region when it has one."""
        self.index = min(max(index, 0), len(self.stops) - 1)
        stop = self.stop()
        opened = self.document(stop)
        window.show_document(opened.remote, stop.page - 1, opened.title, stop.doc_hash, stop.region)

    def step(self, window: PresentationWindow, delta: int) -> None:
        """Space (+1) or Backspace (-1); at either end the trainer is told, nothing moves."""
        target = self.index + delta
        if target >= len(self.stops):
            window.show_notice("That was the last stop of the session plan. Esc ends.")
        elif target < 0:
            window.show_notice("This is the first stop of the session plan.")
        else:
            self.show(window, target)

    # -- the presenter's deck ----------------------------------------------------------------

    def caption(self, window: PresentationWindow) -> str:
        stop = self.stop()
        count = window.page_count()
        page = window.current_page() + 1
        where = f"page {page} of {count}" if count else "opening…"
        left = "" if page == stop.page or not count else f" (the stop is page {stop.page})"
        return f"Stop {self.index + 1} of {len(self.stops)}  ·  {window.title}, {where}{left}"

    def next_page(self, window: PresentationWindow) -> tuple[RemoteDocument, int, str] | None:
        if self.index + 1 >= len(self.stops):
            return None
        stop = self.stops[self.index + 1]
        opened = self.document(stop)
        return (
            opened.remote,
            stop.page - 1,
            f"Stop {self.index + 2}: {opened.title}, p. {stop.page}",
        )

    def notes(self, window: PresentationWindow) -> list[str]:
        stop = self.stop()
        lines = []
        if stop.label:
            lines.append(f"Stop {self.index + 1}: {stop.label}")
        if stop.note:
            lines.append(stop.note)
        return lines

    def strip(self, window: PresentationWindow) -> tuple[list[StripItem], int]:
        items = [
            StripItem(self.document(s).remote, s.page - 1, f"{n}. p.{s.page}")
            for n, s in enumerate(self.stops, start=1)
        ]
        return items, self.index

    def position(self, window: PresentationWindow) -> int:
        return self.index

    def jump(self, window: PresentationWindow, row: int) -> None:
        self.show(window, row)
