"""The reflow text of a page: headings, paragraphs, list items and links, as a reader needs them."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from ecip_reader.errors import DocumentError
from ecip_reader.pdf.reflow import reflow_document
from ecip_reader.pdf.reflow_text import (
    HEADING,
    ITEM,
    PARAGRAPH,
    SUBHEADING,
    ReflowNote,
    reflow_html,
)


def write_structured_pdf(path: Path) -> Path:
    """Two A4 pages: a title, a sub-heading, prose, a list, links and a page number."""
    doc = pymupdf.open()
    for _ in range(2):
        doc.new_page(width=595, height=842)
    first, second = doc[0], doc[1]
    first.insert_text((72, 90), "Discharge planning", fontsize=24)
    first.insert_text((72, 130), "Why it matters", fontsize=15)
    first.insert_text((72, 160), "Patients leave hospital sooner when the plan", fontsize=11)
    first.insert_text((72, 174), "starts on the day they arrive.", fontsize=11)
    first.insert_text((72, 210), "• Set an expected date of discharge", fontsize=11)
    first.insert_text((72, 226), "• Review it every day at the board round", fontsize=11)
    first.insert_text((72, 262), "Read the next page for the checklist.", fontsize=11)
    first.insert_link(
        {"kind": pymupdf.LINK_GOTO, "from": pymupdf.Rect(70, 250, 330, 266), "page": 1}
    )
    first.insert_text((72, 290), "Visit the improvement hub for more.", fontsize=11)
    first.insert_link(
        {
            "kind": pymupdf.LINK_URI,
            "from": pymupdf.Rect(70, 278, 330, 294),
            "uri": "https://example.org/hub",
        }
    )
    first.insert_text((280, 820), "1", fontsize=8)  # a page number in the footer
    second.insert_text((72, 90), "The checklist", fontsize=24)
    second.insert_text((72, 130), "Transport is booked the day before.", fontsize=11)
    doc.save(path)
    doc.close()
    return path


def test_pages_become_headings_paragraphs_items_and_links(tmp_path: Path) -> None:
    pages = reflow_document(str(write_structured_pdf(tmp_path / "plan.pdf")))
    assert [p.number for p in pages] == [1, 2]
    blocks = [(b.kind, b.text) for b in pages[0].blocks]
    assert blocks[:3] == [
        (HEADING, "Discharge planning"),
        (SUBHEADING, "Why it matters"),
        (PARAGRAPH, "Patients leave hospital sooner when the plan starts on the day they arrive."),
    ]
    # Two list items (the base font draws the bullet as a middle dot).
    assert [kind for kind, _text in blocks[3:5]] == [ITEM, ITEM]
    assert blocks[3][1].endswith(" Set an expected date of discharge")
    assert blocks[4][1].endswith(" Review it every day at the board round")
    links = {run.text: run.link for b in pages[0].blocks for run in b.runs if run.link}
    assert links == {
        "Read the next page for the checklist.": "page:2",
        "Visit the improvement hub for more.": "uri:https://example.org/hub",
    }
    # The footer's page number is not text to read.
    assert all(b.text != "1" for b in pages[0].blocks)
    assert [b.kind for b in pages[1].blocks] == [HEADING, PARAGRAPH]


def test_html_marks_search_words_and_notes_and_keeps_page_anchors(tmp_path: Path) -> None:
    pages = reflow_document(str(write_structured_pdf(tmp_path / "plan.pdf")))
    notes = [
        ReflowNote(1, "board round", "Ask the ward sister", "#a0e0a0"),
        ReflowNote(2, "", "A sticky note on page two", "#ffd54f"),
    ]
    html = reflow_html(pages, 2, ["discharge"], notes)
    assert '<a name="page-1"></a>Page 1 of 2' in html
    assert '<a name="page-2"></a>Page 2 of 2' in html
    assert '<h1><span style="background-color:#ffd54f;color:#000000">Discharge</span>' in html
    assert "<ul><li>Set an expected date of" in html  # the bullet becomes the list's own
    assert '<span style="background-color:#a0e0a0;color:#1a1a1a">board round</span>' in html
    assert "Ask the ward sister" in html
    assert html.index("A sticky note on page two") > html.index("Transport is booked")
    assert '<a href="page:2"' in html
    assert '<a href="uri:https://example.org/hub"' in html


def test_text_that_looks_like_markup_is_shown_as_text(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 90), "<b>not bold</b> & <script>", fontsize=11)
    doc.save(tmp_path / "odd.pdf")
    doc.close()
    html = reflow_html(reflow_document(str(tmp_path / "odd.pdf")), 1)
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "<script>" not in html


def test_a_file_that_is_not_a_pdf_gives_its_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "notes.pdf"
    bad.write_bytes(b"")
    with pytest.raises(DocumentError, match=r"notes\.pdf is not a PDF: the file is empty"):
        reflow_document(str(bad))
