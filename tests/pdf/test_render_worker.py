"""The render worker: scheduling (newest first), replies, errors and the real process."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.pdf.page_geometry import page_sizes, trim_punctuation
from ecip_reader.pdf.render_protocol import (
    CloseDocument,
    Dropped,
    FindWords,
    OpenDocument,
    Opened,
    OpenFailed,
    Outline,
    ReleaseSamples,
    RenderBatch,
    Rendered,
    RenderFailed,
    RenderJob,
    RenderOne,
    Reply,
    Shutdown,
    Words,
    normalise_terms,
    word_matches,
)
from ecip_reader.pdf.render_worker import RenderServer, serve
from ecip_reader.pdf.sample_ring import RingAllocator, create_segment

A4 = (595.0, 842.0)


class Server:
    """A render server in this process, collecting its replies."""

    def __init__(self, ring: memoryview | None = None) -> None:
        self.replies: list[Reply] = []
        self.server = RenderServer(self.replies.append, ring)

    def send(self, *requests: object) -> None:
        for request in requests:
            self.server.handle(request)

    def run_all(self) -> list[Reply]:
        while self.server.run_one():
            pass
        replies, self.replies[:] = list(self.replies), []
        return replies


@pytest.fixture
def server() -> Iterator[Server]:
    made = Server()
    yield made
    made.server.close_all()


def open_ok(server: Server, doc: int, path: Path) -> Opened:
    server.send(OpenDocument(doc, str(path)))
    reply = server.replies.pop(0)
    assert isinstance(reply, Opened), reply
    return reply


def rendered_pages(replies: list[Reply]) -> list[tuple[int, int]]:
    return [(r.doc, r.page) for r in replies if isinstance(r, Rendered)]


def test_open_reports_pages_sizes_metadata_and_outline(
    server: Server, small_library: Catalogue
) -> None:
    entry = small_library.get("perfect-week")
    opened = open_ok(server, 1, small_library.path_of(entry))
    assert opened.info.page_count == 3
    assert [tuple(round(v) for v in size) for size in opened.info.page_sizes] == [A4] * 3
    assert opened.info.metadata["title"] == "Making every week a Perfect Week"
    later = server.run_all()
    assert any(isinstance(r, Outline) and r.doc == 1 for r in later)


def test_render_returns_rgb_samples_of_the_requested_size(
    server: Server, small_library: Catalogue
) -> None:
    open_ok(server, 1, small_library.path_of(small_library.get("perfect-week")))
    server.send(RenderBatch(1, 1, (RenderJob(7, 0, 1.0),)))
    (reply,) = [r for r in server.run_all() if isinstance(r, Rendered)]
    assert (reply.req_id, reply.width, reply.height) == (7, 595, 842)
    assert reply.samples is not None and len(reply.samples) == reply.stride * reply.height
    assert reply.stride == 595 * 3
    # Text was drawn: some samples are dark.
    assert min(reply.samples) < 100


def test_the_newest_batch_is_served_first_and_superseded_renders_are_dropped(
    server: Server, small_library: Catalogue
) -> None:
    open_ok(server, 1, small_library.path_of(small_library.get("perfect-week")))
    open_ok(server, 2, small_library.path_of(small_library.get("discharge-to-assess")))
    server.run_all()  # outlines
    server.send(
        RenderBatch(1, 1, (RenderJob(1, 0, 0.5), RenderJob(2, 1, 0.5), RenderJob(3, 2, 0.5))),
        RenderBatch(2, 1, (RenderJob(4, 0, 0.5),)),
        # The view of document 1 scrolled: it now wants page 3 first, then page 2.
        RenderBatch(1, 2, (RenderJob(3, 2, 0.5), RenderJob(2, 1, 0.5))),
    )
    replies = server.run_all()
    assert rendered_pages(replies) == [(1, 2), (1, 1), (2, 0)]
    dropped = [r for r in replies if isinstance(r, Dropped)]
    assert [(d.doc, d.generation, d.req_ids) for d in dropped] == [(1, 2, (1,))]


def test_a_stale_generation_is_ignored(server: Server, small_library: Catalogue) -> None:
    open_ok(server, 1, small_library.path_of(small_library.get("perfect-week")))
    server.send(
        RenderBatch(1, 5, (RenderJob(1, 0, 0.5),)),
        RenderBatch(1, 4, (RenderJob(2, 1, 0.5),)),
    )
    assert rendered_pages(server.run_all()) == [(1, 0)]


def test_newer_word_requests_come_before_older_renders(
    server: Server, small_library: Catalogue
) -> None:
    open_ok(server, 1, small_library.path_of(small_library.get("discharge-to-assess")))
    server.run_all()
    server.send(
        RenderBatch(1, 1, (RenderJob(1, 0, 0.5),)),
        FindWords(2, 1, 0, ("discharge",)),
    )
    replies = [r for r in server.run_all() if isinstance(r, Rendered | Words)]
    assert [type(r) for r in replies] == [Words, Rendered]


def test_words_starting_with_a_term_are_found_with_their_boxes(tmp_path: Path) -> None:
    path = tmp_path / "stems.pdf"
    doc = pymupdf.open()
    page = doc.new_page(width=600, height=800)
    page.insert_text((72, 100), "Patients discharged early; Discharge works. Undischarged no.")
    doc.save(path)
    doc.close()
    made = Server()
    try:
        open_ok(made, 1, path)
        made.send(FindWords(9, 1, 0, ("Discharge",)))
        (words,) = [r for r in made.run_all() if isinstance(r, Words)]
    finally:
        made.server.close_all()
    assert [box[4] for box in words.boxes] == ["discharged", "Discharge"]
    for x0, y0, x1, y1, _word in words.boxes:
        assert 0 < x0 < x1 < 1 and 0 < y0 < y1 < 0.2


def test_word_matching_is_case_insensitive_and_by_word_start() -> None:
    terms = normalise_terms(["Discharge", "perfect week"])
    assert terms == ("discharge", "perfect", "week")
    assert word_matches("(Discharged,", terms)
    assert word_matches("to-DISCHARGE", terms)
    assert word_matches("weekly", terms)
    assert not word_matches("undischarged", terms)
    assert not word_matches("charge", terms)


def test_punctuation_is_not_highlighted() -> None:
    left, right = trim_punctuation("home,", 0.0, 50.0)
    assert left == 0.0 and 44.0 < right < 50.0  # a comma is a sliver, not a fifth of the word
    left, right = trim_punctuation("(care)", 0.0, 60.0)
    assert 0.0 < left < 12.0 and 48.0 < right < 60.0
    assert trim_punctuation("ward", 0.0, 40.0) == (0.0, 40.0)


def letter_edges(path: Path, word: str) -> tuple[float, float, float]:
    """Where ``word``'s first letter starts, its last letter ends, and the next character ends."""
    with pymupdf.open(path) as doc:
        for block in doc[0].get_text("rawdict")["blocks"]:
            for line in block.get("lines", ()):
                chars = [c for span in line["spans"] for c in span["chars"]]
                text = "".join(c["c"] for c in chars)
                at = text.find(word)
                if at >= 0:
                    last = chars[at + len(word) - 1]["bbox"][2]
                    return chars[at]["bbox"][0], last, chars[at + len(word)]["bbox"][2]
    raise AssertionError(word)


