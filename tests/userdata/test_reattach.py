"""Notes follow a re-issued document by their quoted text; lost quotes are kept and marked."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pymupdf
import pytest

from ecip_reader.library.catalogue import sha256_file
from ecip_reader.userdata import AnchorStatus, AnnotationKind, Annotator, DocumentRef, TextAnchor
from ecip_reader.userdata.anchoring import (
    locate_quote,
    quad_finder,
    quads_for_quote,
    selection_from_words,
)
from ecip_reader.userdata.models import Quad, Word
from ecip_reader.userdata.pdf_text import PdfText, extract_pages
from tests.support.pdfs import write_text_pdf

FLOW = "A Perfect Week concentrates senior attention on patient flow for seven days."
WARDS = "Ward teams review every patient each morning and remove delays to discharge."
OLD = "The old approach to escalation relied on a single bed manager at night."
BOX = (72, 100, 400, 770)
FOREWORD = "Foreword to the second edition, which adds a new first page."


def _search_quads(path: Path, page: int, quote: str) -> list[tuple[float, ...]]:
    doc = pymupdf.open(path)
    try:
        return [tuple(r) for r in doc[page - 1].search_for(quote)]
    finally:
        doc.close()


def _select(words: list[Word], quote: str) -> tuple[TextAnchor, list[Quad]]:
    """What the page view does when the user drags over ``quote``."""
    tokens = quote.split()
    texts = [w[4] for w in words]
    for i in range(len(texts)):
        if [t.strip(".,") for t in texts[i : i + len(tokens)]] == tokens:
            return selection_from_words(words, i, i + len(tokens) - 1)
    raise AssertionError(f"{quote!r} is not on the page")


def _same_boxes(quads: list[Quad] | tuple[Quad, ...], boxes: list[tuple[float, ...]]) -> bool:
    """True when ``quads`` cover the same rectangles as ``boxes`` (within half a point)."""
    return len(quads) == len(boxes) and all(
        abs(x - y) < 0.5
        for quad, box in zip(quads, boxes, strict=True)
        for x, y in zip(quad.rect, box, strict=True)
    )


def test_reissued_document_notes_move_with_their_text(annotator: Annotator, tmp_path: Path) -> None:
    old_path = write_text_pdf(tmp_path / "v1.pdf", [FLOW, WARDS, OLD], fontsize=12, box=BOX)
    new_path = write_text_pdf(
        tmp_path / "v2.pdf",
        [FOREWORD, f"Revised in this edition. {FLOW}", WARDS],
        fontsize=12,
        box=BOX,
    )
    old = DocumentRef(sha256_file(old_path), "perfect-week", "Perfect Week")
    new_hash = sha256_file(new_path)
    assert old.hash != new_hash

    before = extract_pages(old_path)
    flow_anchor, flow_quads = _select(before.words[0], "patient flow")
    assert _same_boxes(flow_quads, _search_quads(old_path, 1, "patient flow"))
    flow = annotator.add_markup(
        old, 1, AnnotationKind.HIGHLIGHT, flow_quads, flow_anchor, "green", "Key idea"
    )
    delays_anchor, delays_quads = _select(before.words[1], "remove delays to discharge")
    delays = annotator.add_markup(
        old, 2, AnnotationKind.UNDERLINE, delays_quads, delays_anchor, note="Ask the ward"
    )
    gone_anchor, gone_quads = _select(before.words[2], "single bed manager")
    gone = annotator.add_markup(old, 3, AnnotationKind.STRIKE_THROUGH, gone_quads, gone_anchor)
    sticky = annotator.add_sticky_note(old, 3, (500.0, 90.0), "Margin thought")
    annotator.add_bookmark(old, 2, "Ward rounds")

    # The PDF work runs in a worker process, as the application does it.
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        after: PdfText = pool.apply(extract_pages, (new_path,))
    report = annotator.store.reattach(old.hash, new_hash, after.texts, quad_finder(after.words))

    store = annotator.store
    assert store.annotations(old.hash) == [] and store.bookmarks(old.hash) == []
    assert store.document(new_hash) == DocumentRef(new_hash, "perfect-week", "Perfect Week")
    moved_flow = store.annotation(flow.uuid)
    assert moved_flow is not None
    assert (moved_flow.doc_hash, moved_flow.page, moved_flow.note) == (new_hash, 2, "Key idea")
    assert moved_flow.status is AnchorStatus.ATTACHED and moved_flow.is_drawable
    assert len(moved_flow.quads) == 1
    assert _same_boxes(moved_flow.quads, _search_quads(new_path, 2, "patient flow"))
    assert moved_flow.quads != flow.quads  # the passage sits elsewhere on the new page
    moved_delays = store.annotation(delays.uuid)
    assert moved_delays is not None and moved_delays.page == 3
    # Quads cover whole words: here the last word carries its full stop.
    delays_boxes = _search_quads(new_path, 3, "remove delays to discharge.")
    assert _same_boxes(moved_delays.quads, delays_boxes)
    assert len(moved_delays.quads) == 2  # the passage wraps over two lines

    lost = store.annotation(gone.uuid)
    assert lost is not None  # kept, never lost
    assert lost.doc_hash == new_hash
    assert lost.status is AnchorStatus.DETACHED
    assert lost.status.description == "could not re-attach"
    assert not lost.is_drawable
    assert lost.quote == "single bed manager"
    assert store.annotation(sticky.uuid).page == 3  # type: ignore[union-attr]
    assert [(b.doc_hash, b.page) for b in store.bookmarks()] == [(new_hash, 2)]
    assert sorted(report.moved) == sorted(
        [(flow.uuid, 1, 2), (delays.uuid, 2, 3), (sticky.uuid, 3, 3)]
    )
    assert report.detached == (gone.uuid,)
    assert report.summary == "3 notes re-attached, 1 could not re-attach."
    assert not annotator.history.can_undo  # a re-attach is not an undoable edit


def test_the_context_decides_between_two_occurrences() -> None:
    pages = [
        "Delays to discharge are common. Teams that plan ahead avoid delays to discharge.",
        "Nothing here.",
        "On the ward, delays to discharge fall when rounds happen before midday.",
    ]
    anchor = TextAnchor("delays to discharge", "On the ward,", "fall when rounds")
    found = locate_quote(anchor, pages, near_page=1)
    assert found is not None and found.page == 3
    second = TextAnchor("delays to discharge", "Teams that plan ahead avoid", ".")
    found = locate_quote(second, pages, near_page=3)
    assert found is not None
    assert (found.page, pages[0][found.start : found.end]) == (1, "delays to discharge")
    assert found.start > 30
    # Without context, the page nearest the old one wins.
    bare = locate_quote(TextAnchor("delays to discharge"), pages, near_page=3)
    assert bare is not None and bare.page == 3
    # Different case and line breaks still match; a missing quote does not.
    folded = locate_quote(TextAnchor("ROUNDS HAPPEN\nbefore"), pages)
    assert folded is not None and folded.page == 3
    assert locate_quote(TextAnchor("weekend discharge team"), pages) is None


def test_quads_follow_the_occurrence_the_context_names_and_span_lines() -> None:
    words: list[Word] = [
        (72, 100, 100, 112, "patient", 0, 0, 0),
        (104, 100, 130, 112, "flow", 0, 0, 1),
        (134, 100, 160, 112, "matters.", 0, 0, 2),
        (72, 120, 100, 132, "Improve", 0, 1, 0),
        (104, 120, 130, 132, "patient", 0, 1, 1),
        (72, 140, 100, 152, "flow", 0, 2, 0),
        (104, 140, 140, 152, "daily.", 0, 2, 1),
    ]
    second = quads_for_quote(words, TextAnchor("patient flow", "matters. Improve", "daily"))
    assert [q.rect for q in second] == [(104, 120, 130, 132), (72, 140, 100, 152)]
    first = quads_for_quote(words, TextAnchor("patient flow", "", "matters."))
    assert [q.rect for q in first] == [(72, 100, 130, 112)]
    assert quads_for_quote(words, TextAnchor("bed occupancy")) == []
    find = quad_finder([words])
    assert find(1, TextAnchor("daily")) == [Quad.from_rect(104, 140, 140, 152)]
    assert find(2, TextAnchor("daily")) == []


def test_selection_from_words_gives_quote_context_and_quads() -> None:
    words: list[Word] = [
        (72, 100, 90, 112, "Teams", 0, 0, 0),
        (94, 100, 120, 112, "review", 0, 0, 1),
        (124, 100, 150, 112, "every", 0, 0, 2),
        (72, 120, 110, 132, "patient", 0, 1, 0),
        (114, 120, 140, 132, "daily.", 0, 1, 1),
    ]
    anchor, quads = selection_from_words(words, 2, 3)
    assert anchor == TextAnchor("every patient", "Teams review", "daily.")
    assert [q.rect for q in quads] == [(124, 100, 150, 112), (72, 120, 110, 132)]
    with pytest.raises(IndexError):
        selection_from_words(words, 3, 9)
