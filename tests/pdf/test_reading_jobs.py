"""The worker's reading jobs: find, page text and links, content boxes, clips, thumbnails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from ecip_reader.pdf.reading_jobs import find_in_words
from ecip_reader.pdf.render_protocol import (
    Find,
    FindHits,
    GetPageText,
    OpenDocument,
    Opened,
    PageTextLayer,
    RenderBatch,
    Rendered,
    RenderJob,
    RenderOne,
    ThumbnailBatch,
)
from ecip_reader.viewing.transform import PageTransform, turn_box
from tests.pdf.test_render_worker import Server
from tests.support.pdfs import write_linked_pdf
from tests.support.slow_pdfs import write_named_destinations_pdf


@pytest.fixture
def server() -> Iterator[Server]:
    made = Server()
    yield made
    made.server.close_all()


def opened(server: Server, path: Path) -> Opened:
    server.send(OpenDocument(1, str(path)))
    reply = server.replies.pop(0)
    assert isinstance(reply, Opened)
    server.run_all()
    return reply


def test_find_streams_hits_in_page_order_from_the_start_page(
    server: Server, tmp_path: Path
) -> None:
    opened(server, write_linked_pdf(tmp_path / "a.pdf", pages=100))
    server.send(Find(1, 1, "plan", start_page=90))
    replies = [r for r in server.run_all() if isinstance(r, FindHits)]
    assert len(replies) >= 3 and replies[-1].done and not replies[0].done
    pages = [page for r in replies for page, _boxes in r.hits]
    assert pages == [*range(90, 100), *range(0, 90)]
    _page, (box,) = replies[0].hits[0]
    assert 0.2 < box[0] < box[2] < 0.6 and 0.2 < box[1] < box[3] < 0.27


def test_a_search_taken_up_again_covers_only_the_pages_left(server: Server, tmp_path: Path) -> None:
    opened(server, write_linked_pdf(tmp_path / "a.pdf", pages=50))
    server.send(Find(1, 1, "plan", start_page=45, pages=10))
    replies = [r for r in server.run_all() if isinstance(r, FindHits)]
    assert [page for r in replies for page, _boxes in r.hits] == [45, 46, 47, 48, 49, 0, 1, 2, 3, 4]
    assert (replies[-1].searched, replies[-1].total, replies[-1].done) == (10, 10, True)


def test_a_new_search_replaces_the_running_one(server: Server, tmp_path: Path) -> None:
    opened(server, write_linked_pdf(tmp_path / "a.pdf", pages=100))
    server.send(Find(1, 1, "plan"))
    assert server.server.run_one()
    server.send(
        Find(1, 2, "escalation"),
    )
    replies = [r for r in server.run_all() if isinstance(r, FindHits)]
    later = [r for r in replies if r.generation == 2]
    assert sum(len(r.hits) for r in later) == 100 and later[-1].done
    server.send(Find(1, 3, "plan"), Find(1, 4, ""))
    assert not [r for r in server.run_all() if isinstance(r, FindHits)]


def test_pages_a_view_shows_come_before_a_running_search(server: Server, tmp_path: Path) -> None:
    opened(server, write_linked_pdf(tmp_path / "a.pdf", pages=200))
    server.send(Find(1, 1, "plan"))
    assert server.server.run_one()
    server.replies.clear()
    server.send(
        RenderBatch(1, 1, (RenderJob(7, 150, 0.5),)), ThumbnailBatch(1, 1, (RenderJob(8, 3, 0.2),))
    )
    assert server.server.run_one()
    assert isinstance(server.replies[0], Rendered) and server.replies[0].req_id == 7
    server.replies.clear()
    replies = server.run_all()
    kinds = [type(r).__name__ for r in replies]
    # The thumbnail waits until the search is done.
    assert kinds.index("Rendered") > max(i for i, k in enumerate(kinds) if k == "FindHits")


def test_words_match_case_whole_words_and_phrases() -> None:
    words = [
        (0, 0, 60, 10, "Discharge", 0, 0, 0),
        (70, 0, 120, 10, "to", 0, 0, 1),
        (130, 0, 200, 10, "assess,", 0, 0, 2),
        (0, 20, 100, 30, "undischarged", 0, 1, 0),
    ]
    assert len(find_in_words(words, "discharge", False, False)) == 2
    assert len(find_in_words(words, "discharge", True, False)) == 1
    assert len(find_in_words(words, "discharge", False, True)) == 1
    (phrase,) = find_in_words(words, "discharge to assess", False, True)
    assert len(phrase) == 3 and phrase[2][2] < 200  # the comma is not marked
    (part,) = find_in_words(words, "charged", False, False)
    assert part[0][0] > 0 and part[0][2] == 100


@pytest.mark.parametrize("font", ["helv", "tiro"])
def test_find_marks_whole_letters_of_a_word_part(tmp_path: Path, font: str) -> None:
    """Ctrl+F "assess" in "reassessed." marks "assess" to the end of its last "s"."""
    path = tmp_path / "find.pdf"
    doc = pymupdf.open()
    doc.new_page(width=600, height=800).insert_text((72, 100), "reassessed.", fontname=font)
    doc.save(path)
    with pymupdf.open(path) as again:
        page = again[0]
        words = page.get_text("words")
        chars = [
            c
            for b in page.get_text("rawdict")["blocks"]
            for ln in b["lines"]
            for sp in ln["spans"]
            for c in sp["chars"]
        ]
    doc.close()
    (match,) = find_in_words(words, "assess", False, False)
    ((x0, _y0, x1, _y1),) = match
    assert abs(x0 - chars[2]["bbox"][0]) < 0.8  # from the start of "a"…
    assert abs(x1 - chars[7]["bbox"][2]) < 0.8  # …to the end of the second "s", no more


def test_page_text_gives_words_links_and_the_content_box(server: Server, tmp_path: Path) -> None:
    opened(server, write_linked_pdf(tmp_path / "a.pdf"))
    server.send(GetPageText(5, 1, 0))
    (text,) = [r for r in server.run_all() if isinstance(r, PageTextLayer)]
    assert [w[4] for w in text.words] == ["Escalation", "plan", "1"]
    (link,) = text.links
    assert link.kind == "goto" and link.page == 2
    assert text.content is not None
    x0, _y0, x1, y1 = text.content
    assert abs(x0 - 0.25) < 0.01 and abs(x1 - 0.75) < 0.01 and y1 == pytest.approx(0.75, abs=0.01)


def test_links_to_named_destinations_go_to_their_pages(server: Server, tmp_path: Path) -> None:
    opened(server, write_named_destinations_pdf(tmp_path / "manual.pdf"))
    server.send(GetPageText(5, 1, 0))
    (text,) = [r for r in server.run_all() if isinstance(r, PageTextLayer)]
    # "n00003" names page 4 and "n19999" page 40, the last name of the tree.
    assert [(link.kind, link.page) for link in text.links] == [("goto", 3), ("goto", 39)]


def test_a_clip_renders_only_that_part_of_the_page(server: Server, tmp_path: Path) -> None:
    opened(server, write_linked_pdf(tmp_path / "a.pdf"))
    # The black bar sits at x 100–300, y 400–450 of a 400 × 600 page.
    clip = (0.3, 0.68, 0.7, 0.74)
    server.send(RenderOne(1, RenderJob(9, 0, 2.0, 0, 8_000_000, clip)))
    (image,) = [r for r in server.run_all() if isinstance(r, Rendered)]
    assert (image.width, image.height) == (320, 72)
    assert image.samples is not None and max(image.samples) < 60
    # Turned a quarter: the same part of the page, as shown turned.
    server.send(RenderOne(1, RenderJob(10, 0, 2.0, 90, 8_000_000, turn_box(clip, 90))))
    (turned,) = [r for r in server.run_all() if isinstance(r, Rendered)]
    assert (turned.width, turned.height) == (72, 320)
    assert turned.samples is not None and max(turned.samples) < 60


def test_pages_with_their_own_rotation_map_words_to_the_screen(
    server: Server, tmp_path: Path
) -> None:
    reply = opened(server, write_linked_pdf(tmp_path / "turned.pdf", rotate=90))
    assert reply.info.rotations == (90, 90, 90)
    assert reply.info.page_sizes[0] == (600.0, 400.0)
    with pymupdf.open(tmp_path / "turned.pdf") as doc:
        page = doc[0]
        for view in (0, 90, 180, 270):
            transform = PageTransform(600.0, 400.0, 90, view)
            for x, y in ((100.0, 150.0), (300.0, 450.0)):
                shown = pymupdf.Point(x, y) * page.rotation_matrix
                expected = turn_box(
                    (shown.x / 600, shown.y / 400, shown.x / 600, shown.y / 400), view
                )
                fx, fy = transform.to_fraction(x, y)
                assert (round(fx, 6), round(fy, 6)) == (
                    round(expected[0], 6),
                    round(expected[1], 6),
                )
                back = transform.to_pdf(fx, fy)
                assert back == pytest.approx((x, y))
