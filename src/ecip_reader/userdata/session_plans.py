"""Session plans: a trainer's ordered stops across documents, as plain values.

A stop is a page of a document (by content hash), optionally a region of it
to enlarge when the stop is reached (PDF points of the unrotated page, like
every other coordinate of the notes store), a short label saying what it is
(the highlighted words, the bookmark's label) and the trainer's note for it.

A plan is a named list of stops. The trainer's own plans have no layer; a plan
that came in a notes pack belongs to that pack's layer and goes with it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ecip_reader.userdata.models import MAX_COORDINATE, PRECISION, new_uuid, now_iso
from ecip_reader.userdata.names import clean_name

MAX_STOPS = 500
MAX_PLANS = 200  # in one notes pack
MAX_STOP_NOTE = 10_000
MAX_STOP_LABEL = 200
MIN_REGION = 4.0  # points: a region smaller than this on either side is no region

Region = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points


class PlanError(ValueError):
    """A stop or plan that cannot be stored; the message names the problem in a few words."""


def clean_region(value: Sequence[object] | None) -> Region | None:
    """``(x0, y0, x1, y1)`` rounded and ordered, on a page; ``None`` for no region."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or len(value) != 4:
        raise PlanError("a region must be four numbers: x0, y0, x1, y1")
    numbers: list[float] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            raise PlanError("a region must be four numbers: x0, y0, x1, y1")
        number = float(item)
        if not math.isfinite(number) or not 0.0 <= number <= MAX_COORDINATE:
            raise PlanError(f"a region must lie on a page (0 to {MAX_COORDINATE:,.0f} points)")
        numbers.append(round(number, PRECISION))
    x0, x1 = sorted((numbers[0], numbers[2]))
    y0, y1 = sorted((numbers[1], numbers[3]))
    if x1 - x0 < MIN_REGION or y1 - y0 < MIN_REGION:
        raise PlanError(f"a region must be at least {MIN_REGION:g} points on each side")
    return (x0, y0, x1, y1)


@dataclass(frozen=True)
class SessionStop:
    """One stop of a plan: ``page`` (1-based) of the document ``doc_hash``."""

    uuid: str
    doc_hash: str
    page: int
    region: Region | None = None
    label: str = ""
    note: str = ""


@dataclass(frozen=True)
class SessionPlan:
    uuid: str
    name: str
    author: str
    created: str
    modified: str
    stops: tuple[SessionStop, ...] = ()
    layer_id: int | None = None  # None: the user's own plan; else the layer it came with

    @property
    def is_own(self) -> bool:
        return self.layer_id is None

    @property
    def doc_hashes(self) -> frozenset[str]:
        return frozenset(s.doc_hash for s in self.stops)

    def index_of(self, stop_uuid: str) -> int:
        """The position of the stop ``stop_uuid``; ``KeyError`` when it is not in the plan."""
        for index, stop in enumerate(self.stops):
            if stop.uuid == stop_uuid:
                return index
        raise KeyError(stop_uuid)

    def with_stops(self, stops: Sequence[SessionStop]) -> SessionPlan:
        if len(stops) > MAX_STOPS:
            raise PlanError(f"a session plan can hold at most {MAX_STOPS} stops")
        return replace(self, stops=tuple(stops), modified=now_iso())


def clean_stop_note(note: str) -> str:
    """Plain text with ``\\n`` line breaks, at most :data:`MAX_STOP_NOTE` characters."""
    text = note.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_STOP_NOTE:
        raise PlanError(f"a stop's note can hold at most {MAX_STOP_NOTE:,} characters")
    return text


def new_plan(name: str, author: str) -> SessionPlan:
    stamp = now_iso()
    name = clean_name(name) or "Session plan"
    return SessionPlan(new_uuid(), name, clean_name(author), stamp, stamp)


def new_stop(
    doc_hash: str,
    page: int,
    region: Sequence[object] | None = None,
    label: str = "",
    note: str = "",
) -> SessionStop:
    if page < 1:
        raise PlanError("pages are numbered from 1")
    return SessionStop(
        new_uuid(),
        doc_hash,
        page,
        clean_region(region),
        clean_name(label, MAX_STOP_LABEL),
        clean_stop_note(note),
    )
