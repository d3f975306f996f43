"""Reading a PDF's pages for the reflow reading view (runs in a worker process).

:func:`reflow_document` reads the text with its font sizes and turns every page
into a few kinds of block (:mod:`ecip_reader.pdf.reflow_text`): headings are told
apart by their size against the body text, list items by their bullet or
number; links keep their target (another page, another PDF, or a web address,
which the reader only shows). Running heads, footers and page numbers are left
out.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

from ecip_reader.pdf.document import open_pdf
from ecip_reader.pdf.reflow_text import (
    BULLET,
    FILE_LINK,
    HEADING,
    ITEM,
    PAGE_LINK,
    PARAGRAPH,
    SUBHEADING,
    WEB_LINK,
    Block,
    ReflowPage,
    Run,
)

MAX_PAGES = 5000  # longer documents are reflowed up to this page
_SAMPLE_PAGES = 40  # pages read to learn the size of the body text
_MARGIN = 0.07  # running heads and footers live in the top and bottom 7 % of a page


def reflow_document(path: str, password: str | None = None) -> list[ReflowPage]:
    """Every page of ``path`` (up to :data:`MAX_PAGES`) as reflowable blocks.

    Raises :class:`~ecip_reader.errors.DocumentError` when the file cannot be opened.
    """
    doc = open_pdf(Path(path), password)
    try:
        count = min(doc.page_count, MAX_PAGES)
        pages = [_page_lines(doc[number]) for number in range(count)]
        body = _body_size(line for lines in pages[:_SAMPLE_PAGES] for line in lines)
        return [ReflowPage(number + 1, _blocks(lines, body)) for number, lines in enumerate(pages)]
    finally:
        doc.close()


@dataclass(frozen=True)
class _Line:
    block: int
    size: float
    bold: bool
    runs: tuple[Run, ...]
    in_margin: bool

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def _links(page: Any) -> list[tuple[Any, str]]:
    found = []
    for link in page.get_links():
        page_number = link.get("page")
        if link.get("uri"):
            found.append((link["from"], WEB_LINK + str(link["uri"])))
        elif link.get("kind") == pymupdf.LINK_GOTOR and link.get("file"):
            target = max(int(page_number), 0) + 1 if isinstance(page_number, int) else 1
            found.append((link["from"], f"{FILE_LINK}{link['file']}#{target}"))
        elif link.get("kind") == pymupdf.LINK_GOTO and isinstance(page_number, int):
            found.append((link["from"], f"{PAGE_LINK}{page_number + 1}"))
    return found


def _target(bbox: Any, links: Sequence[tuple[Any, str]]) -> str:
    """The link covering most of a span, if any covers half of it."""
    rect = pymupdf.Rect(bbox)
    area = max(rect.get_area(), 1e-6)
    for link_rect, target in links:
        if (rect & link_rect).get_area() >= area / 2:
            return target
    return ""


def _page_lines(page: Any) -> list[_Line]:
    links = _links(page)
    height = float(page.rect.height) or 1.0
    lines: list[_Line] = []
    data = page.get_text("dict", sort=True)
    for number, block in enumerate(data.get("blocks", [])):
        if block.get("type") != 0:
            continue
        for line in block.get("lines", []):
            spans = [s for s in line.get("spans", []) if s.get("text", "").strip()]
            if not spans:
                continue
            runs: list[Run] = []
            for span in spans:
                text = unicodedata.normalize("NFC", span["text"]).replace("\u00ad", "")
                target = _target(span["bbox"], links)
                if runs and runs[-1].link == target:
                    runs[-1] = Run(runs[-1].text + text, target)
                else:
                    runs.append(Run(text, target))
            chars = sum(len(s["text"]) for s in spans)
            size = sum(float(s["size"]) * len(s["text"]) for s in spans) / max(chars, 1)
            bold = all(int(s.get("flags", 0)) & 16 for s in spans)
            top, bottom = float(line["bbox"][1]), float(line["bbox"][3])
            in_margin = bottom < height * _MARGIN or top > height * (1 - _MARGIN)
            lines.append(_Line(number, round(size, 1), bold, tuple(runs), in_margin))
    return lines


def _body_size(lines: Iterable[_Line]) -> float:
    """The size most of the text is set in."""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size * 2) / 2] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 11.0


def _kind(line: _Line, body: float) -> str:
    if line.size >= body * 1.6:
        return HEADING
    if line.size >= body * 1.15 or (line.bold and len(line.text) < 90):
        return SUBHEADING
    return ITEM if BULLET.match(line.text) else PARAGRAPH


def _join(runs: list[Run], more: Iterable[Run]) -> None:
    """Append ``more`` after a space, merging runs that share a link."""
    for index, run in enumerate(more):
        text = run.text if index else " " + run.text.lstrip()
        if runs and runs[-1].link == run.link:
            runs[-1] = Run(runs[-1].text + text, run.link)
        else:
            runs.append(Run(text, run.link))


def _blocks(lines: Sequence[_Line], body: float) -> tuple[Block, ...]:
    blocks: list[Block] = []
    kind = ""
    runs: list[Run] = []
    last_block = -1

    def flush() -> None:
        if runs:
            text = "".join(r.text for r in runs).strip()
            if text:
                blocks.append(Block(kind, tuple(_strip(runs))))
        runs.clear()

    for line in lines:
        small = line.size < body * 0.9
        if line.in_margin and small:
            continue  # a running head, footer or page number
        line_kind = _kind(line, body)
        starts_new = (
            line.block != last_block
            or line_kind != kind
            or line_kind == ITEM
            or (line_kind in (HEADING, SUBHEADING) and kind not in (HEADING, SUBHEADING))
        )
        if line_kind == PARAGRAPH and kind == ITEM and line.block == last_block:
            starts_new = False  # the next line of a list item
            line_kind = ITEM
        if starts_new:
            flush()
            kind = line_kind
            runs.extend(line.runs)
        else:
            _join(runs, line.runs)
        last_block = line.block
    flush()
    return tuple(blocks)


def _strip(runs: list[Run]) -> list[Run]:
    """The runs without the spaces at the two ends of the block."""
    stripped = list(runs)
    stripped[0] = Run(stripped[0].text.lstrip(), stripped[0].link)
    stripped[-1] = Run(stripped[-1].text.rstrip(), stripped[-1].link)
    return [run for run in stripped if run.text]
