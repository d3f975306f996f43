"""Fixtures for the reading and teaching tools: a render worker, views, and test PDFs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pymupdf
import pytest
from pytestqt.qtbot import QtBot

from ecip_reader.ui.reader.view import DocumentView
from ecip_reader.ui.render.client import RenderClient

WAIT = 20_000  # ms; generous for a loaded two-core machine

ViewMaker = Callable[..., DocumentView]

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


@pytest.fixture
def reading_pdf(tmp_path: Path) -> Path:
    return write_reading_pdf(tmp_path)


@pytest.fixture
def client(qtbot: QtBot) -> Iterator[RenderClient]:
    made = RenderClient()
    yield made
    made.close()


@pytest.fixture
def make_view(qtbot: QtBot, client: RenderClient) -> Iterator[ViewMaker]:
    views: list[DocumentView] = []

    def make(path: Path, size: tuple[int, int] = (700, 600)) -> DocumentView:
        view = DocumentView(client, path, path.stem, path.stem.replace("-", " ").title())
        qtbot.addWidget(view)
        view.resize(*size)
        with qtbot.waitSignal(view.first_page_sharp, timeout=WAIT):
            view.show()
        views.append(view)
        return view

    yield make
    for view in views:
        view.close_document()
