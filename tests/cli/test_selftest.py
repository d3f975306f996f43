"""``ecip-reader self-test`` run as a user or an installer would: a separate process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import LIBRARY_ENV, bundled_library_dir

TIMEOUT = 300  # seconds; the first run builds the search index


def self_test(*args: str, library: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the command must choose offscreen by itself
    if library is not None:
        env[LIBRARY_ENV] = str(library)
    return subprocess.run(
        [sys.executable, "-m", "ecip_reader", "self-test", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        check=False,
    )


@pytest.mark.slow
def test_self_test_passes_on_the_bundled_library_and_reports_timings() -> None:
    assert (bundled_library_dir() / "catalogue.json").is_file()
    result = self_test("--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["failed_step"] is None
    assert report["version"]
    timings = report["timings_ms"]
    for step in ("first_paint", "load_catalogue", "search", "open_document"):
        assert timings[step] > 0, step
    # first paint is counted from the start of the process, so it includes Python's start
    assert 50 < timings["first_paint"] < 20_000
    assert report["documents"] >= 30
    assert report["search_hits"] >= 1
    assert report["notes"] is True  # the notes feature started with the window


@pytest.mark.slow
def test_second_run_reuses_the_index(small_library: Catalogue) -> None:
    first = self_test("--json", library=small_library.root)
    second = self_test("--json", library=small_library.root)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    built = json.loads(first.stdout)["timings_ms"]["prepare_index"]
    reused = json.loads(second.stdout)["timings_ms"]["prepare_index"]
    assert reused < built


def test_plain_output_names_each_step(small_library: Catalogue) -> None:
    result = self_test(library=small_library.root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for step in ("first_paint", "load_catalogue", "search", "open_document"):
        assert any(line.startswith(step) and line.endswith(" ms") for line in lines), step
    assert lines[-1] == "self-test passed"


def test_a_missing_library_fails_at_the_catalogue_step(tmp_path: Path) -> None:
    empty = tmp_path / "no-library"
    empty.mkdir()
    result = self_test("--json", library=empty)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["failed_step"] == "load_catalogue"
    assert "catalogue.json" in report["error"]


def test_a_query_that_finds_nothing_fails_at_the_search_step(small_library: Catalogue) -> None:
    result = self_test("--json", "--query", "xylophone", library=small_library.root)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["failed_step"] == "search"
    assert "xylophone" in report["error"]
    assert "first_paint" in report["timings_ms"]
