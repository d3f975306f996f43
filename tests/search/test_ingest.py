"""Two extraction workers at once: every page of every file ends up in the index, once."""

from __future__ import annotations

from pathlib import Path

from ecip_reader.search.builder import build_index
from ecip_reader.search.corpus import Corpus
from ecip_reader.search.extract import ExtractJob
from ecip_reader.search.ingest import _share, worker_count
from ecip_reader.search.service import SearchService
from tests.support.pdfs import write_text_pdf

NAMES = ["alder", "birch", "cedar", "damson", "elder", "fir"]


def test_files_are_shared_between_workers_by_size() -> None:
    jobs = [ExtractJob(n, f"{n}.pdf") for n in range(5)]
    shares = _share(jobs, [100, 10, 60, 50, 5], 2)
    assert sorted(len(s) for s in shares) == [2, 3]
    loads = sorted(sum((100, 10, 60, 50, 5)[j.number] for j in share) for share in shares)
    assert loads == [110, 115]
    assert all([j.number for j in share] == sorted(j.number for j in share) for share in shares)
    assert _share(jobs[:1], [7], 2) == [[jobs[0]]]
    assert worker_count(1) == 1 and 1 <= worker_count(50) <= 2


def test_pages_of_files_read_at_the_same_time_are_all_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    for number, name in enumerate(NAMES):
        pages = [f"{name} page {page} of a long file" for page in range(1, 4 + number * 5)]
        write_text_pdf(folder / f"{name}.pdf", pages, name.title())
    report = build_index(tmp_path / "index", Corpus.at(folder))
    assert report.documents == len(NAMES) and report.skipped == []
    assert report.pages == sum(3 + n * 5 for n in range(len(NAMES)))
    service = SearchService(tmp_path / "index", folder, None)
    try:
        for number, name in enumerate(NAMES):
            response = service.search(name, limit=10)
            assert [hit.doc_id for hit in response.results] == [f"{name}.pdf"]
            last = 3 + number * 5
            found = service.search(f'"{name} page {last}"').results
            assert found and found[0].pages[0].page == last
    finally:
        service.close()
