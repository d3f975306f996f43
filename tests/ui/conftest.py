"""Fixtures of the UI tests: a render worker, document views, and main windows.

Every main window opened through :func:`tests.support.window.open_session` is
closed when its test ends, whether the test passed or failed, so a failing
test never leaves its render worker running into later tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.reader.view import DocumentView
from ecip_reader.ui.render.client import RenderClient
from tests.support.pdfs import write_reading_pdf
from tests.support.reading import WAIT, ViewMaker
from tests.support.window import Session, close_open_sessions, start_session


@pytest.fixture(autouse=True)
def _close_windows() -> Iterator[None]:
    try:
        yield
    finally:
        close_open_sessions()


@pytest.fixture
def reading_pdf(tmp_path: Path) -> Path:
    return write_reading_pdf(tmp_path)


@pytest.fixture
def client(qtbot: QtBot) -> Iterator[RenderClient]:
    made = RenderClient()
    yield made
    made.close()


@pytest.fixture
def make_view(qtbot: QtBot, client: RenderClient) -> Iterator[ViewMaker]:
    views: list[DocumentView] = []

    def make(path: Path, size: tuple[int, int] = (700, 600)) -> DocumentView:
        view = DocumentView(client, path, path.stem, path.stem.replace("-", " ").title())
        qtbot.addWidget(view)
        view.resize(*size)
        with qtbot.waitSignal(view.first_page_sharp, timeout=WAIT):
            view.show()
        views.append(view)
        return view

    yield make
    for view in views:
        view.close_document()


@pytest.fixture
def session_maker(qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue) -> Iterator:
    sessions: list[Session] = []

    def make() -> Session:
        session = start_session(qtbot, app_paths, small_library)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.close()
