"""Typeset a presentation as 16:9 slides, one ``#`` heading per slide.

The first slide is the title slide: white type on NHS blue, with the edition
notice at its foot. Every other slide has its title at the top, its body in
large type (shrunk a step at a time if it would not fit, never below 18 pt),
an optional ``Notes:`` paragraph printed small at the foot, and a footer with
the slide number.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape
from typing import Any

from ecip_reader.typeset.html import (
    EDITION_LABEL,
    FOOTER_TEXT,
    NO_ORGANISATION,
    SLIDE_CSS,
    angle_line,
    block_html,
    inline_html,
    meta_line,
    notice_for,
)
from ecip_reader.typeset.layout import Layout, Recorder, draw_text
from ecip_reader.typeset.model import (
    Block,
    Box,
    Heading,
    Paragraph,
    SourceDocument,
    SpeakerNote,
    Text,
)
from ecip_reader.typeset.mupdf import pymupdf
from ecip_reader.typeset.sources import SourceError

SLIDE = pymupdf.Rect(0, 0, 960, 540)
MARGIN = 60.0
CONTENT = pymupdf.Rect(MARGIN, 0, SLIDE.x1 - MARGIN, SLIDE.y1)
TITLE_TOP = 52.0
FOOTER_Y = 510.0
NOTES_BOTTOM = FOOTER_Y - 12
BODY_SIZES = (24, 22, 20, 18)
BLUE_FILL = (0.0, 0.369, 0.722)
DARK_FILL = (0.0, 0.188, 0.529)
OVERVIEW_TITLE = "In this presentation"
OVERVIEW_ANCHOR = "in-this-presentation"


@dataclass(frozen=True)
class Slide:
    heading: Heading
    body: tuple[Block, ...]
    notes: tuple[SpeakerNote, ...]


def split_slides(doc: SourceDocument) -> list[Slide]:
    """Group the blocks of a presentation into slides.

    A ``:::summary`` box before the first heading becomes an "In this
    presentation" slide straight after the title slide.
    """
    slides: list[Slide] = []
    overview: Slide | None = None
    current: Heading | None = None
    body: list[Block] = []
    notes: list[SpeakerNote] = []
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 1:
            if current is not None:
                slides.append(Slide(current, tuple(body), tuple(notes)))
            current, body, notes = block, [], []
        elif current is None:
            if not (isinstance(block, Box) and block.kind == "summary" and overview is None):
                raise SourceError(doc.path, block.line, "text before the first '# ' slide heading")
            heading = Heading(1, (Text(OVERVIEW_TITLE),), OVERVIEW_ANCHOR, block.line)
            overview = Slide(heading, block.blocks, ())
        elif isinstance(block, SpeakerNote):
            notes.append(block)
        else:
            body.append(block)
    if current is not None:
        slides.append(Slide(current, tuple(body), tuple(notes)))
    if not slides:
        raise SourceError(doc.path, None, "a presentation needs at least one '# ' slide heading")
    if overview is not None:
        slides.insert(1, overview)
    return slides


def slide_headings(doc: SourceDocument) -> list[Heading]:
    """The headings of every slide in order, with their ``##`` sub-headings."""
    headings: list[Heading] = []
    for slide in split_slides(doc):
        headings.append(slide.heading)
        headings.extend(b for b in slide.body if isinstance(b, Heading))
    return headings


def _story(html: str, em: float) -> Any:
    return pymupdf.Story(f"<body>{html}</body>", user_css=SLIDE_CSS, em=em)


def _place(story: Any, rect: Any, dev: Any, recorder: Recorder, page: int) -> float:
    """Place ``story`` in ``rect`` and draw it; return the bottom of what was set."""
    _more, filled = story.place(rect)
    story.element_positions(recorder.callback(page))
    story.draw(dev)
    return float(filled[3])


def _fits(html: str, em: float, rect: Any) -> bool:
    more, _filled = _story(html, em).place(rect)
    return not more


def _measure(html: str, em: float, width_rect: Any) -> float:
    _more, filled = _story(html, em).place(width_rect)
    return float(filled[3] - filled[1])


def _notes_html(slide: Slide) -> str:
    return "".join(block_html(n) for n in slide.notes)


