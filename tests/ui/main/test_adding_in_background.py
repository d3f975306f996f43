"""Adding the user's own PDFs reads and hashes them on a worker thread, never the window's."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ecip_reader.library import my_documents as user_library
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.library.my_documents import AddResult
from ecip_reader.library.sources import MINE_LABEL
from ecip_reader.paths import AppPaths
from ecip_reader.ui.tasks import TaskRunner
from tests.support.badfiles import write_good_pdf
from tests.support.window import WAIT, start_session
from tests.ui.main.test_sources import titles


def test_adding_a_folder_leaves_the_window_free_and_open_file_waits_for_its_add(
    qtbot: QtBot,
    app_paths: AppPaths,
    small_library: Catalogue,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "audits"
    write_good_pdf(folder / "kingfisher.pdf", ["kingfisher"])
    write_good_pdf(folder / "kestrel.pdf", ["kestrel"])
    single = write_good_pdf(tmp_path / "handover-notes.pdf", ["heron"]).path
    gui_thread = threading.get_ident()
    hashed_on: list[int] = []
    release = threading.Event()
    real_hash = user_library.sha256_file

    def slow_hash(path: Path) -> str:  # a large file on a slow share
        hashed_on.append(threading.get_ident())
        release.wait(WAIT / 1000)
        return real_hash(path)

    monkeypatch.setattr(user_library, "sha256_file", slow_hash)
    tasks = TaskRunner(max_threads=2)
    session = start_session(qtbot, app_paths, small_library, tasks=tasks)
    window = session.window
    results: list[AddResult | None] = []
    window.sources.added.connect(results.append)
    try:
        assert window.sources.add_folder(folder)
        qtbot.waitUntil(lambda: "Adding 2 PDFs…" in window.work.text(), timeout=WAIT)
        assert len(hashed_on) == 1 and hashed_on[0] != gui_thread
        # while the first file is still being read, the window does what it is asked
        window.open_document("perfect-week")
        tab = window.tabs.current_tab()
        assert tab is not None and tab.entry.id == "perfect-week"
        window.library_filter.set_facet("source", MINE_LABEL)
        assert window.library_filter.rowCount() == 0
        assert results == []

        release.set()
        qtbot.waitUntil(lambda: len(results) == 1, timeout=WAIT)
        result = results[0]
        assert result is not None and len(result.added) == 2
        assert gui_thread not in hashed_on and len(hashed_on) == 2
        assert titles(session, MINE_LABEL) == ["kestrel", "kingfisher"]
        assert window.library_filter.rowCount() == 2
        qtbot.waitUntil(lambda: "Adding" not in window.work.text(), timeout=WAIT)

        # a PDF opened from outside the library gets its tab once it has been added
        release.clear()
        window.sources.open_file(single)
        qtbot.waitUntil(lambda: len(hashed_on) == 3, timeout=WAIT)
        assert "Adding 1 PDF…" in window.work.text()
        tab = window.tabs.current_tab()
        assert tab is not None and tab.entry.id == "perfect-week", "no tab before the add"
        release.set()
        qtbot.waitUntil(lambda: len(results) == 2, timeout=WAIT)
        qtbot.waitUntil(
            lambda: (
                (tab := window.tabs.current_tab()) is not None
                and tab.entry.title == "handover-notes"
            ),
            timeout=WAIT,
        )
        assert gui_thread not in hashed_on
    finally:
        release.set()
        tasks.wait(WAIT)
        session.close()
