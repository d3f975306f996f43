"""Fixtures of the render client tests: the PDFs that are slow to draw or to open, made once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.slow_pdfs import write_inflating_pdf, write_slow_to_open_pdf


@pytest.fixture(scope="session")
def inflating_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inflating_pdf(tmp_path_factory.mktemp("slow") / "heavy-drawing.pdf")


@pytest.fixture(scope="session")
def slow_to_open_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_slow_to_open_pdf(tmp_path_factory.mktemp("slow") / "endless-lines.pdf")
