"""Pipes, devices, sockets, link loops, dangling links, names that are not UTF-8 and a
page tree claiming two billion pages: each is refused at once with its sentence by
every reader of files, and the good files beside them are indexed as usual."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ecip_reader.errors import DocumentError
from ecip_reader.fileio import NotAFile, check_regular_file
from ecip_reader.library.my_documents import UserLibrary
from ecip_reader.paths import AppPaths
from ecip_reader.pdf.document import open_pdf
from ecip_reader.search.service import SearchService
from ecip_reader.settings import Settings
from tests.support.badfiles import write_good_pdf
from tests.support.hostile import CASES, NON_UTF8_SHOWN, Hostile, build_hostile, listening_socket

REFUSED = [case for case in CASES if case != "non-utf8-name"]


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    write_good_pdf(folder / "good.pdf", ["triage", "handover"])
    return folder


@pytest.fixture(scope="module")
def hostile(hostile_dir: Path) -> dict[str, Hostile]:
    return build_hostile(hostile_dir)


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "ecip_reader", "--data-dir", str(home), *args],
        capture_output=True,
        timeout=90,
        check=False,
    )


@pytest.mark.parametrize("case", REFUSED)
def test_opening_gives_the_one_sentence(case: str, hostile: dict[str, Hostile]) -> None:
    bad = hostile[case]
    with pytest.raises(DocumentError) as caught:
        open_pdf(bad.path)
    assert str(caught.value) == bad.error


def test_a_socket_is_refused_too(tmp_path: Path) -> None:
    with listening_socket(tmp_path) as bad:
        with pytest.raises(DocumentError) as caught:
            open_pdf(bad.path)
        assert str(caught.value) == bad.error
        with pytest.raises(NotAFile):
            check_regular_file(bad.path)


def test_a_name_that_is_not_utf8_opens(hostile: dict[str, Hostile]) -> None:
    doc = open_pdf(hostile["non-utf8-name"].path)
    try:
        assert doc.page_count == 2
        assert "nightingale" in doc.load_page(0).get_text()
    finally:
        doc.close()


def test_indexing_names_each_hostile_file_and_finds_the_rest(
    hostile: dict[str, Hostile], hostile_dir: Path, tmp_path: Path
) -> None:
    service = SearchService(tmp_path / "index", hostile_dir, None)
    try:
        report = service.prepare()
        assert report is not None
        expected = sorted((hostile[c].path.name, hostile[c].error) for c in REFUSED)
        assert sorted(report.skipped) == expected
        assert report.restarts == 0  # nothing took the extraction worker down
        assert (report.documents, report.pages) == (2, 4)
        hits = service.search("nightingale").results
        assert [hit.doc_id for hit in hits] == [NON_UTF8_SHOWN]
        assert [hit.doc_id for hit in service.search("handover").results] == ["good.pdf"]
    finally:
        service.close()


def test_index_json_is_valid_utf8_and_text_mode_names_every_file(
    hostile: dict[str, Hostile], hostile_dir: Path, tmp_path: Path
) -> None:
    done = cli(tmp_path / "home", "index", "--library", str(hostile_dir), "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""  # no traceback, no MuPDF chatter
    report = json.loads(done.stdout.decode("utf-8"))  # strict: invalid UTF-8 fails here
    skipped = {item["file"]: item["reason"] for item in report["skipped"]}
    assert skipped == {hostile[c].path.name: hostile[c].error for c in REFUSED}
    assert report["documents"] == 2

    again = cli(tmp_path / "home", "index", "--library", str(hostile_dir))
    assert again.returncode == 0 and again.stderr == b""
    lines = again.stdout.decode("utf-8").splitlines()
    assert lines[0].endswith("— 0 new, 0 changed, 0 removed.")
    assert lines[1] == f"Skipped {len(REFUSED)} file(s):"
    assert sorted(lines[2 : 2 + len(REFUSED)]) == sorted(f"  {hostile[c].error}" for c in REFUSED)

    found = cli(tmp_path / "home", "search", "--library", str(hostile_dir), "nightingale")
    assert found.returncode == 0 and found.stderr == b""
    assert f"({NON_UTF8_SHOWN})" in found.stdout.decode("utf-8")


def test_my_documents_refuses_each_with_its_sentence_and_keeps_the_good_one(
    hostile: dict[str, Hostile], hostile_dir: Path, app_paths: AppPaths
) -> None:
    library = UserLibrary.for_paths(app_paths)
    settings = Settings(app_paths.settings_file)
    files = [hostile[c].path for c in REFUSED if c != "huge-page-count"]
    result = library.add_files([*files, hostile_dir / "good.pdf"], settings)
    assert result.problems == [hostile[c].error for c in REFUSED if c != "huge-page-count"]
    assert [d.path.name for d in result.added] == ["good.pdf"]
    assert [d.path.name for d in UserLibrary.for_paths(app_paths).documents()] == ["good.pdf"]


def test_a_file_swapped_for_a_pipe_after_the_look_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Looked at as a file, then replaced by a pipe before it is opened: no wait."""
    import ecip_reader.fileio as fileio

    path = tmp_path / "swapped.pdf"
    write_good_pdf(path, ["alpha"])
    real_check = fileio.check_regular_file

    def check_then_swap(target: Path) -> object:
        info = real_check(target)
        target.unlink()
        fileio.os.mkfifo(target)
        return info

    monkeypatch.setattr(fileio, "check_regular_file", check_then_swap)
    with pytest.raises(NotAFile) as caught:
        fileio.open_regular(path)
    assert caught.value.sentence() == "swapped.pdf is a named pipe, not a file."
