"""A data folder that cannot be written: the reader starts, reads and says why notes wait."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pytestqt.qtbot import QtBot

from ecip_reader.paths import AppPaths
from ecip_reader.ui.notes.integration import NotesFeature
from tests.support.badfiles import write_good_pdf
from tests.support.window import WAIT
from tests.ui.main.test_sources import SessionMaker


@contextmanager
def unwritable(*folders: Path) -> Iterator[None]:
    """Refuse writes into ``folders`` even for root (the immutable attribute)."""
    if os.geteuid() == 0:
        for folder in folders:
            subprocess.run(["chattr", "+i", str(folder)], check=True)
        try:
            yield
        finally:
            for folder in reversed(folders):
                subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        modes = {folder: folder.stat().st_mode for folder in folders}
        for folder in folders:
            folder.chmod(0o555)
        try:
            yield
        finally:
            for folder, mode in modes.items():
                folder.chmod(mode)


def test_read_only_data_folder(
    qtbot: QtBot, session_maker: SessionMaker, app_paths: AppPaths, tmp_path: Path
) -> None:
    own = write_good_pdf(tmp_path / "own.pdf", ["heron"]).path
    with unwritable(app_paths.data, app_paths.config):
        session = session_maker()
        window = session.window
        notes = NotesFeature.create(window)
        try:
            assert notes.notice.isVisible()
            assert notes.notice.label.text().startswith("Notes cannot be saved:")

            # everything can still be read
            window.open_document("perfect-week")
            tab = window.tabs.current_tab()
            assert tab is not None and tab.entry.id == "perfect-week"

            # saving settings, history and the list of own documents fails politely
            window.set_theme("dark")
            assert any(
                m.startswith("Cannot save your settings") for m in window.message_bar.messages
            )
            window.tabs.close_current()
            window.tabs.save_history()
            assert any("reading history" in m for m in window.message_bar.messages)
            with qtbot.waitSignal(window.sources.added, timeout=WAIT) as blocker:
                assert window.sources.add_files([own])
            assert blocker.args == [None]
            assert window.message_bar.text().startswith(
                "Cannot save the list of your own documents"
            )
            window.close()
        finally:
            notes.close()
