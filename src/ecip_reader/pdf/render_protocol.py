"""Messages exchanged between the GUI process and the render worker process.

Every message is a small frozen dataclass sent through a ``multiprocessing``
connection. Page samples normally travel through a shared-memory ring
(:mod:`ecip_reader.pdf.sample_ring`); only the offset travels in the message.

This module imports neither Qt nor PyMuPDF, so both sides can load it cheaply.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# ---------------------------------------------------------------- requests


@dataclass(frozen=True)
class OpenDocument:
    doc: int
    path: str
    password: str | None = None


@dataclass(frozen=True)
class CloseDocument:
    doc: int


@dataclass(frozen=True)
class RenderJob:
    """Draw one page (0-based) at ``zoom`` pixels per point, turned by ``rotation`` degrees."""

    req_id: int
    page: int
    zoom: float
    rotation: int = 0
    max_pixels: int = 8_000_000
    clip: tuple[float, float, float, float] | None = None  # part of the turned page, as fractions


@dataclass(frozen=True)
class RenderBatch:
    """The pages a view wants now, most wanted first.

    A batch replaces every render still waiting for the same document: pages
    the view scrolled away from are dropped instead of drawn.
    """

    doc: int
    generation: int
    jobs: tuple[RenderJob, ...]


@dataclass(frozen=True)
class FindWords:
    """The words of a page (0-based); with ``terms``, only words starting with one of them."""

    req_id: int
    doc: int
    page: int
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThumbnailBatch:
    """Small pages for a side panel; drawn only when no page of any view is waiting.

    Like :class:`RenderBatch`, a newer batch replaces the thumbnails still waiting.
    """

    doc: int
    generation: int
    jobs: tuple[RenderJob, ...]


@dataclass(frozen=True)
class RenderOne:
    """One image outside the view's batches (a printed page, an enlarged region)."""

    doc: int
    job: RenderJob


@dataclass(frozen=True)
class GetPageText:
    """Words, links and the content box of a page (0-based)."""

    req_id: int
    doc: int
    page: int


@dataclass(frozen=True)
class Find:
    """Search the whole document, starting at ``start_page`` and wrapping around.

    A newer ``generation`` for the same document replaces the search; an empty
    ``query`` just stops it. With ``pages``, only that many pages are searched
    (a search taken up again by a new worker where the old one stopped).
    """

    doc: int
    generation: int
    query: str
    match_case: bool = False
    whole_words: bool = False
    start_page: int = 0
    pages: int = 0


@dataclass(frozen=True)
class ReleaseSamples:
    """The GUI has copied the samples of ``req_id`` out of the shared ring."""

    req_id: int


@dataclass(frozen=True)
class Shutdown:
    pass


Request = (
    OpenDocument
    | CloseDocument
    | RenderBatch
    | ThumbnailBatch
    | RenderOne
    | FindWords
    | GetPageText
    | Find
    | ReleaseSamples
    | Shutdown
)

# ---------------------------------------------------------------- replies


@dataclass(frozen=True)
class DocumentInfo:
    page_count: int
    page_sizes: tuple[tuple[float, float], ...]  # points, as displayed (page rotation applied)
    metadata: dict[str, str] = field(default_factory=dict)
    rotations: tuple[int, ...] = ()  # each page's own /Rotate (0, 90, 180 or 270)
    notes: tuple[str, ...] = ()  # sentences for the reader: repaired, no searchable text …


@dataclass(frozen=True)
class Opened:
    doc: int
    info: DocumentInfo


@dataclass(frozen=True)
class OpenFailed:
    doc: int
    message: str
    needs_password: bool = False


@dataclass(frozen=True)
class Rendered:
    """Samples of a rendered page: RGB, 3 bytes a pixel, ``stride`` bytes a row.

    ``samples`` is ``None`` when the bytes are in the shared ring at ``offset``.
    """

    req_id: int
    doc: int
    page: int
    width: int
    height: int
    stride: int
    offset: int
    nbytes: int
    samples: bytes | None = None


@dataclass(frozen=True)
class RenderFailed:
    req_id: int
    doc: int
    page: int
    message: str


@dataclass(frozen=True)
class Dropped:
    """Renders that batch ``generation`` superseded; they will not be answered."""

    doc: int
    generation: int
    req_ids: tuple[int, ...]


@dataclass(frozen=True)
class Words:
    """Word boxes as fractions of the displayed page: (x0, y0, x1, y1, word)."""

    req_id: int
    doc: int
    page: int
    terms: tuple[str, ...]
    boxes: tuple[tuple[float, float, float, float, str], ...]


@dataclass(frozen=True)
class Outline:
    """Table of contents entries: (level, title, 1-based page, top).

    ``top`` is how far down the displayed page the entry's heading is, as a
    fraction of its height (-1 when the outline names only the page).
    """

    doc: int
    entries: tuple[tuple[int, str, int, float], ...]


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the displayed page
RawWord = tuple[float, float, float, float, str, int, int, int]  # as PyMuPDF's get_text("words")


@dataclass(frozen=True)
class LinkArea:
    """A link on a page.

    ``kind`` is "goto" (``page`` of this document), "document" (``target`` is a
    file name, ``page`` its page), "uri" (``target`` is the address), "launch"
    (``target`` names a program or file) or "other" (anything else, never acted on).
    """

    box: Box
    kind: str
    page: int = -1
    target: str = ""
    top: float = -1.0  # "goto": where on the target page it points, as a fraction down; -1: its top


@dataclass(frozen=True)
class PageTextLayer:
    """What the GUI needs to select text, follow links and trim margins on one page.

    ``words`` are in PDF points of the unturned page, as PyMuPDF gives them;
    ``content`` is the box around everything drawn, or ``None`` for an empty page.
    """

    req_id: int
    doc: int
    page: int
    words: tuple[RawWord, ...]
    links: tuple[LinkArea, ...]
    content: Box | None


@dataclass(frozen=True)
class FindHits:
    """Matches found on ``searched`` more pages of search ``generation``.

    Each hit is (0-based page, boxes of the matched words) in page order;
    ``done`` is set on the last message of a search.
    """

    doc: int
    generation: int
    hits: tuple[tuple[int, tuple[Box, ...]], ...]
    searched: int
    total: int
    done: bool


Reply = (
    Opened
    | OpenFailed
    | Rendered
    | RenderFailed
    | Dropped
    | Words
    | Outline
    | PageTextLayer
    | FindHits
)

# ---------------------------------------------------------------- matching words

_EDGE = re.compile(r"^\W+|\W+$")
_PARTS = re.compile(r"\w+")


def normalise_terms(terms: Iterable[str]) -> tuple[str, ...]:
    """Lower-case, NFKC-normalised single words, without duplicates, in order."""
    seen: dict[str, None] = {}
    for term in terms:
        for word in _PARTS.findall(unicodedata.normalize("NFKC", term).casefold()):
            seen.setdefault(word, None)
    return tuple(seen)


def word_matches(word: str, terms: Sequence[str]) -> bool:
    """True if a part of ``word`` starts with one of the normalised ``terms``.

    "Discharged," matches "discharge"; "to-assess" matches "assess".
    """
    text = unicodedata.normalize("NFKC", _EDGE.sub("", word)).casefold()
    return any(part.startswith(term) for part in _PARTS.findall(text) for term in terms)
