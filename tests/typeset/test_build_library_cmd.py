"""``ecip-reader build-library``: progress, summary and exit codes."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from ecip_reader.cli import build_library_cmd
from ecip_reader.library.catalogue import load_catalogue
from ecip_reader.paths import AppPaths


def run(argv: list[str], paths: AppPaths) -> int:
    parser = argparse.ArgumentParser()
    build_library_cmd.add_arguments(parser)
    return build_library_cmd.run(parser.parse_args(argv), paths)


def test_builds_and_reports_each_document(
    sources: Path, tmp_path: Path, app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(["--sources", str(sources), "--output", str(out)], app_paths) == 0
    printed = capsys.readouterr().out
    assert "[1/3] sample-case-study: case-study," in printed
    assert "[3/3] sample-supporting: supporting-document," in printed
    assert "Done: 3 documents (3 typeset)" in printed
    # The fixtures are shorter than the writing guide asks; the build says so.
    assert "warning: sample-supporting.md:" in printed
    assert len(load_catalogue(out, verify_hashes=True)) == 3


def test_only_typesets_the_named_document(
    sources: Path, tmp_path: Path, app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(["--sources", str(sources), "--output", str(out)], app_paths) == 0
    capsys.readouterr()
    argv = ["--sources", str(sources), "--output", str(out), "--only", "sample-presentation"]
    assert run(argv, app_paths) == 0
    printed = capsys.readouterr().out
    assert "sample-case-study: case-study, 3 pages (kept)" in printed
    assert "Done: 3 documents (1 typeset)" in printed


def test_a_source_error_exits_1_naming_file_and_line(
    sources: Path, tmp_path: Path, app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sources / "sample-supporting.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    bad = lines.index("# The standards") + 1
    lines[bad - 1] = "### The standards"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run(["--sources", str(sources), "--output", str(out)], app_paths) == 1
    err = capsys.readouterr().err
    assert f"error: sample-supporting.md, line {bad}: only '# ' and '## ' headings" in err
    assert "nothing was written" in err
    assert not out.exists()
