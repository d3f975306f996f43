"""The plain, immutable values the user-data store reads and writes.

Coordinates are PDF points in PyMuPDF's page space: origin at the top left of
the unrotated page, y growing downwards — the space ``page.get_text("words")``
and ``page.search_for`` return. Pages are numbered from 1 everywhere.
"""

from __future__ import annotations

import colorsys
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import NamedTuple


class AnnotationKind(StrEnum):
    HIGHLIGHT = "highlight"
    UNDERLINE = "underline"
    STRIKE_THROUGH = "strike-through"
    STICKY_NOTE = "sticky-note"
    INK = "ink"  # freehand drawing, e.g. a trainer's pen in presentation mode

    @property
    def is_markup(self) -> bool:
        """True for the kinds made from a text selection."""
        return self in _MARKUP


_MARKUP = frozenset(
    {AnnotationKind.HIGHLIGHT, AnnotationKind.UNDERLINE, AnnotationKind.STRIKE_THROUGH}
)


class AnchorStatus(StrEnum):
    ATTACHED = "attached"
    DETACHED = "detached"  # the quoted text was not found in a re-issued document

    @property
    def description(self) -> str:
        return "could not re-attach" if self is AnchorStatus.DETACHED else "attached"


class Quad(NamedTuple):
    """Four corners: upper left, upper right, lower left, lower right (PyMuPDF's order)."""

    ul_x: float
    ul_y: float
    ur_x: float
    ur_y: float
    ll_x: float
    ll_y: float
    lr_x: float
    lr_y: float

    @classmethod
    def from_rect(cls, x0: float, y0: float, x1: float, y1: float) -> Quad:
        return cls(x0, y0, x1, y0, x0, y1, x1, y1)

    def rounded(self) -> Quad:
        """Coordinates to :data:`PRECISION` decimals: far finer than any screen or printer."""
        return Quad(*(round(float(v), PRECISION) for v in self))

    @property
    def rect(self) -> tuple[float, float, float, float]:
        xs = (self.ul_x, self.ur_x, self.ll_x, self.lr_x)
        ys = (self.ul_y, self.ur_y, self.ll_y, self.lr_y)
        return (min(xs), min(ys), max(xs), max(ys))


Point = tuple[float, float]

PRECISION = 2  # decimals of a PDF point kept for quads and points


def rounded_point(point: Sequence[float]) -> Point:
    return (round(float(point[0]), PRECISION), round(float(point[1]), PRECISION))


Stroke = tuple[Point, ...]  # one freehand line of a drawing, in PDF points

# Limits of one drawing: generous for a trainer's pen, small enough to keep notes packs light.
MAX_STROKES = 1_000
MAX_INK_POINTS = 20_000
MAX_INK_WIDTH = 72.0  # points (one inch)
MAX_COORDINATE = 14_400.0  # PDF's largest page side (200 inches) in points


# One entry of PyMuPDF's ``page.get_text("words")``: x0, y0, x1, y1, text, block, line, word.
Word = tuple[float, float, float, float, str, int, int, int]

CONTEXT_CHARS = 40


def normalise_text(text: str) -> str:
    """NFKC, soft hyphens dropped, runs of white space folded to one space."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class TextAnchor:
    """The quoted text of a selection with a little context on each side."""

    quote: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class DocumentRef:
    """A document as the store knows it: its content hash first, id and title for people."""

    hash: str  # SHA-256 of the PDF file, 64 lower-case hex digits
    doc_id: str = ""
    title: str = ""

    @property
    def display_title(self) -> str:
        return self.title or self.doc_id or self.hash[:12]


def now_iso() -> str:
    """The current UTC time as ``2024-05-01T09:30:00.123Z``."""
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds")
    return stamp.replace("+00:00", "Z")


def parse_iso(value: str) -> datetime:
    """Parse a timestamp written by :func:`now_iso` (or any ISO 8601 with a zone)."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def new_uuid() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Annotation:
    """A highlight, underline or strike-through (from a selection), a sticky note or a drawing."""

    uuid: str
    doc_hash: str
    page: int
    kind: AnnotationKind
    colour: str  # a palette key such as "yellow"
    author: str
    created: str
    modified: str
    quads: tuple[Quad, ...] = ()
    point: Point | None = None  # where a sticky note sits
    anchor: TextAnchor = field(default_factory=lambda: TextAnchor(""))
    note: str = ""  # plain text; line breaks kept
    status: AnchorStatus = AnchorStatus.ATTACHED
    layer_id: int | None = None  # None: the user's own notes; else an imported layer
    strokes: tuple[Stroke, ...] = ()  # the lines of a drawing (kind INK)
    width: float = 0.0  # the drawing's line width in PDF points (kind INK)

    @property
    def quote(self) -> str:
        return self.anchor.quote

    @property
    def is_own(self) -> bool:
        return self.layer_id is None

    @property
    def ink_bounds(self) -> tuple[float, float, float, float] | None:
        """The box around a drawing's points (x0, y0, x1, y1), or ``None`` without any."""
        xs = [x for stroke in self.strokes for x, _y in stroke]
        ys = [y for stroke in self.strokes for _x, y in stroke]
        return (min(xs), min(ys), max(xs), max(ys)) if xs else None

    @property
    def is_drawable(self) -> bool:
        """False for notes that could not be re-attached (list them, do not draw them)."""
        if self.kind.is_markup:
            placed = bool(self.quads)
        elif self.kind is AnnotationKind.INK:
            placed = bool(self.strokes)
        else:
            placed = self.point is not None
        return self.status is AnchorStatus.ATTACHED and placed