def _title_slide(
    dev: Any, doc: SourceDocument, slide: Slide, layout: Layout, rec: Recorder
) -> None:
    """The title, angle and organisation from the front matter, and the edition notice."""
    layout.fills.append((0, (SLIDE.x0, SLIDE.y0, SLIDE.x1, SLIDE.y1), BLUE_FILL))
    layout.fills.append((0, (SLIDE.x0, 400, SLIDE.x1, SLIDE.y1), DARK_FILL))
    meta = doc.meta
    if any(isinstance(b, Paragraph) for b in slide.body):
        raise SourceError(
            doc.path,
            slide.heading.line,
            "the title slide takes its title and angle from the front matter; "
            "move its paragraphs to a later slide",
        )
    angle = angle_line(meta)
    html = (
        f'<h1 id="{slide.heading.anchor}" class="cover-title">{escape(meta.title)}</h1>'
        + (f'<p class="cover-sub">{escape(angle)}</p>' if angle else "")
        + f'<p class="cover-org">{escape(meta.organisation or NO_ORGANISATION)}</p>'
        f'<p class="cover-meta">{escape(meta_line(meta))}</p>'
        + "".join(f'<p class="cover-meta">{inline_html(n.content)}</p>' for n in slide.notes)
    )
    # Centre the title block in the blue area above the band holding the notice.
    height = _measure(html, 24, pymupdf.Rect(MARGIN, 0, CONTENT.x1, 1000))
    top = max(30.0, (400 - height) / 2)
    _place(_story(html, 24), pymupdf.Rect(MARGIN, top, CONTENT.x1, 395), dev, rec, 0)
    notice = (
        f'<p class="cover-edition">{EDITION_LABEL} · NOT THE ORIGINAL PRESENTATION</p>'
        f'<p class="cover-notice">{escape(notice_for(meta))}</p>'
    )
    _place(_story(notice, 11), pymupdf.Rect(MARGIN, 412, CONTENT.x1, 530), dev, rec, 0)


def _content_slide(
    dev: Any, doc: SourceDocument, slide: Slide, page: int, layout: Layout, rec: Recorder
) -> None:
    heading = slide.heading
    draw_text(dev, pymupdf.Rect(MARGIN, 20, CONTENT.x1, 38), doc.meta.title, size=10)
    title_html = f'<h1 id="{heading.anchor}">{inline_html(heading.content)}</h1>'
    title_bottom = _place(
        _story(title_html, 24),
        pymupdf.Rect(MARGIN + 16, TITLE_TOP, CONTENT.x1, 200),
        dev,
        rec,
        page,
    )
    layout.fills.append((page, (MARGIN, TITLE_TOP + 4, MARGIN + 6, title_bottom - 4), BLUE_FILL))
    notes_top = NOTES_BOTTOM
    notes = _notes_html(slide)
    if notes:
        height = _measure(notes, 12, pymupdf.Rect(MARGIN, 0, CONTENT.x1, 400))
        notes_top = NOTES_BOTTOM - height
        layout.rules.append((page, MARGIN, CONTENT.x1, notes_top - 8))
        _place(
            _story(notes, 12),
            pymupdf.Rect(MARGIN, notes_top, CONTENT.x1, NOTES_BOTTOM + 2),
            dev,
            rec,
            page,
        )
    body_html = "".join(block_html(b) for b in slide.body)
    if body_html:
        body_rect = pymupdf.Rect(MARGIN + 16, title_bottom + 26, CONTENT.x1, notes_top - 16)
        size = next((s for s in BODY_SIZES if _fits(body_html, s, body_rect)), None)
        if size is None:
            raise SourceError(
                doc.path, heading.line, f"the slide '{heading.text}' has too much text to fit"
            )
        _place(_story(body_html, size), body_rect, dev, rec, page)


def typeset_slides(doc: SourceDocument) -> Layout:
    """Typeset a presentation; one page per ``#`` heading."""
    slides = split_slides(doc)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    layout = Layout(b"", len(slides))
    recorder = Recorder(slide_headings(doc), layout)
    for page, slide in enumerate(slides):
        dev = writer.begin_page(SLIDE)
        if page == 0:
            _title_slide(dev, doc, slide, layout, recorder)
        else:
            _content_slide(dev, doc, slide, page, layout, recorder)
            footer = pymupdf.Rect(MARGIN, FOOTER_Y, CONTENT.x1, FOOTER_Y + 14)
            draw_text(dev, footer, FOOTER_TEXT, size=10)
            draw_text(dev, footer, f"Slide {page + 1} of {len(slides)}", right=True, size=10)
        writer.end_page()
    writer.close()
    layout.pdf = buffer.getvalue()
    return layout
