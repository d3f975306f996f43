"""Indexing a folder full of bad files: each is skipped with its sentence, the rest is found."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecip_reader.search.builder import build_index
from ecip_reader.search.results import SearchResponse
from ecip_reader.search.service import SearchService
from tests.support.badfiles import BadFile, make_png, write_good_pdf


@pytest.fixture
def indexed(corpus_search: SearchService) -> SearchService:
    return corpus_search


def found(response: SearchResponse) -> list[str]:
    return [hit.doc_id for hit in response.results]


def test_each_unreadable_file_is_skipped_with_its_sentence(
    indexed: SearchService, corpus: dict[str, BadFile]
) -> None:
    report = indexed.last_report
    assert report is not None
    expected = sorted((bad.name, bad.error) for bad in corpus.values() if bad.error is not None)
    assert sorted(report.skipped) == expected
    readable = [bad for bad in corpus.values() if bad.error is None]
    assert report.documents == len(readable) == 14
    assert report.pages == sum(bad.pages for bad in readable)
    assert report.restarts == 0  # no bad file took the extraction worker down


def test_a_file_without_a_text_layer_is_indexed_with_a_note(
    indexed: SearchService, corpus: dict[str, BadFile]
) -> None:
    scan = corpus["image-only"]
    note = (scan.name, "scanned-letter.pdf has no searchable text.")
    assert note[1] in scan.notes  # the sentence the reader shows when it is opened
    report = indexed.last_report
    assert report is not None
    assert report.notes == [note]
    assert report.to_json()["notes"] == [{"file": note[0], "note": note[1]}]


def test_the_note_stays_in_the_report_of_later_updates(
    corpus: dict[str, BadFile], tmp_path: Path
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copyfile(corpus["image-only"].path, folder / "scan.pdf")
    write_good_pdf(folder / "rota.pdf", ["staffing"])
    service = SearchService(tmp_path / "index", folder, None)
    try:
        first = service.prepare()
        assert first is not None and first.notes == [
            ("scan.pdf", "scan.pdf has no searchable text.")
        ]
        # Nothing changed: the report comes from what the index recorded.
        unchanged = build_index(service.index_dir, service.library)
        assert (unchanged.added, unchanged.notes) == (0, first.notes)
        # Another file arrives: the scan is not read again, and its note is kept.
        write_good_pdf(folder / "poster.pdf", ["campaign"])
        update = service.prepare()
        assert update is not None and (update.added, update.pages_added) == (1, 1)
        assert update.notes == first.notes
        assert found(service.search("campaign")) == ["poster.pdf"]
    finally:
        service.close()


def test_every_readable_file_is_found_by_its_words(
    indexed: SearchService, corpus: dict[str, BadFile]
) -> None:
    for bad in corpus.values():
        if bad.error is not None:
            continue
        for word in bad.words:
            response = indexed.search(word)
            assert found(response)[:1] == [bad.name], (bad.case, word, response.message)


def test_welsh_polish_arabic_and_chinese_words_find_their_documents(
    indexed: SearchService,
) -> None:
    assert found(indexed.search("dŵr")) == ["cymraeg.pdf"]
    assert found(indexed.search("gęślą")) == ["polski.pdf"]
    assert found(indexed.search("رعاية")) == ["arabic.pdf"]
    assert found(indexed.search("急诊护理改进项目")) == ["chinese.pdf"]
    # Chinese has no spaces: a word from the middle of the text finds it too.
    assert found(indexed.search("护理")) == ["chinese.pdf"]
    assert found(indexed.search("改进项目")) == ["chinese.pdf"]
    assert found(indexed.search("护进")) == []  # two characters that are not neighbours
    page = indexed.search("kaleidoscope").results[0].pages[0]
    assert page.page == 2_001
    assert "kaleidoscope" in page.snippet


def test_search_keeps_working_after_the_bad_files(indexed: SearchService) -> None:
    assert indexed.status() == "ready"
    response = indexed.search("winter pressures report")
    assert found(response) == ["thousands-of-pages.pdf"]
    assert response.message is None
    # A scan has no words to find, but its title (from the file name) is searchable.
    assert found(indexed.search("scanned letter")) == ["scanned-letter.pdf"]
    nothing = indexed.search("locum")  # only in the password-protected file
    assert nothing.results == ()
    assert nothing.message == "No document contains “locum”."


def test_a_repaired_file_is_indexed_on_the_next_update(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    write_good_pdf(folder / "rota.pdf", ["staffing"])
    poster = make_png(folder)
    service = SearchService(tmp_path / "index", folder, None)
    try:
        first = service.prepare()
        assert first is not None
        assert first.skipped == [(poster.name, poster.error)]
        # Someone replaces the picture with the real PDF: the next update picks it up.
        good = write_good_pdf(tmp_path / "replacement.pdf", ["poster", "campaign"])
        shutil.copyfile(good.path, poster.path)
        second = service.prepare()
        assert second is not None
        assert second.skipped == []
        assert (second.documents, second.updated) == (2, 1)
        assert found(service.search("campaign")) == [poster.name]
        assert found(service.search("staffing")) == ["rota.pdf"]
    finally:
        service.close()
