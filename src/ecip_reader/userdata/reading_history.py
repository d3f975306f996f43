"""Reading history: recent documents, where each was left, and the open tabs.

Everything lives in one small JSON file in the user's data folder. Changes are
kept in memory and written with :meth:`ReadingHistory.save` (write-temp-then-rename),
which the main window calls after a short pause and when it closes. A damaged
file is moved aside and the history starts empty: losing where you stopped
reading is a nuisance, refusing to start would be worse.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecip_reader.errors import StorageError, describe_os_error
from ecip_reader.fileio import atomic_write_text
from ecip_reader.paths import AppPaths

log = logging.getLogger(__name__)

HISTORY_FILE = "history.json"
FORMAT = 1
MAX_DOCUMENTS = 200  # oldest entries beyond this are forgotten

Zoom = float | str  # a factor, "fit-width" or "fit-page"
ZOOM_MODES = ("fit-width", "fit-page")


@dataclass(frozen=True)
class Position:
    """Where a document was left: 1-based page, zoom, offset within the page, reflowed or not."""

    page: int = 1
    zoom: Zoom = "fit-width"
    offset: float = 0.0
    last_read: float = 0.0  # seconds since the epoch
    reflow: bool = False  # shown as reflowed text rather than as pages

    def state(self) -> dict[str, Any]:
        """The mapping ``DocumentView.restore_state`` takes."""
        state: dict[str, Any] = {"page": self.page, "zoom": self.zoom, "offset": self.offset}
        if self.reflow:
            state["reflow"] = True
        return state

    def to_json(self) -> dict[str, Any]:
        return {**self.state(), "last_read": self.last_read}


def _position(raw: object) -> Position | None:
    """Read one stored position; anything malformed is dropped, not fatal."""
    if not isinstance(raw, dict):
        return None
    page = raw.get("page", 1)
    zoom = raw.get("zoom", "fit-width")
    offset = raw.get("offset", 0.0)
    last_read = raw.get("last_read", 0.0)
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        return None
    if isinstance(zoom, bool) or not (
        (isinstance(zoom, (int, float)) and 0.05 <= zoom <= 20) or zoom in ZOOM_MODES
    ):
        zoom = "fit-width"
    if isinstance(offset, bool) or not isinstance(offset, (int, float)):
        offset = 0.0
    if isinstance(last_read, bool) or not isinstance(last_read, (int, float)):
        last_read = 0.0
    zoom_value: Zoom = float(zoom) if isinstance(zoom, (int, float)) else str(zoom)
    offset_value = min(max(float(offset), 0.0), 1.0)
    reflow = raw.get("reflow") is True
    return Position(page, zoom_value, offset_value, float(last_read), reflow)


class ReadingHistory:
    """Recent documents, reading positions and open tabs of one user."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        self._positions: dict[str, Position] = {}
        self._tabs: list[str] = []
        self._current: str | None = None
        self._dirty = False
        self.load_error: str | None = None
        self._load()

    @classmethod
    def for_paths(cls, paths: AppPaths) -> ReadingHistory:
        return cls(paths.data / HISTORY_FILE)

    # -- reading -----------------------------------------------------------------

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            self.load_error = describe_os_error(exc, "your reading history")
            log.warning("%s", self.load_error)
            return
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("not a reading-history file of a known format")
        except ValueError as exc:
            self._set_aside(exc)
            return
        documents = data.get("documents", {})
        if isinstance(documents, dict):
            for doc_id, raw in documents.items():
                position = _position(raw)
                if isinstance(doc_id, str) and position is not None:
                    self._positions[doc_id] = position
        tabs = data.get("open_tabs", [])
        if isinstance(tabs, list):
            self._tabs = list(dict.fromkeys(t for t in tabs if isinstance(t, str) and t))
        current = data.get("current_tab")
        self._current = current if isinstance(current, str) and current in self._tabs else None

    def _set_aside(self, exc: Exception) -> None:
        self.load_error = "Your reading history could not be read and was started afresh."
        log.warning("damaged history file %s: %s", self.path, exc)
        try:
            self.path.replace(self.path.with_suffix(".damaged.json"))
        except OSError as move_exc:
            log.warning("could not move the damaged history aside: %s", move_exc)

    # -- positions and recent documents -----------------------------------------------

    def position(self, doc_id: str) -> Position | None:
        return self._positions.get(doc_id)

    def last_read(self, doc_id: str) -> float | None:
        position = self._positions.get(doc_id)
        return position.last_read if position else None

    def recent(self, limit: int = 10) -> list[str]:
        """Document ids, most recently read first."""
        ordered = sorted(self._positions.items(), key=lambda item: item[1].last_read, reverse=True)
        return [doc_id for doc_id, _ in ordered[:limit]]

    def record(self, doc_id: str, state: Mapping[str, Any]) -> None:
        """Remember where ``doc_id`` is now (a ``DocumentView.state()`` mapping)."""
        raw = {**dict(state), "last_read": self._clock()}
        position = _position(raw)
        if position is None:
            log.warning("ignoring reading position for %s: %r", doc_id, state)
            return
        self._positions[doc_id] = position
        if len(self._positions) > MAX_DOCUMENTS:
            for old in self.recent(len(self._positions))[MAX_DOCUMENTS:]:
                del self._positions[old]
        self._dirty = True

    def forget(self, doc_id: str) -> None:
        if self._positions.pop(doc_id, None) is not None:
            self._dirty = True

    def keep_only(self, doc_ids: Iterable[str]) -> None:
        """Drop positions and tabs of documents no longer in the library."""
        known = set(doc_ids)
        for doc_id in [d for d in self._positions if d not in known]:
            del self._positions[doc_id]
            self._dirty = True
        tabs = [t for t in self._tabs if t in known]
        if tabs != self._tabs:
            self.set_open_tabs(tabs, self._current if self._current in tabs else None)

    # -- open tabs ---------------------------------------------------------------------

    @property
    def open_tabs(self) -> list[str]:
        return list(self._tabs)

    @property
    def current_tab(self) -> str | None:
        return self._current

    def set_open_tabs(self, doc_ids: Iterable[str], current: str | None) -> None:
        tabs = list(dict.fromkeys(doc_ids))
        current = current if current in tabs else None
        if tabs != self._tabs or current != self._current:
            self._tabs, self._current = tabs, current
            self._dirty = True

    # -- writing -----------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self._dirty

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "documents": {d: p.to_json() for d, p in sorted(self._positions.items())},
            "open_tabs": self._tabs,
            "current_tab": self._current,
        }

    def save(self) -> None:
        """Write the history if it changed; raises :class:`StorageError` on failure."""
        if not self._dirty:
            return
        try:
            atomic_write_text(self.path, json.dumps(self.to_json(), indent=1, sort_keys=True))
        except OSError as exc:
            raise StorageError(describe_os_error(exc, "your reading history")) from exc
        self._dirty = False
