"""Helpers for the page-view tests: how long to wait, and pointing the mouse at known words."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from ecip_reader.ui.reader.view import DocumentView

WAIT = 20_000  # ms; generous for a loaded two-core machine

ViewMaker = Callable[..., DocumentView]


def words_of(qtbot: QtBot, view: DocumentView, page: int) -> tuple:
    view.fetch_words(page)
    qtbot.waitUntil(lambda: view.words(page) is not None, timeout=WAIT)
    words = view.words(page)
    assert words is not None
    return words


def word_point(qtbot: QtBot, view: DocumentView, page: int, text: str, nth: int = 0) -> QPoint:
    """The middle of the ``nth`` word ``text`` of ``page`` (1-based), in viewport pixels."""
    matches = [w for w in words_of(qtbot, view, page) if w[4] == text]
    x0, y0, x1, y1 = matches[nth][:4]
    return view.canvas().to_view(page, (x0 + x1) / 2, (y0 + y1) / 2).toPoint()


def pdf_point(view: DocumentView, page: int, x: float, y: float) -> QPoint:
    return view.canvas().to_view(page, x, y).toPoint()


def average_colour(image: QImage) -> QColor:
    r = g = b = n = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            c = QColor(image.pixel(x, y))
            r, g, b, n = r + c.red(), g + c.green(), b + c.blue(), n + 1
    return QColor(r // max(n, 1), g // max(n, 1), b // max(n, 1))


def page_image(view: DocumentView, page: int) -> QImage:
    canvas = view.canvas()
    rect = canvas.page_rect(page - 1).intersected(canvas.viewport().rect())
    return canvas.viewport().grab(rect).toImage()
