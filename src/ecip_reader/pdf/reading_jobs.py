"""The render worker's reading jobs: page text and links, content boxes, words, outline, find.

These functions run inside the worker process (they call PyMuPDF) and turn a
page into the plain tuples of :mod:`ecip_reader.pdf.render_protocol`. Boxes
sent to the GUI are fractions of the page as displayed (its own rotation
applied), so the GUI needs no PDF knowledge to draw them.
"""

from __future__ import annotations

import logging
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecip_reader.pdf.page_geometry import (
    PUNCTUATION,
    letter_span,
    page_geometry,
    trim_punctuation,
)
from ecip_reader.pdf.render_protocol import (
    Box,
    Find,
    FindHits,
    LinkArea,
    PageTextLayer,
    RawWord,
    normalise_terms,
    word_matches,
)

log = logging.getLogger(__name__)

# A fill this share of the page or bigger is a background, not content.
BACKGROUND_SHARE = 0.9
# Find sends what it found after this many pages or this much time, whichever is first.
FIND_PAGES_PER_STEP = 40
FIND_SECONDS_PER_STEP = 0.03


def fraction_box(rect: Any, turn: Any, width: float, height: float) -> Box:
    """``rect`` in unturned page points as fractions of the displayed page."""
    shown = rect * turn
    return (shown.x0 / width, shown.y0 / height, shown.x1 / width, shown.y1 / height)


# ---------------------------------------------------------------- page text and links


def page_text(
    handle: Any, number: int, req_id: int, doc_id: int, size: tuple[float, float]
) -> PageTextLayer:
    """Words, links and content box of page ``number`` (0-based)."""
    page = handle[number]
    width, height = size
    turn = page.rotation_matrix
    words: tuple[RawWord, ...] = tuple(
        (float(x0), float(y0), float(x1), float(y1), str(text), int(b), int(ln), int(w))
        for x0, y0, x1, y1, text, b, ln, w in page.get_text("words")
    )
    links = tuple(
        _link_area(handle, link, turn, width, height) for link in page_links(handle, page)
    )
    return PageTextLayer(req_id, doc_id, number, words, links, content_box(page, width, height))


def page_links(handle: Any, page: Any) -> list[dict[str, Any]]:
    """The links of ``page``, as PyMuPDF's ``Page.get_links()`` lists them.

    Except for named destinations: PyMuPDF resolves the first one by reading
    every name of the document (with its target page) into a table, which took
    8 to 20 seconds on a 1,600-page LaTeX manual with 49,000 names. Here each is
    looked up alone in the document's name tree, as MuPDF itself does.
    """
    import pymupdf
    from pymupdf import utils

    mu: Any = pymupdf  # some of its constants are not in its type information
    links: list[dict[str, Any]] = []
    link = page.first_link
    while link:
        uri = str(link.uri or "")
        if not link.is_external and uri.startswith("#nameddest="):
            target, _x, _y = handle.resolve_link(uri)
            links.append({"kind": mu.LINK_NAMED, "from": link.rect, "page": target, "xref": 0})
        else:
            links.append(utils.getLinkDict(link, handle))
        link = link.next
    if links and handle.is_pdf:
        kinds = [entry for entry in page.annot_xrefs() if entry[1] == mu.PDF_ANNOT_LINK]
        if len(kinds) == len(links):
            for entry, (xref, _kind, _id) in zip(links, kinds, strict=True):
                entry["xref"] = xref
    return links


def find_words(
    handle: Any, number: int, size: tuple[float, float], terms: Sequence[str]
) -> tuple[tuple[float, float, float, float, str], ...]:
    """Boxes of the words of page ``number`` (all, or those starting with one of ``terms``)."""
    import pymupdf

    wanted = normalise_terms(terms)
    page = handle[number]
    width, height = size
    turn = page.rotation_matrix
    boxes: list[tuple[float, float, float, float, str]] = []
    for x0, y0, x1, y1, word, *_rest in page.get_text("words"):
        if wanted and not word_matches(word, wanted):
            continue
        x0, x1 = trim_punctuation(word, x0, x1)
        box = fraction_box(pymupdf.Rect(x0, y0, x1, y1), turn, width, height)
        boxes.append((*box, word))
    return tuple(boxes)


