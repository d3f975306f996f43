"""Fixtures of the presentation tests: a projector that can be plugged in and pulled out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from tests.support.presenting import Projector


@pytest.fixture
def projector(qtbot: QtBot) -> Iterator[Projector]:
    made = Projector(qtbot)
    try:
        yield made
    finally:
        made.unplug()
