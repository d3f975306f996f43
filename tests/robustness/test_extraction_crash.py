"""A MuPDF crash (SIGKILL of the extraction worker) on one file: marked failed, the rest indexed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecip_reader.search import extract
from ecip_reader.search.builder import build_index
from ecip_reader.search.service import SearchService
from tests.robustness.crash_hooks import CRASH_FILE_ENV, CRASH_PAGE_ENV, crashing_extract_worker
from tests.support.badfiles import write_good_pdf

CRASH_MESSAGE = "b-crash.pdf could not be read: the PDF reader stopped while reading it."


def library_with_a_poisonous_file(folder: Path, pages: int) -> None:
    """Three files; the worker will die on the middle one."""
    write_good_pdf(folder / "a-before.pdf", ["ambulance", "handover"])
    write_good_pdf(folder / "b-crash.pdf", ["poison", *(f"filler{n}" for n in range(pages - 1))])
    write_good_pdf(folder / "c-after.pdf", ["pharmacy", "discharge"])


def found(service: SearchService, word: str) -> list[str]:
    return [hit.doc_id for hit in service.search(word).results]


@pytest.mark.parametrize(
    ("crash_page", "pages"),
    [(0, 3), (30, 40)],
    ids=["while-opening", "after-24-pages-were-indexed"],
)
def test_the_file_is_marked_failed_and_the_others_are_indexed(
    crash_page: int, pages: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "library"
    library_with_a_poisonous_file(folder, pages)
    monkeypatch.setenv(CRASH_FILE_ENV, "b-crash.pdf")
    monkeypatch.setenv(CRASH_PAGE_ENV, str(crash_page))
    monkeypatch.setattr(extract, "worker_main", crashing_extract_worker)
    service = SearchService(tmp_path / "index", folder, None)
    try:
        report = service.prepare()
        assert report is not None
        assert report.skipped == [("b-crash.pdf", CRASH_MESSAGE)]
        assert report.restarts == 1
        assert (report.documents, report.pages) == (2, 4)
        assert service.status() == "ready"
        assert found(service, "handover") == ["a-before.pdf"]
        assert found(service, "pharmacy") == ["c-after.pdf"]
        # Pages that arrived before the crash are not left half-indexed.
        assert found(service, "poison") == []
    finally:
        service.close()


def test_the_next_update_tries_the_file_once_more_then_leaves_it_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "library"
    library_with_a_poisonous_file(folder, 3)
    monkeypatch.setenv(CRASH_FILE_ENV, "b-crash.pdf")
    monkeypatch.setattr(extract, "worker_main", crashing_extract_worker)
    service = SearchService(tmp_path / "index", folder, None)
    try:
        assert service.prepare() is not None
        # Nothing changed, but the file the reader died on is read once more.
        again = build_index(service.index_dir, service.library)
        assert (again.added, again.updated, again.restarts) == (0, 1, 1)
        assert again.skipped == [("b-crash.pdf", CRASH_MESSAGE)]
        # It died a second time: the next update leaves it alone.
        third = build_index(service.index_dir, service.library)
        assert (third.added, third.updated, third.restarts) == (0, 0, 0)
        assert third.skipped == [("b-crash.pdf", CRASH_MESSAGE)]
        assert service.prepare() is None  # ready
        # A new file arrives: the update reads only that one and keeps the failure on record.
        write_good_pdf(folder / "d-new.pdf", ["escalation"])
        report = service.prepare()
        assert report is not None
        assert (report.added, report.restarts) == (1, 0)
        assert report.skipped == [("b-crash.pdf", CRASH_MESSAGE)]
        assert found(service, "escalation") == ["d-new.pdf"]
    finally:
        service.close()


def test_a_file_that_crashed_once_is_indexed_when_it_reads_on_the_second_try(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "library"
    library_with_a_poisonous_file(folder, 3)
    monkeypatch.setenv(CRASH_FILE_ENV, "b-crash.pdf")
    monkeypatch.setattr(extract, "worker_main", crashing_extract_worker)
    service = SearchService(tmp_path / "index", folder, None)
    try:
        assert service.prepare() is not None
        monkeypatch.setenv(CRASH_FILE_ENV, "none-this-time.pdf")  # the fault was passing
        again = build_index(service.index_dir, service.library)
        assert (again.updated, again.skipped, again.documents) == (1, [], 3)
        service.close()
        assert found(service, "poison") == ["b-crash.pdf"]
    finally:
        service.close()