@pytest.mark.parametrize("font", ["helv", "tiro"])
def test_search_marks_cover_the_last_letter_before_punctuation(tmp_path: Path, font: str) -> None:
    path = tmp_path / "punctuated.pdf"
    doc = pymupdf.open()
    page = doc.new_page(width=600, height=800)
    page.insert_text((72, 100), "Each case was assessed. The assessment, then", fontname=font)
    doc.save(path)
    doc.close()
    made = Server()
    try:
        open_ok(made, 1, path)
        made.send(FindWords(9, 1, 0, ("assess",)))
        (words,) = [r for r in made.run_all() if isinstance(r, Words)]
    finally:
        made.server.close_all()
    assert [box[4] for box in words.boxes] == ["assessed.", "assessment,"]
    for box, core in zip(words.boxes, ("assessed", "assessment"), strict=True):
        first, last, after = letter_edges(path, core)
        x0, x1 = box[0] * 600, box[2] * 600
        assert abs(x0 - first) < 0.5
        assert x1 > last - 0.5  # the "d" and the "t" are marked to their ends…
        assert x1 < after - 0.8  # …and the full stop and the comma are not


def test_a_damaged_file_gets_a_sentence_and_the_worker_carries_on(
    server: Server, small_library: Catalogue, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    server.send(OpenDocument(1, str(broken)), OpenDocument(2, str(empty)))
    server.send(OpenDocument(3, str(tmp_path / "missing.pdf")))
    failures = [r for r in server.replies if isinstance(r, OpenFailed)]
    assert [f.doc for f in failures] == [1, 2, 3]
    for failure, name in zip(failures, ("broken.pdf", "empty.pdf", "missing.pdf"), strict=True):
        assert name in failure.message and failure.message.endswith(".")
    server.replies.clear()
    open_ok(server, 4, small_library.path_of(small_library.get("perfect-week")))


def test_a_page_that_does_not_exist_fails_alone(server: Server, small_library: Catalogue) -> None:
    open_ok(server, 1, small_library.path_of(small_library.get("perfect-week")))
    server.send(RenderBatch(1, 1, (RenderJob(1, 99, 1.0), RenderJob(2, 0, 0.2))))
    replies = server.run_all()
    failed = [r for r in replies if isinstance(r, RenderFailed)]
    assert [(f.req_id, f.message) for f in failed] == [(1, "That page does not exist.")]
    assert rendered_pages(replies) == [(1, 0)]


def test_malformed_requests_fail_alone_and_the_worker_keeps_serving(
    server: Server, small_library: Catalogue, tmp_path: Path
) -> None:
    server.send(OpenDocument(1, str(tmp_path / "bad\x00name.pdf")))
    (failed_open,) = server.replies
    assert isinstance(failed_open, OpenFailed) and failed_open.message.endswith("opened.")
    server.replies.clear()
    open_ok(server, 2, small_library.path_of(small_library.get("perfect-week")))
    server.send(
        RenderOne(2, RenderJob(1, 0, 1.0, clip=(0.0, 0.0))),  # type: ignore[arg-type]
        RenderOne(2, RenderJob(2, 0, 1.0, max_pixels=-5)),
        RenderBatch(2, 1, (RenderJob(3, "first", 1.0),)),  # type: ignore[arg-type]
        FindWords(4, 2, 0, (None,)),  # type: ignore[arg-type]
    )
    replies = server.run_all()
    assert sorted(r.req_id for r in replies if isinstance(r, RenderFailed)) == [1, 2]
    assert [r.boxes for r in replies if isinstance(r, Words)] == [()]
    server.send(RenderBatch(2, 2, (RenderJob(5, 0, 0.2),)))
    assert rendered_pages(server.run_all()) == [(2, 0)]


def test_a_huge_zoom_is_capped(server: Server, small_library: Catalogue) -> None:
    open_ok(server, 1, small_library.path_of(small_library.get("perfect-week")))
    server.send(RenderBatch(1, 1, (RenderJob(1, 0, 50.0, max_pixels=100_000),)))
    (reply,) = [r for r in server.run_all() if isinstance(r, Rendered)]
    assert reply.width * reply.height <= 100_000 * 1.01


def test_closing_forgets_the_document(server: Server, small_library: Catalogue) -> None:
    open_ok(server, 1, small_library.path_of(small_library.get("perfect-week")))
    server.send(CloseDocument(1), RenderBatch(1, 1, (RenderJob(1, 0, 1.0),)))
    assert rendered_pages(server.run_all()) == []


def test_rotated_pages_report_their_displayed_size(tmp_path: Path) -> None:
    path = tmp_path / "rotated.pdf"
    doc = pymupdf.open()
    doc.new_page(width=200, height=400)
    doc.new_page(width=200, height=400).set_rotation(90)
    doc.save(path)
    doc.close()
    with pymupdf.open(path) as reopened:
        assert page_sizes(reopened) == ((200.0, 400.0), (400.0, 200.0))


def test_samples_travel_through_the_shared_ring(small_library: Catalogue) -> None:
    ring = bytearray(4 * 1024 * 1024)
    made = Server(memoryview(ring))
    try:
        open_ok(made, 1, small_library.path_of(small_library.get("perfect-week")))
        made.send(RenderBatch(1, 1, (RenderJob(1, 0, 1.0), RenderJob(2, 1, 1.0))))
        replies = [r for r in made.run_all() if isinstance(r, Rendered)]
        assert [r.samples for r in replies] == [None, None]
        first, second = replies
        assert second.offset >= first.offset + first.nbytes
        assert min(ring[first.offset : first.offset + first.nbytes]) < 100
        # A third page does not fit until the first is released.
        made.send(RenderBatch(1, 2, (RenderJob(3, 2, 1.0),)))
        (third,) = [r for r in made.run_all() if isinstance(r, Rendered)]
        assert third.samples is not None
        made.send(ReleaseSamples(1), RenderBatch(1, 3, (RenderJob(4, 2, 1.0),)))
        (fourth,) = [r for r in made.run_all() if isinstance(r, Rendered)]
        assert fourth.samples is None and fourth.offset == 0
    finally:
        made.server.close_all()


def test_ring_allocation_wraps_and_frees_oldest_first() -> None:
    ring = RingAllocator(100)
    assert ring.allocate(1, 40) == 0
    assert ring.allocate(2, 40) == 40
    assert ring.allocate(3, 40) is None
    ring.release(2)  # released early, but block 1 is still in use
    assert ring.allocate(3, 30) is None
    ring.release(1)
    assert ring.allocate(3, 30) == 0
    assert ring.allocate(4, 50) == 30
    assert ring.allocate(5, 30) is None
    assert ring.allocate(6, 200) is None
    ring.release(3)
    ring.release(4)
    assert len(ring) == 0
    assert ring.allocate(7, 100) == 0


def test_the_worker_process_serves_through_pipes_and_shared_memory(
    small_library: Catalogue,
) -> None:
    ctx = multiprocessing.get_context("spawn")
    requests_in, requests_out = ctx.Pipe(duplex=False)
    replies_in, replies_out = ctx.Pipe(duplex=False)
    segment = create_segment(8 * 1024 * 1024)
    process = ctx.Process(target=serve, args=(requests_in, replies_out, segment.name))
    try:
        process.start()
        requests_in.close()
        replies_out.close()
        path = small_library.path_of(small_library.get("breaking-the-cycle"))
        requests_out.send(OpenDocument(1, str(path)))
        requests_out.send(RenderBatch(1, 1, (RenderJob(5, 1, 1.0),)))
        received: list[object] = []
        while not any(isinstance(r, Rendered) for r in received):
            assert replies_in.poll(30), "the worker did not answer"
            received.append(replies_in.recv())
        assert isinstance(received[0], Opened) and received[0].info.page_count == 2
        page = received[-1]
        assert isinstance(page, Rendered) and page.samples is None
        samples = bytes(segment.buf[page.offset : page.offset + page.nbytes])
        assert min(samples) < 100
        requests_out.send(ReleaseSamples(5))
        requests_out.send(Shutdown())
        process.join(30)
        assert process.exitcode == 0
    finally:
        if process.is_alive():
            process.kill()
            process.join()
        process.close()
        for connection in (requests_in, requests_out, replies_in, replies_out):
            connection.close()
        segment.close()
        segment.unlink()
