"""A main window over the small test library whose search also covers the other sources."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ecip_reader.app import build_services
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.main.window import MainWindow
from ecip_reader.ui.search.host import SearchHost
from ecip_reader.ui.tasks import ImmediateTaskRunner, TaskRunner
from tests.ui.main_support import Session, library_env


def write_policy(text: str) -> Path:
    """Write the machine-wide policy file the isolated home points at."""
    path = AppPaths.from_environment().policy_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def start_session(
    qtbot: QtBot, paths: AppPaths, library: Catalogue, tasks: TaskRunner | None = None
) -> Session:
    from ecip_reader.search.combined import CombinedSearch
    from ecip_reader.search.service import bundled_index_dir

    tasks = tasks or ImmediateTaskRunner()
    with library_env(library):
        services, holder = build_services(paths, tasks=tasks)
        sources = services.sources
        services.search = SearchHost(
            tasks,
            lambda: CombinedSearch(bundled_index_dir(paths), library.root, library, sources),
        )
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.resize(1300, 820)
        window.show()
        qtbot.waitExposed(window)
        session = Session(services, holder, window)
        window.start_background_work()
    return session


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
