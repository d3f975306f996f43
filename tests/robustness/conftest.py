"""The bad-file corpus, written once per test session and shared read-only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ecip_reader.search.service import SearchService
from tests.support.badfiles import BadFile, build_corpus, write_good_pdf


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bad-files")


@pytest.fixture(scope="session")
def corpus(corpus_dir: Path) -> dict[str, BadFile]:
    """Every bad and unusual file, by case name (see tests/support/badfiles.py)."""
    return build_corpus(corpus_dir)


@pytest.fixture(scope="session")
def good_pdf(tmp_path_factory: pytest.TempPathFactory) -> BadFile:
    """An ordinary PDF that must still open after every bad one."""
    folder = tmp_path_factory.mktemp("good")
    return write_good_pdf(folder / "good.pdf", ["triage", "handover", "discharge"])


@pytest.fixture(scope="session")
def corpus_search(
    corpus: dict[str, BadFile], corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchService]:
    """The corpus folder indexed once, as the application indexes an imported folder."""
    service = SearchService(tmp_path_factory.mktemp("corpus-index"), corpus_dir, None)
    service.prepare()
    yield service
    service.close()
