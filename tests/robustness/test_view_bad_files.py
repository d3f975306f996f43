"""Every bad file in the page view: its sentence on screen or its pages, then a good file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ecip_reader.ui.document_view import DocumentView
from ecip_reader.ui.render_client import RenderClient
from tests.support.badfiles import CASES, BadFile

# The offscreen platform says this whenever a top-level window with a layout is shown.

WAIT = 20_000  # ms; generous for a loaded two-core machine
# The password prompt is not part of the page view yet; see the robustness notes.
VIEW_CASES = [case for case in CASES if case != "password"]


@pytest.fixture(scope="module")
def client(qapp: QApplication) -> Iterator[RenderClient]:
    """One worker process for the whole module, as in the application."""
    made = RenderClient()
    yield made
    made.close()


def open_view(qtbot: QtBot, client: RenderClient, bad: BadFile) -> DocumentView:
    view = DocumentView(client, bad.path, bad.case, bad.name)
    qtbot.addWidget(view)
    view.resize(640, 560)
    return view


@pytest.mark.parametrize("case", VIEW_CASES)
def test_each_file_shows_its_sentence_or_its_pages_and_the_next_file_opens(
    case: str,
    qtbot: QtBot,
    client: RenderClient,
    corpus: dict[str, BadFile],
    good_pdf: BadFile,
) -> None:
    bad = corpus[case]
    view = open_view(qtbot, client, bad)
    shown: list[str] = []
    view.failed.connect(shown.append)
    view.first_page_sharp.connect(lambda: shown.append("pages"))
    view.show()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT)
    if bad.error is not None:
        assert shown == [bad.error]
        assert view.page_count() == 0
    else:
        assert shown == ["pages"]
        assert view.page_count() == bad.pages
    view.close_document()
    pid = client.worker_pid()
    good = open_view(qtbot, client, good_pdf)
    with qtbot.waitSignal(good.first_page_sharp, timeout=WAIT):
        good.show()
    assert good.page_count() == 3
    assert client.worker_pid() == pid  # the same worker: nothing crashed
    good.close_document()