def _action(handle: Any, link: dict[str, Any]) -> str:
    """The PDF action type of a link ("/Launch", "/GoToR", ...), or "" if unknown."""
    xref = link.get("xref", 0)
    if not xref:
        return ""
    try:
        kind, value = handle.xref_get_key(xref, "A/S")
    except Exception:
        return ""
    return str(value) if kind == "name" else ""


def _link_area(
    handle: Any, link: dict[str, Any], turn: Any, width: float, height: float
) -> LinkArea:
    import pymupdf

    box = fraction_box(link["from"], turn, width, height)
    kind = link.get("kind")
    # MuPDF reports Launch actions that name a file as links to another document.
    if kind == pymupdf.LINK_GOTOR and _action(handle, link) == "/Launch":
        return LinkArea(box, "launch", -1, str(link.get("file", "")))
    page = int(link.get("page", -1) or 0) if "page" in link else -1
    if kind == pymupdf.LINK_GOTO or (kind == pymupdf.LINK_NAMED and page >= 0):
        return LinkArea(box, "goto", page, top=destination_top(handle, page, link.get("to")))
    if kind == pymupdf.LINK_GOTOR:
        return LinkArea(box, "document", max(page, 0), str(link.get("file", "")))
    if kind == pymupdf.LINK_URI:
        return LinkArea(box, "uri", -1, str(link.get("uri", "")))
    if kind == pymupdf.LINK_LAUNCH:
        return LinkArea(box, "launch", -1, str(link.get("file", "")))
    return LinkArea(box, "other")


def shown_top(point: Any, size: tuple[float, float], rotation: int) -> float:
    """How far down a page displayed at ``size`` (points), turned by ``rotation``, ``point`` is.

    ``point`` is in the unturned page's coordinates (as PyMuPDF gives destinations).
    Returns a fraction of the displayed height, or -1 off the page (its top is meant).
    """
    if point is None:
        return -1.0
    height = size[1]
    x, y = float(point.x), float(point.y)
    turn = rotation % 360
    if turn == 90:
        top = x / (height or 1.0)  # the unturned page is "height" wide
    elif turn == 180:
        top = (height - y) / (height or 1.0)
    elif turn == 270:
        top = (height - x) / (height or 1.0)
    else:
        top = y / (height or 1.0)
    return top if 0.0 < top < 1.0 else -1.0


def destination_top(handle: Any, page: int, point: Any) -> float:
    """:func:`shown_top` of ``point`` on page ``page`` (0-based) of ``handle``."""
    if point is None or not 0 <= page < handle.page_count:
        return -1.0
    try:
        target = handle[page]
        size = (abs(float(target.rect.width)), abs(float(target.rect.height)))
        return shown_top(point, size, int(target.rotation))
    except Exception:
        return -1.0


def outline_entries(handle: Any) -> tuple[tuple[int, str, int, float], ...]:
    """The table of contents: (level, cleaned title, 1-based page, top of its heading)."""
    from ecip_reader.pdf.document import clean_text

    sizes, rotations = page_geometry(handle)  # read without loading a page
    entries = []
    for level, title, page, *rest in handle.get_toc(simple=False):
        where = rest[0] if rest and isinstance(rest[0], dict) else {}
        index = int(page) - 1
        top = -1.0
        if 0 <= index < len(sizes):
            top = shown_top(where.get("to"), sizes[index], rotations[index])
        entries.append((int(level), clean_text(title), int(page), top))
    return tuple(entries)


def content_box(page: Any, width: float, height: float) -> Box | None:
    """The box around everything drawn on ``page`` (text, images, lines), ignoring backgrounds."""
    import pymupdf

    area = abs(page.rect.width * page.rect.height) or 1.0
    union = None
    for kind, rect in page.get_bboxlog():
        box = pymupdf.Rect(rect)
        if box.is_empty or box.is_infinite:
            continue
        if "path" in kind and abs(box.width * box.height) >= BACKGROUND_SHARE * area:
            continue
        union = box if union is None else union | box
    if union is None:
        return None
    x0, y0, x1, y1 = fraction_box(union, page.rotation_matrix, width, height)
    return (max(0.0, x0), max(0.0, y0), min(1.0, x1), min(1.0, y1))


# ---------------------------------------------------------------- find


def _fold(text: str, match_case: bool) -> str:
    text = unicodedata.normalize("NFKC", text)
    return text if match_case else text.casefold()


