"""Typeset an A4 document with ``pymupdf.Story`` and record where things landed.

The text flows from page to page inside one body rectangle; a running header
(the title, from page 2) and a footer (the collection line and "Page N of M")
are set on every page. Layout runs twice: the first pass counts the pages so
that the second can print "of M". Heading and link positions come from the
story's element positions and are used later for the outline and the links.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ecip_reader.typeset.html import (
    FOOTER_TEXT,
    PAGE_CSS,
    RUNNING_CSS,
    document_html,
    running_html,
)
from ecip_reader.typeset.model import Heading, SourceDocument
from ecip_reader.typeset.mupdf import pymupdf

A4 = pymupdf.Rect(0, 0, 595.28, 841.89)
BODY = pymupdf.Rect(102, 72, 493.28, 778)
HEADER = pymupdf.Rect(102, 40, 493.28, 58)
FOOTER_Y = 792.0
RULE_GAP = 6.0
# A heading needs this much room below it (about two lines of text) on its page.
ORPHAN_ROOM = 36.0


@dataclass(frozen=True)
class OutlineEntry:
    level: int
    title: str
    page: int  # 0-based
    top: float


@dataclass(frozen=True)
class LinkSpot:
    page: int  # 0-based
    rect: tuple[float, float, float, float]
    target: str


@dataclass
class Layout:
    """A typeset document before finishing: raw PDF bytes plus positions."""

    pdf: bytes
    pages: int
    outline: list[OutlineEntry] = field(default_factory=list)
    anchors: dict[str, tuple[int, float]] = field(default_factory=dict)  # id -> (page, top)
    heading_bottoms: dict[str, float] = field(default_factory=dict)  # id -> bottom on its page
    links: list[LinkSpot] = field(default_factory=list)
    rules: list[tuple[int, float, float, float]] = field(default_factory=list)  # page, x0, x1, y
    # Filled rectangles drawn beneath the text: page, (x0, y0, x1, y1), RGB colour.
    fills: list[tuple[int, tuple[float, float, float, float], tuple[float, float, float]]] = field(
        default_factory=list
    )


class Recorder:
    """Collects headings and links from ``Story.element_positions``."""

    def __init__(self, headings: list[Heading], layout: Layout) -> None:
        self.by_anchor = {h.anchor: h for h in headings}
        self.layout = layout

    def add_link(self, spot: LinkSpot) -> None:
        """Record a link; a word-by-word run of one link on one line becomes one rectangle."""
        links = self.layout.links
        if links:
            last = links[-1]
            same_line = (
                abs(last.rect[1] - spot.rect[1]) < 0.5 and abs(last.rect[3] - spot.rect[3]) < 0.5
            )
            touching = 0 <= spot.rect[0] - last.rect[2] < 1.0
            if last.page == spot.page and last.target == spot.target and same_line and touching:
                x0, y0, _x1, y1 = last.rect
                links[-1] = LinkSpot(spot.page, (x0, y0, spot.rect[2], y1), spot.target)
                return
        links.append(spot)

    def callback(self, page: int) -> Callable[[Any], None]:
        def record(position: Any) -> None:
            if not position.open_close & 1:
                return
            x0, y0, x1, y1 = position.rect
            if position.heading and position.id in self.by_anchor:
                heading = self.by_anchor[position.id]
                if position.id not in self.layout.anchors:
                    self.layout.anchors[position.id] = (page, y0)
                    self.layout.heading_bottoms[position.id] = y1
                    self.layout.outline.append(OutlineEntry(heading.level, heading.text, page, y0))
            if position.href:
                self.add_link(LinkSpot(page, (x0, y0, x1, y1), position.href))

        return record


def draw_text(dev: Any, rect: Any, text: str, right: bool = False, size: float = 8) -> None:
    """Set one line of running text in ``rect``."""
    css = f"{RUNNING_CSS} body {{ font-size: {size}pt; }}"
    story = pymupdf.Story(running_html(text, right), user_css=css, em=size)
    story.place(rect)
    story.draw(dev)


def page_furniture(dev: Any, layout: Layout, title: str, page: int, total: int | None) -> None:
    """The running header (from page 2) and the footer of an A4 page."""
    if page > 0:
        draw_text(dev, HEADER, title)
        layout.rules.append((page, HEADER.x0, HEADER.x1, HEADER.y1 + 1))
    footer = pymupdf.Rect(BODY.x0, FOOTER_Y, BODY.x1, FOOTER_Y + 14)
    draw_text(dev, footer, FOOTER_TEXT)
    if total is not None:
        draw_text(dev, footer, f"Page {page + 1} of {total}", right=True)
    layout.rules.append((page, BODY.x0, BODY.x1, FOOTER_Y - RULE_GAP))


def _typeset(doc: SourceDocument, total: int | None, breaks: frozenset[str]) -> Layout:
    html = document_html(doc.meta, doc.blocks, breaks)
    story = pymupdf.Story(html, user_css=PAGE_CSS, em=11)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    layout = Layout(b"", 0)
    recorder = Recorder(doc.headings, layout)
    more = True
    page = 0
    while more:
        dev = writer.begin_page(A4)
        more, _filled = story.place(BODY)
        story.element_positions(recorder.callback(page))
        story.draw(dev)
        page_furniture(dev, layout, doc.meta.title, page, total)
        writer.end_page()
        page += 1
    writer.close()
    layout.pdf = buffer.getvalue()
    layout.pages = page
    return layout


def orphaned_headings(doc: SourceDocument, layout: Layout) -> set[str]:
    """Anchors of headings left at the foot of a page with no room for text below.

    For a run of headings (a ``#`` straight above a ``##``) the first of the
    run is returned, so the whole run moves to the next page together.
    """
    found: set[str] = set()
    run_start: Heading | None = None
    for block in doc.blocks:
        if not isinstance(block, Heading):
            run_start = None
            continue
        run_start = run_start or block
        bottom = layout.heading_bottoms.get(block.anchor)
        _page, top = layout.anchors.get(block.anchor, (0, BODY.y0))
        if bottom is not None and bottom > BODY.y1 - ORPHAN_ROOM and top > BODY.y0 + 1:
            found.add(run_start.anchor)
    return found


def typeset_pages(doc: SourceDocument) -> Layout:
    """Typeset an A4 document (case study, supporting document, about).

    Headings stranded at the foot of a page are moved to the next one; the
    final pass knows the page count for the "Page N of M" footers.
    """
    breaks: frozenset[str] = frozenset()
    first = _typeset(doc, None, breaks)
    for _attempt in range(6):
        more = orphaned_headings(doc, first) - breaks
        if not more:
            break
        breaks = breaks | more
        first = _typeset(doc, None, breaks)
    final = _typeset(doc, first.pages, breaks)
    if final.pages != first.pages:
        raise RuntimeError(f"{doc.path.name}: page count changed between layout passes")
    return final
