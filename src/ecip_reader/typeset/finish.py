"""Finish a typeset document: rules, links, outline, metadata, deterministic save.

* ``#anchor`` links become GOTO links to the heading's page and height;
* ``doc:ID`` links become GOTOR links to ``ID.pdf``, page 1 (the reader
  follows them inside the collection);
* the outline lists every ``#`` and ``##`` heading with its page;
* metadata and dates are fixed, and the file is saved without a fresh
  document id, so the same sources always give the same bytes.
"""

from __future__ import annotations

from typing import Any

from ecip_reader.typeset.html import ANGLE_LABEL
from ecip_reader.typeset.layout import Layout
from ecip_reader.typeset.model import FrontMatter
from ecip_reader.typeset.mupdf import pymupdf
from ecip_reader.typeset.text_layer import fix_ligatures

CREATOR = "ECIP Case-Study Reader library build"
PRODUCER = "ECIP Case-Study Reader"
# Who wrote the text: this reader's summary edition, never the organisation it describes.
AUTHOR = "ECIP Case-Study Reader (summary edition)"
RULE_COLOUR = (0.68, 0.72, 0.74)


def doc_link_file(doc_id: str) -> str:
    return f"{doc_id}.pdf"


def _add_links(doc: Any, layout: Layout) -> None:
    for spot in layout.links:
        page = doc[spot.page]
        rect = pymupdf.Rect(spot.rect)
        if spot.target.startswith("#"):
            target_page, top = layout.anchors[spot.target[1:]]
            link = {
                "kind": pymupdf.LINK_GOTO,
                "from": rect,
                "page": target_page,
                "to": pymupdf.Point(0, max(top - 6, 0)),
            }
        else:
            link = {
                "kind": pymupdf.LINK_GOTOR,
                "from": rect,
                "file": doc_link_file(spot.target.removeprefix("doc:")),
                "page": 0,
                "to": pymupdf.Point(0, 0),
            }
        page.insert_link(link)


def _add_rules(doc: Any, layout: Layout) -> None:
    # Drawn beneath the existing content, so the first fill must be drawn last.
    for page_no, rect, colour in reversed(layout.fills):
        doc[page_no].draw_rect(rect, color=None, fill=colour, width=0, overlay=False)
    for page_no, x0, x1, y in layout.rules:
        doc[page_no].draw_line((x0, y), (x1, y), color=RULE_COLOUR, width=0.5)


def _outline(layout: Layout) -> list[list[Any]]:
    toc: list[list[Any]] = []
    level = 0
    for entry in layout.outline:
        # An outline may not jump from no entry (or level 1) straight to level 3.
        depth = min(entry.level, level + 1)
        level = depth
        dest = {"kind": pymupdf.LINK_GOTO, "to": pymupdf.Point(0, max(entry.top - 6, 0))}
        toc.append([depth, entry.title, entry.page + 1, dest])
    return toc


def pdf_date(day: str) -> str:
    """``2026-12-06`` as a PDF date at midnight UTC: the same source gives the same bytes."""
    return f"D:{day.replace('-', '')}000000Z"


def subject_for(meta: FrontMatter) -> str:
    """The organisation the edition is about, its angle, then the summary."""
    about = f"About {meta.organisation}." if meta.organisation else ""
    angle = f"{ANGLE_LABEL}: {meta.angle}." if meta.angle else ""
    return " ".join(p for p in (about, angle, meta.summary) if p)


def metadata_for(meta: FrontMatter) -> dict[str, str]:
    return {
        "title": meta.title,
        "author": AUTHOR,
        "subject": subject_for(meta),
        "keywords": ", ".join(meta.topics),
        "creator": CREATOR,
        "producer": PRODUCER,
        "creationDate": pdf_date(meta.updated),
        "modDate": pdf_date(meta.updated),
        "trapped": "",
        "format": "",
        "encryption": "",
    }


def finish(layout: Layout, meta: FrontMatter, page_mode: str = "UseOutlines") -> bytes:
    """Return the finished PDF bytes."""
    doc = pymupdf.open("pdf", layout.pdf)
    try:
        doc.subset_fonts()
        fix_ligatures(doc)
        _add_rules(doc, layout)
        _add_links(doc, layout)
        doc.set_toc(_outline(layout))
        doc.set_metadata(metadata_for(meta))
        doc.set_pagemode(page_mode)
        # set_language keeps only "en"; the catalogue entry takes the full tag.
        doc.xref_set_key(doc.pdf_catalog(), "Lang", "(en-GB)")
        data: bytes = doc.tobytes(garbage=4, deflate=True, clean=True, no_new_id=True)
    finally:
        doc.close()
    return data
