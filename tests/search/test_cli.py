"""``ecip-reader index`` and ``ecip-reader search`` as a user runs them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ecip_reader.cli import main
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import LIBRARY_ENV
from ecip_reader.search.service import PREBUILT_DIR, SearchService
from tests.support.pdfs import write_text_pdf


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    write_text_pdf(
        folder / "handover.pdf", ["Ambulance handover.", "Handover within fifteen minutes."]
    )
    write_text_pdf(folder / "rota.pdf", ["Weekend rota."])
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 truncated")
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_reports_pages_skipped_files_and_time_as_json(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "index", "--library", str(folder), "--json")
    assert code == 0
    report = json.loads(out)
    assert (report["documents"], report["pages"]) == (2, 3)
    assert report["seconds"] >= 0
    [skipped] = report["skipped"]
    assert skipped["file"] == "notes.pdf" and skipped["reason"].startswith("notes.pdf ")
    # A second run reads nothing new and still lists the skipped file.
    code, out, _err = run(capsys, "index", "--library", str(folder))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Indexed 2 documents (3 pages)")
    assert lines[0].endswith("0 new, 0 changed, 0 removed.")
    # The reason names the file already; it is printed once, as it is.
    assert lines[1:3] == ["Skipped 1 file(s):", f"  {skipped['reason']}"]


def test_usage_errors_exit_2_and_an_unwritable_index_exits_1(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "index", "--library", str(tmp_path / "nowhere"))[0] == 2
    assert run(capsys, "search", "--library", str(tmp_path / "nowhere"), "x")[0] == 2
    assert run(capsys, "search", "--library", str(folder))[0] == 2
    assert run(capsys, "search", "--library", str(folder), "--limit", "0", "rota")[0] == 2
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _out, err = run(
        capsys, "index", "--library", str(folder), "--output", str(blocker / "index")
    )
    assert code == 1
    assert "search index" in err and "Traceback" not in err


def test_search_prints_ranked_documents_with_pages_and_snippets(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "search", "--library", str(folder), "handover")
    assert code == 0
    assert "1 document for 'handover'" in out
    assert "1. handover" in out
    assert "p. 1: Ambulance handover." in out or "p. 2: Handover within fifteen minutes." in out

    code, out, _err = run(capsys, "search", "--library", str(folder), "handovr")
    assert 'Showing results for: handover (as typed: "handovr")' in out

    code, out, _err = run(capsys, "search", "--library", str(folder), "--json", "handovr")
    response = json.loads(out)
    assert response["corrected_query"] == "handover"
    assert response["as_typed_query"] == '"handovr"'
    assert [r["doc_id"] for r in response["results"]] == ["handover.pdf"]
    assert {p["page"] for p in response["results"][0]["pages"]} == {1, 2}
    assert set(response["facets"]) == {"kind", "organisation", "programme", "topic"}


def test_search_reads_one_query_per_line_and_writes_one_json_line_each(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "index", "--library", str(folder))[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO('rota\n\n"fifteen minutes"\nzzzz\n'))
    code, out, _err = run(capsys, "search", "--library", str(folder), "--json", "--stdin")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["query"] for line in lines] == ["rota", '"fifteen minutes"', "zzzz"]
    assert [len(line["results"]) for line in lines] == [1, 1, 0]
    assert lines[2]["message"]
    assert all(line["took_ms"] >= 0 for line in lines)


def test_the_bundled_library_is_indexed_into_the_cache_or_into_an_output_folder(
    small_library: Catalogue,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_home: Path,
) -> None:
    monkeypatch.setenv(LIBRARY_ENV, str(small_library.root))
    code, out, _err = run(capsys, "index", "--json")
    assert code == 0 and json.loads(out)["pages"] == 7
    assert (isolated_home / "ecip" / "cache" / "indexes" / "bundled" / "manifest.json").is_file()
    code, out, _err = run(capsys, "search", "--json", "--kind", "presentation", "emergency")
    assert [r["doc_id"] for r in json.loads(out)["results"]] == ["breaking-the-cycle"]

    output = small_library.root / PREBUILT_DIR
    code, out, _err = run(capsys, "index", "--output", str(output), "--json")
    assert code == 0 and (output / "manifest.json").is_file()
    assert not list(small_library.root.glob(".*lock"))
    service = SearchService(isolated_home / "elsewhere", small_library.root, small_library)
    try:
        assert service.status() == "ready"  # the shipped index is used as it is
        assert service.search("escalation").results
    finally:
        service.close()