@dataclass(frozen=True)
class Bookmark:
    uuid: str
    doc_hash: str
    page: int
    label: str
    author: str
    created: str
    modified: str
    layer_id: int | None = None


@dataclass(frozen=True)
class Colour:
    """A palette entry: a fixed key and RGB value, a name the user can change."""

    key: str
    rgb: str  # "#rrggbb"
    label: str
    position: int

    @property
    def rgb_floats(self) -> tuple[float, float, float]:
        return _floats(self.rgb)

    @property
    def ink_rgb(self) -> str:
        """The colour a drawing in this palette colour has (see :func:`ink_shade`)."""
        return ink_shade(self.rgb)


def _floats(rgb: str) -> tuple[float, float, float]:
    value = rgb.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) / 255.0 for i in (0, 2, 4))
    return (red, green, blue)


def ink_shade(rgb: str) -> str:
    """The deeper shade of a palette colour that a pen draws in.

    The palette is made for highlighting (laid over text); a pen line in it
    would look washed out. Drawings, on screen, in the presentation and in an
    exported PDF, all use this one shade, so a kept drawing looks as it was drawn.
    """
    hue, saturation, value = colorsys.rgb_to_hsv(*_floats(rgb))
    red, green, blue = colorsys.hsv_to_rgb(hue, min(1.0, saturation * 1.62), value * 0.917)
    return "#" + "".join(f"{round(c * 255):02x}" for c in (red, green, blue))


# key, RGB, default name: what a reader marks with the colour. The keys are stable
# (notes packs carry them); the names are the user's to change.
DEFAULT_PALETTE: tuple[tuple[str, str, str], ...] = (
    ("yellow", "#ffd84d", "To discuss"),
    ("green", "#7ed87e", "Evidence"),
    ("blue", "#7ab8f5", "Good practice"),
    ("pink", "#f59ac8", "Question"),
    ("orange", "#ffac59", "Action for us"),
    ("purple", "#b99cf0", "Key point"),
    ("red", "#f07070", "Concern"),
    ("grey", "#b4b4b4", "Background"),
)
COLOUR_KEYS = tuple(key for key, _rgb, _label in DEFAULT_PALETTE)
DEFAULT_COLOUR = "yellow"


@dataclass(frozen=True)
class Layer:
    """Notes imported from one notes pack; shown, hidden or removed as a whole."""

    id: int
    name: str  # the pack's name (its author's, for a pack without one)
    source: str  # the pack's file name
    imported_at: str
    visible: bool = True
    pack_id: str = ""  # the pack it came from: importing that pack again updates this layer
    author: str = ""  # who wrote the pack


@dataclass(frozen=True)
class NoteHit:
    """One annotation matching a text search, shaped for the main search's result list."""

    annotation: Annotation
    document: DocumentRef
    layer_name: str | None  # None for the user's own notes
    segments: tuple[tuple[str, bool], ...]  # snippet pieces; True = matched term
    source: str = "note"  # shown as "your note" (or the layer's author)

    @property
    def page(self) -> int:
        return self.annotation.page

    @property
    def snippet(self) -> str:
        return "".join(text for text, _matched in self.segments)
