"""Fixtures of the presentation tests: a projector that can be plugged in and pulled out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from tests.support.presenting import LAPTOP, PROJECTOR, set_offscreen_screens


class Projector:
    """A second screen for the offscreen platform, plugged in and out on request."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot

    def plug(self) -> None:
        set_offscreen_screens([LAPTOP, PROJECTOR])
        self.qtbot.waitUntil(lambda: len(QGuiApplication.screens()) == 2, timeout=5000)

    def unplug(self) -> None:
        set_offscreen_screens([LAPTOP])
        self.qtbot.waitUntil(lambda: len(QGuiApplication.screens()) == 1, timeout=5000)


@pytest.fixture
def projector(qtbot: QtBot) -> Iterator[Projector]:
    made = Projector(qtbot)
    try:
        yield made
    finally:
        made.unplug()
