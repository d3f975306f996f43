"""The reflow reading view's text: pages as headings, paragraphs, list items and links.

The model of reflowed pages, and :func:`reflow_html`, which turns them into
the HTML the view shows, marking search words and the quoted text of notes.
This module does not load PyMuPDF, so the window can use it;
:mod:`ecip_reader.pdf.reflow` reads the pages, in a worker process.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ecip_reader.pdf.render_protocol import normalise_terms, word_matches

HEADING, SUBHEADING, PARAGRAPH, ITEM = "h1", "h2", "p", "li"
PAGE_LINK = "page:"  # a link to a page of the same document: "page:3"
FILE_LINK = "file:"  # a link to another PDF: "file:other.pdf#2"
WEB_LINK = "uri:"
# A dash is left out: a wrapped line of prose often starts with one.
BULLET = re.compile(r"^\s*(?:[•◦▪▫‣⁃∙·*]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Run:
    """A stretch of text with one link target (empty: no link)."""

    text: str
    link: str = ""


@dataclass(frozen=True)
class Block:
    kind: str  # HEADING, SUBHEADING, PARAGRAPH or ITEM
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class ReflowPage:
    number: int  # 1-based
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ReflowNote:
    """A note to show in the reflowed text: its quote is marked, its text follows."""

    page: int  # 1-based
    quote: str
    note: str
    colour: str  # "#rrggbb"


# ---------------------------------------------------------------- HTML for the view


@dataclass(frozen=True)
class ReflowColours:
    text: str
    background: str
    link: str
    muted: str
    hit: str  # background of a search word
    hit_text: str


# Dark text on white, for use without a theme (exports, tests).
PLAIN = ReflowColours("#1a1a1a", "#ffffff", "#0b57a4", "#555555", "#ffd54f", "#000000")


def page_anchor(number: int) -> str:
    return f"page-{number}"


def page_label(number: int, total: int) -> str:
    return f"Page {number} of {total}"


def _mark_words(text: str, terms: Sequence[str], colours: ReflowColours) -> str:
    """``text`` escaped, with every word matching a search term marked."""
    if not terms:
        return html.escape(text, quote=False)
    out: list[str] = []
    end = 0
    for match in _WORD.finditer(text):
        out.append(html.escape(text[end : match.start()], quote=False))
        word = html.escape(match.group(0), quote=False)
        if word_matches(match.group(0), terms):
            word = (
                f'<span style="background-color:{colours.hit};color:{colours.hit_text}">'
                f"{word}</span>"
            )
        out.append(word)
        end = match.end()
    out.append(html.escape(text[end:], quote=False))
    return "".join(out)


def _run_html(run: Run, terms: Sequence[str], colours: ReflowColours) -> str:
    inner = _mark_words(run.text, terms, colours)
    if not run.link:
        return inner
    return f'<a href="{html.escape(run.link)}" style="color:{colours.link}">{inner}</a>'


def _block_html(
    block: Block, terms: Sequence[str], notes: Sequence[ReflowNote], colours: ReflowColours
) -> str:
    inner = "".join(_run_html(run, terms, colours) for run in block.runs)
    flat = " ".join(block.text.split())
    callouts = []
    for note in notes:
        quote = " ".join(note.quote.split())
        if quote and quote in flat:
            escaped = html.escape(quote, quote=False)
            marked = f'<span style="background-color:{note.colour};color:#1a1a1a">{escaped}</span>'
            if escaped in inner:
                inner = inner.replace(escaped, marked, 1)
            if note.note.strip():
                callouts.append(note)
    tag = "li" if block.kind == ITEM else block.kind
    if block.kind == ITEM:
        inner = BULLET.sub("", inner, count=1)
    result = f"<{tag}>{inner}</{tag}>"
    if block.kind == ITEM:
        result = f"<ul>{result}</ul>"
    return result + "".join(_callout(note, colours) for note in callouts)


def _callout(note: ReflowNote, colours: ReflowColours) -> str:
    """A note's own text, set apart under the paragraph it belongs to."""
    return (
        f'<p style="margin-left:2em;color:{colours.muted}">'
        f'<span style="background-color:{note.colour};color:#1a1a1a">&nbsp;Note&nbsp;</span> '
        f"{html.escape(note.note.strip(), quote=False)}</p>"
    )


def reflow_html(
    pages: Sequence[ReflowPage],
    total: int,
    terms: Iterable[str] = (),
    notes: Iterable[ReflowNote] = (),
    colours: ReflowColours | None = None,
) -> str:
    """The whole reflowed document as HTML, with an anchor and a label per page."""
    colours = colours or PLAIN
    words = normalise_terms(terms)
    by_page: Mapping[int, list[ReflowNote]] = _notes_by_page(notes)
    parts = [f'<body style="color:{colours.text};background-color:{colours.background}">']
    for page in pages:
        parts.append(
            f'<p style="color:{colours.muted};font-size:small;margin-top:1.5em">'
            f'<a name="{page_anchor(page.number)}"></a>{page_label(page.number, total)}</p>'
        )
        page_notes = by_page.get(page.number, [])
        for block in page.blocks:
            parts.append(_block_html(block, words, page_notes, colours))
        if not page.blocks:
            parts.append(f'<p style="color:{colours.muted}">(No text on this page.)</p>')
        # Sticky notes belong to the page, not to a passage: they follow its text.
        parts.extend(
            _callout(note, colours)
            for note in page_notes
            if not note.quote.strip() and note.note.strip()
        )
    parts.append("</body>")
    return "".join(parts)


def _notes_by_page(notes: Iterable[ReflowNote]) -> dict[int, list[ReflowNote]]:
    found: dict[int, list[ReflowNote]] = {}
    for note in notes:
        found.setdefault(note.page, []).append(note)
    return found
