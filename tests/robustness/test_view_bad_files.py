"""Every bad file in the page view: its sentence on screen or its pages, then a good file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ecip_reader.ui.reader.view import DocumentView
from ecip_reader.ui.render.client import RenderClient
from tests.support.badfiles import CASES, BadFile

WAIT = 20_000  # ms; generous for a loaded two-core machine
# The password prompt has its own tests (tests/ui/deploy/test_password_prompt.py).
VIEW_CASES = [case for case in CASES if case != "password"]
# What the view tells a reader as a document opens (scripts and attachments are not
# scanned then: nothing active ever runs, and the scan is slow on large files).
SHOWN_NOTES = ("has been repaired", "has no searchable text", "does not allow")


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
    notices: list[str] = []
    view.failed.connect(shown.append)
    view.notice.connect(notices.append)
    view.first_page_sharp.connect(lambda: shown.append("pages"))
    view.show()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT)
    if bad.error is not None:
        assert shown == [bad.error]
        assert view.page_count() == 0
    else:
        assert shown == ["pages"]
        assert view.page_count() == bad.pages
        expected = [n for n in bad.notes if any(part in n for part in SHOWN_NOTES)]
        assert notices == expected
    view.close_document()
    pid = client.worker_pid()
    good = open_view(qtbot, client, good_pdf)
    with qtbot.waitSignal(good.first_page_sharp, timeout=WAIT):
        good.show()
    assert good.page_count() == 3
    assert client.worker_pid() == pid  # the same worker: nothing crashed
    good.close_document()
