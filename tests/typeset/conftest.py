"""Fixtures of the library build tests: the sample sources, built once per module."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecip_reader.typeset.build import TypesetReport, build_library

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A writable copy of the sample sources."""
    folder = tmp_path / "sources"
    shutil.copytree(FIXTURES, folder)
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> TypesetReport:
    """The sample sources built into a fresh folder."""
    return build_library(FIXTURES, tmp_path_factory.mktemp("built"))
