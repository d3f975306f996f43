"""``ecip-reader index --library`` and ``search`` on the bad-file corpus, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.badfiles import BadFile


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ecip_reader", "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-home")


@pytest.fixture(scope="module")
def first_index(
    home: Path, corpus: dict[str, BadFile], corpus_dir: Path
) -> subprocess.CompletedProcess[str]:
    return cli(home, "index", "--library", str(corpus_dir), "--json")


def expected_skipped(corpus: dict[str, BadFile]) -> list[dict[str, Any]]:
    bad = sorted((b.name, b.error) for b in corpus.values() if b.error is not None)
    return [{"file": name, "reason": reason} for name, reason in bad]


def expected_notes(corpus: dict[str, BadFile]) -> list[dict[str, Any]]:
    """Readable files without a text layer: indexed, with a note saying so."""
    scans = sorted(
        (b.name, note)
        for b in corpus.values()
        if b.error is None
        for note in b.notes
        if note.endswith(" has no searchable text.")
    )
    return [{"file": name, "note": note} for name, note in scans]


def test_index_skips_each_bad_file_with_its_sentence_and_exits_0(
    first_index: subprocess.CompletedProcess[str], corpus: dict[str, BadFile]
) -> None:
    assert first_index.returncode == 0, first_index.stderr
    assert first_index.stderr == ""  # no MuPDF chatter, no traceback
    report = json.loads(first_index.stdout)
    assert report["skipped"] == expected_skipped(corpus)
    assert report["notes"] == expected_notes(corpus)
    assert report["notes"] == [
        {"file": "scanned-letter.pdf", "note": "scanned-letter.pdf has no searchable text."}
    ]
    assert report["documents"] == 14
    assert report["pages"] == sum(b.pages for b in corpus.values() if b.error is None)


def test_search_afterwards_finds_welsh_and_polish_words(
    first_index: subprocess.CompletedProcess[str], home: Path, corpus_dir: Path
) -> None:
    assert first_index.returncode == 0
    for word, document in (("dŵr", "cymraeg.pdf"), ("gęślą", "polski.pdf")):
        done = cli(home, "search", "--library", str(corpus_dir), "--json", word)
        assert done.returncode == 0, done.stderr
        response = json.loads(done.stdout)
        assert [hit["doc_id"] for hit in response["results"]] == [document]


def test_a_nonsense_query_gets_a_plain_message(
    first_index: subprocess.CompletedProcess[str], home: Path, corpus_dir: Path
) -> None:
    assert first_index.returncode == 0
    done = cli(home, "search", "--library", str(corpus_dir), "--json", '"(( -" ~* | ^')
    assert done.returncode == 0, done.stderr
    response = json.loads(done.stdout)
    assert response["results"] == []
    assert response["message"] == (
        "Type a word to search for (very common words such as “the” are not searched)."
    )


def test_updating_again_lists_the_same_files_and_reads_nothing_new(
    first_index: subprocess.CompletedProcess[str],
    home: Path,
    corpus: dict[str, BadFile],
    corpus_dir: Path,
) -> None:
    assert first_index.returncode == 0
    done = cli(home, "index", "--library", str(corpus_dir))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Indexed 14 documents (")
    assert lines[0].endswith(" — 0 new, 0 changed, 0 removed.")
    assert lines[1] == "Skipped 6 file(s):"
    listed = lines[2:8]
    # Each reason is a sentence naming its file, printed as it is.
    assert listed == [f"  {item['reason']}" for item in expected_skipped(corpus)]
    assert lines[8:10] == ["Notes:", "  scanned-letter.pdf has no searchable text."]
