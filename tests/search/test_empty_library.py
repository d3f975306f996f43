"""A library with nothing to search answers with one sentence, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecip_reader.cli import main
from ecip_reader.search.service import NO_PDFS_MESSAGE, NONE_READABLE_MESSAGE, SearchService
from tests.support.badfiles import make_png, write_good_pdf


def test_searching_an_empty_folder_says_there_is_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    assert main(["search", "--library", str(folder), "discharge"]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (f"{NO_PDFS_MESSAGE}\n", "")
    assert main(["search", "--library", str(folder), "--json", "discharge"]) == 0
    response = json.loads(capsys.readouterr().out)
    assert (response["results"], response["message"]) == ([], NO_PDFS_MESSAGE)
    assert not [r for r in caplog.records if r.exc_info]  # nothing logged as a failure


def test_a_folder_of_unreadable_files_says_none_could_be_read_then_finds_a_good_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "junk"
    folder.mkdir()
    make_png(folder)
    service = SearchService(tmp_path / "index", folder, None)
    try:
        report = service.prepare()
        assert report is not None and report.documents == 0
        assert service.status() == "ready"
        response = service.search("anything")
        assert (response.results, response.message) == ((), NONE_READABLE_MESSAGE)
        assert service.more_like_this("photo-of-poster.pdf") == []
        write_good_pdf(folder / "rota.pdf", ["escalation"])
        assert service.status() == "stale"
        service.prepare()
        assert [hit.doc_id for hit in service.search("escalation").results] == ["rota.pdf"]
    finally:
        service.close()
    assert not [r for r in caplog.records if r.exc_info]
