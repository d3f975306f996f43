"""Every PDF the tests build, in one place: small documents with known text, links and shapes."""

from __future__ import annotations

from pathlib import Path

import pymupdf

A4 = (595, 842)


def text_pdf(
    pages: list[str],
    fontsize: float = 12,
    box: tuple[float, float, float, float] = (72, 72, 523, 770),
) -> pymupdf.Document:
    """An unsaved A4 document, one page per text, each text wrapped in ``box``."""
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page(width=A4[0], height=A4[1])
        page.insert_textbox(pymupdf.Rect(*box), text, fontsize=fontsize)
    return doc


def write_text_pdf(
    path: Path,
    pages: list[str],
    title: str = "",
    author: str = "",
    fontsize: float = 11,
    box: tuple[float, float, float, float] = (72, 72, 523, 770),
) -> Path:
    """An A4 PDF at ``path``, one page per text, with a title and author in its metadata."""
    doc = text_pdf(pages, fontsize, box)
    doc.set_metadata({"title": title, "author": author})
    doc.save(path)
    doc.close()
    return path


def write_html_pdf(path: Path, pages: list[str], title: str = "") -> Path:
    """A PDF whose text MuPDF lays out with its own fonts, so any script shows (one page
    per text)."""
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page(width=A4[0], height=A4[1])
        page.insert_htmlbox(pymupdf.Rect(72, 72, 523, 770), f"<p>{text}</p>")
    doc.set_metadata({"title": title})
    doc.save(path)
    doc.close()
    return path


LINES = (
    "Alpha beta gamma delta epsilon.",
    "Patients were discharged home early.",
    "See the target page for details.",
)


def write_reading_pdf(folder: Path) -> Path:
    """Four A4 pages with an outline, text on known lines and every kind of link."""
    other = pymupdf.open()
    for text in ("Other document, first page.", "Other document, second page."):
        other.new_page(width=595, height=842).insert_text((72, 100), text, fontsize=14)
    other.save(folder / "other.pdf")
    other.close()
    doc = pymupdf.open()
    for number in range(4):
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 60), f"Chapter {number + 1}", fontsize=20)
        for row, text in enumerate(LINES):
            page.insert_text((72, 120 + row * 30), text, fontsize=14)
        if number == 1:
            page.insert_text((72, 400), "Discharge DISCHARGE undischarged charge", fontsize=14)
    first = doc[0]
    first.insert_text((72, 300), "Jump to page three", fontsize=14)
    first.insert_link(
        {"kind": pymupdf.LINK_GOTO, "from": pymupdf.Rect(70, 285, 300, 305), "page": 2}
    )
    first.insert_text((72, 340), "Visit the web site", fontsize=14)
    first.insert_link(
        {
            "kind": pymupdf.LINK_URI,
            "from": pymupdf.Rect(70, 325, 300, 345),
            "uri": "https://example.org/flow",
        }
    )
    first.insert_text((72, 380), "Run the program", fontsize=14)
    first.insert_link(
        {"kind": pymupdf.LINK_LAUNCH, "from": pymupdf.Rect(70, 365, 300, 385), "file": "calc.exe"}
    )
    first.insert_text((72, 420), "Open the other document", fontsize=14)
    first.insert_link(
        {
            "kind": pymupdf.LINK_GOTOR,
            "from": pymupdf.Rect(70, 405, 300, 425),
            "file": "other.pdf",
            "page": 1,
        }
    )
    doc.set_toc(
        [
            [1, "Chapter 1", 1],
            [1, "Chapter 2", 2],
            [2, "Discharge", 2],
            [1, "Chapter 3", 3],
            [1, "Chapter 4", 4],
        ]
    )
    path = folder / "reading.pdf"
    doc.save(path)
    doc.close()
    return path


def write_long_pdf(path: Path, pages: int, needle_every: int = 10) -> Path:
    """A long document; every ``needle_every``-th page mentions "escalation"."""
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page(width=595, height=842)
        text = f"Page {number + 1} of the long report on patient flow."
        if number % needle_every == 0:
            text += " The escalation plan applies here."
        page.insert_text((72, 100), text, fontsize=12)
    doc.save(path)
    doc.close()
    return path


def write_slides_pdf(path: Path, count: int = 5) -> Path:
    """A 16:9 slide deck (960 × 540 points), each slide with a big number."""
    doc = pymupdf.open()
    for number in range(count):
        page = doc.new_page(width=960, height=540)
        page.draw_rect(page.rect, color=None, fill=(0.1, 0.3, 0.6))
        page.insert_text((80, 300), f"Slide {number + 1}", fontsize=72, color=(1, 1, 1))
    doc.save(path)
    doc.close()
    return path


def write_linked_pdf(path: Path, pages: int = 3, rotate: int = 0) -> Path:
    """Small pages with a word, a black box and a link from page 1 to page 3."""
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page(width=400, height=600)
        page.insert_text((100, 150), f"Escalation plan {number + 1}", fontsize=12)
        page.draw_rect(pymupdf.Rect(100, 400, 300, 450), color=(0, 0, 0), fill=(0, 0, 0))
        if rotate:
            page.set_rotation(rotate)
    doc[0].insert_link(
        {"kind": pymupdf.LINK_GOTO, "from": pymupdf.Rect(100, 140, 200, 155), "page": 2}
    )
    doc.save(path)
    doc.close()
    return path


def write_hits_pdf(path: Path) -> Path:
    """Five A4 pages; page 3 mentions "escalation" at its very bottom, page 4 at its top."""
    doc = pymupdf.open()
    for number in range(5):
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 80), f"Section {number + 1} of the flow report.", fontsize=14)
        if number == 2:
            page.insert_text((72, 800), "The escalation plan starts here.", fontsize=14)
        if number == 3:
            page.insert_text((72, 110), "Escalation again, near the top.", fontsize=14)
    doc.save(path)
    doc.close()
    return path