def find_in_words(
    words: Sequence[Sequence[Any]], query: str, match_case: bool, whole_words: bool
) -> list[list[tuple[float, float, float, float]]]:
    """Matches of ``query`` among a page's words: each match is a list of word boxes.

    A query of several words matches consecutive words; without ``whole_words``
    the first word may end and the last word may start inside a longer word
    ("charge" finds "discharge"). Boxes are narrowed to the matched letters.
    """
    tokens = _fold(query, match_case).split()
    if not tokens:
        return []
    texts = [_fold(str(w[4]), match_case) for w in words]
    matches: list[list[tuple[float, float, float, float]]] = []
    if len(tokens) == 1:
        token = tokens[0]
        for word, text in zip(words, texts, strict=True):
            if whole_words:
                core = text.strip(PUNCTUATION)
                if core == token:
                    start = text.index(core)
                    matches.append([_part(word, text, start, start + len(core))])
                continue
            start = text.find(token)
            while start >= 0:
                matches.append([_part(word, text, start, start + len(token))])
                start = text.find(token, start + len(token))
        return matches
    count = len(tokens)
    for i in range(len(words) - count + 1):
        boxes = _multi_match(words, texts, i, tokens, whole_words)
        if boxes is not None:
            matches.append(boxes)
    return matches


def _multi_match(
    words: Sequence[Sequence[Any]],
    texts: Sequence[str],
    first: int,
    tokens: Sequence[str],
    whole_words: bool,
) -> list[tuple[float, float, float, float]] | None:
    boxes = []
    last = len(tokens) - 1
    for k, token in enumerate(tokens):
        text = texts[first + k]
        core = text.strip(PUNCTUATION)
        lead = text.index(core) if core else 0
        if k == 0 and not whole_words and text.rstrip(PUNCTUATION).endswith(token):
            end = len(text.rstrip(PUNCTUATION))
            boxes.append(_part(words[first + k], text, end - len(token), end))
        elif k == last and not whole_words and core.startswith(token):
            boxes.append(_part(words[first + k], text, lead, lead + len(token)))
        elif core == token:
            boxes.append(_part(words[first + k], text, lead, lead + len(core)))
        else:
            return None
    return boxes


Quad = tuple[float, float, float, float]


def _part(word: Sequence[Any], text: str, start: int, end: int) -> Quad:
    """The box of letters ``start``..``end`` of a word (``text`` is the word as compared)."""
    x0, y0, x1, y1 = (float(v) for v in word[:4])
    shown = str(word[4])
    left, right = letter_span(shown if len(shown) == len(text) else text, x0, x1, start, end)
    return (left, y0, right, y1)


@dataclass
class FindTask:
    """A search running through a document a few pages at a time."""

    doc: int
    request: Find
    order: list[int]
    searched: int = 0
    hits: list[tuple[int, tuple[Box, ...]]] = field(default_factory=list)

    @classmethod
    def start(cls, request: Find, page_count: int) -> FindTask:
        first = min(max(request.start_page, 0), max(page_count - 1, 0))
        order = [*range(first, page_count), *range(0, first)]
        if request.pages > 0:
            order = order[: request.pages]
        return cls(request.doc, request, order)

    def step(
        self,
        page_words: Callable[[int], tuple[Sequence[Sequence[Any]], Any, float, float]],
    ) -> FindHits:
        """Search the next pages and report what was found on them."""
        import pymupdf

        found: list[tuple[int, tuple[Box, ...]]] = []
        deadline = time.monotonic() + FIND_SECONDS_PER_STEP
        done_here = 0
        request = self.request
        while self.searched < len(self.order) and done_here < FIND_PAGES_PER_STEP:
            number = self.order[self.searched]
            self.searched += 1
            done_here += 1
            try:
                words, turn, width, height = page_words(number)
                for match in find_in_words(
                    words, request.query, request.match_case, request.whole_words
                ):
                    boxes = tuple(
                        fraction_box(pymupdf.Rect(box), turn, width, height) for box in match
                    )
                    found.append((number, boxes))
            except Exception:
                log.exception("render worker: searching page %d failed", number + 1)
            if time.monotonic() > deadline:
                break
        done = self.searched >= len(self.order)
        return FindHits(
            self.doc, request.generation, tuple(found), self.searched, len(self.order), done
        )
