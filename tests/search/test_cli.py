"""``ecip-reader index`` and ``ecip-reader search`` as a user runs them."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import threading
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
    assert [line["query"] for line in lines] == ["rota", "", '"fifteen minutes"', "zzzz"]
    assert [len(line["results"]) for line in lines] == [1, 0, 1, 0]
    assert lines[1]["message"] and lines[3]["message"]  # a blank line gets an empty answer
    assert all(line["took_ms"] >= 0 for line in lines)


def test_stdin_answers_every_line_and_nul_or_cr_separate_words(
    folder: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run(capsys, "index", "--library", str(folder))[0] == 0
    lines = ["ambulance\x00rota", "", "   ", "weekend\rrota", "\xff\xfe", "handover"] * 200
    raw = (
        "\r\n".join(lines)
        .encode("utf-8", "surrogateescape")
        .replace(b"\xc3\xbf\xc3\xbe", b"\xff\xfe")
    )
    stdin = io.TextIOWrapper(io.BytesIO(raw + b"\r\n"), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    code, out, err = run(capsys, "search", "--library", str(folder), "--json", "--stdin")
    assert (code, err) == (0, "")
    answers = [json.loads(line) for line in out.splitlines()]
    assert len(answers) == len(lines) == 1_200
    first = answers[:6]
    assert [a["query"] for a in first] == [
        "ambulance rota",
        "",
        "",
        "weekend rota",
        "\ufffd\ufffd",
        "handover",
    ]
    found = [sorted(r["doc_id"] for r in a["results"]) for a in first]
    assert found == [
        ["handover.pdf", "rota.pdf"],  # two words, each in one document (not "ambulancerota")
        [],
        [],
        ["rota.pdf"],
        [],
        ["handover.pdf"],
    ]


def test_an_empty_library_name_is_refused_not_read_as_the_current_folder(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    for command in (["index"], ["search", "rota"]):
        code, out, err = run(capsys, command[0], "--library", "", *command[1:])
        assert (code, out) == (2, "")
        assert err == (
            f"ecip-reader {command[0]}: --library: give the folder to use "
            "(the name given is empty).\n"
        )
    assert not list(Path.home().rglob("manifest.json"))  # nothing was indexed


def test_help_says_how_to_leave_out_a_word_and_both_ways_work(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    help_text = capsys.readouterr().out
    assert "ecip-reader search discharge NOT home" in help_text
    assert "ecip-reader search -- discharge -home" in help_text
    assert run(capsys, "index", "--library", str(folder))[0] == 0
    code, out, _err = run(capsys, "search", "--library", str(folder), "--json", "rota")
    assert [r["doc_id"] for r in json.loads(out)["results"]] == ["rota.pdf"]
    for query in (["--", "rota", "-weekend"], ["rota", "NOT", "weekend"]):
        code, out, err = run(capsys, "search", "--library", str(folder), "--json", *query)
        assert (code, err) == (0, "")
        assert json.loads(out)["results"] == []  # the rota's only page says "weekend"


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


@pytest.mark.slow
def test_output_cut_short_by_the_reader_ends_quietly(folder: Path, tmp_path: Path) -> None:
    """``ecip-reader search ... | head -1``: no traceback when head stops reading."""
    home = tmp_path / "home"
    command = [sys.executable, "-m", "ecip_reader", "--data-dir", str(home), "search"]
    command += ["--library", str(folder), "--json", "--stdin"]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        stdin = process.stdin

        def feed() -> None:
            with contextlib.suppress(BrokenPipeError):
                stdin.write(b"handover\nrota\n" * 20_000)
                stdin.close()

        feeder = threading.Thread(target=feed)
        feeder.start()
        first = process.stdout.readline()
        process.stdout.close()
        assert process.wait(60) == 1
        feeder.join(10)
        assert process.stderr is not None
        err = process.stderr.read()
    assert json.loads(first)["query"] == "handover"
    assert err == b""
