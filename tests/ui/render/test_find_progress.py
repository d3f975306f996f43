"""A search taken up by a new worker covers the pages left, once each, and counts as one."""

from __future__ import annotations

from ecip_reader.pdf.render_protocol import Find, FindHits
from ecip_reader.ui.render.find_progress import FindProgress


def hits(searched: int, total: int, done: bool = False, generation: int = 1) -> FindHits:
    return FindHits(1, generation, (), searched, total, done)


def test_a_search_is_taken_up_where_it_stopped_through_two_restarts() -> None:
    progress = FindProgress()
    progress.start(Find(1, 1, "sepsis", start_page=90))  # 100 pages: 90…99, then 0…89
    assert progress.received(hits(40, 100)) == hits(40, 100)
    first = progress.resume(100)
    assert first == Find(1, 1, "sepsis", start_page=30, pages=60)
    # The new worker counts its own 60 pages; the window sees one search of 100.
    assert progress.received(hits(20, 60)) == hits(60, 100)
    second = progress.resume(100)
    assert second == Find(1, 1, "sepsis", start_page=50, pages=40)
    assert progress.received(hits(40, 40, done=True)) == hits(100, 100, done=True)
    assert progress.running is None and progress.resume(100) is None


def test_nothing_is_taken_up_when_no_search_runs() -> None:
    progress = FindProgress()
    assert progress.resume(10) is None
    progress.start(Find(1, 1, "sepsis"))
    progress.stop()
    assert progress.resume(10) is None
    progress.start(Find(1, 2, "sepsis"))
    assert progress.resume(0) is None  # a document with no pages left to search
