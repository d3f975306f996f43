"""A small installed library with its prebuilt index, for the ``verify`` tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecip_reader.search.builder import build_index
from ecip_reader.search.corpus import Corpus
from tests.support.library import make_test_library


@pytest.fixture(scope="module")
def built_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-document library with its prebuilt index in ``index/`` (built once)."""
    root = tmp_path_factory.mktemp("built") / "library"
    make_test_library(root)
    build_index(root / "index", Corpus.at(root))
    return root


@pytest.fixture
def library(built_library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the built library, used as the bundled library."""
    copy = tmp_path / "installed-library"
    shutil.copytree(built_library, copy)
    monkeypatch.setenv("ECIP_READER_LIBRARY", str(copy))
    return copy
