"""Folders that cannot be written: the window opens, reads everything and says why once.

The folders are made read-only by a read-only bind mount, which stops root as
well as anyone else (see ``tests/support/disks.py``).
"""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.notes.integration import NotesFeature
from ecip_reader.writable import CACHE, CONFIG, DATA, prepare_folders
from tests.support.badfiles import write_good_pdf
from tests.support.disks import read_only, rerun_in_own_namespace, small_disk
from tests.support.users import run_as_ordinary_user, shared_folder
from tests.support.window import WAIT, open_session


def test_read_only_data_and_config_folders(
    qtbot: QtBot,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    small_library: Catalogue,
) -> None:
    if rerun_in_own_namespace(request):
        return
    own = write_good_pdf(tmp_path / "own.pdf", ["heron"]).path
    with small_disk() as disk:
        monkeypatch.setenv("ECIP_READER_HOME", str(disk / "home"))
        paths = AppPaths.from_environment()
        paths.ensure()  # an earlier run made the folders; now they are read-only
        with read_only(paths.data), read_only(paths.config):
            session = open_session(qtbot, paths, small_library)
            window = session.window
            notes = NotesFeature.create(window)
            try:
                sentence = (
                    "Your notes, reading history and settings cannot be saved: the folder is "
                    f"read-only ({paths.data}); everything can still be read."
                )
                assert window.message_bar.messages == [sentence]
                assert notes.notice.isHidden()  # said once, by the window

                # everything can still be read
                window.open_document("perfect-week")
                tab = window.tabs.current_tab()
                assert tab is not None and tab.entry.id == "perfect-week"

                # writing is off, and says why
                for action in (notes.controller.action("bookmark"), window.action("add_pdfs")):
                    assert not action.isEnabled()
                    assert "read-only" in action.toolTip()

                # settings and history live in memory: no new message for each change
                window.set_theme("dark")
                assert window.theme.choice == "dark"
                window.tabs.close_current()
                window.tabs.save_history()
                assert window.message_bar.messages == [sentence]
                with qtbot.waitSignal(window.sources.added, timeout=WAIT) as blocker:
                    assert window.sources.add_files([own])
                assert blocker.args == [None]
            finally:
                session.close()
                notes.close()
        assert sorted(p.name for p in paths.data.iterdir()) == []  # nothing was written


def test_first_run_below_a_read_only_home(
    qtbot: QtBot,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    small_library: Catalogue,
) -> None:
    if rerun_in_own_namespace(request):
        return
    with small_disk() as disk, read_only(disk / "home") as home:
        monkeypatch.setenv("ECIP_READER_HOME", str(home / "ecip"))
        paths = AppPaths.from_environment()
        session = open_session(qtbot, paths, small_library)
        window = session.window
        used = session.services.paths
        stand_in = used.cache
        try:
            assert used.data == paths.data and used.config == paths.config
            assert stand_in != paths.cache and stand_in.is_dir()  # in the temporary folder
            assert stat.S_IMODE(stand_in.stat().st_mode) == 0o700
            (message,) = window.message_bar.messages
            assert message.startswith("Your notes, reading history and settings cannot be saved")
            assert f"the folder is read-only ({home / 'ecip'})" in message
            # search works from the stand-in cache
            qtbot.waitUntil(lambda: session.services.search.ready, timeout=WAIT)
            assert session.services.search.search("discharge", {}).results
            session.close()
            assert not (home / "ecip").exists()

            # the next start finds the index it built there
            built = sorted(p.name for p in (stand_in / "indexes").iterdir())
            again = open_session(qtbot, paths, small_library)
            assert again.services.paths.cache == stand_in
            assert sorted(p.name for p in (stand_in / "indexes").iterdir()) == built
            again.close()
        finally:
            session.close()
            shutil.rmtree(stand_in, ignore_errors=True)


def test_an_ordinary_user_without_permission_is_told_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with shared_folder() as folder:
        home = folder / "home"
        home.mkdir()
        home.chmod(0o555)  # the user may read it but not write in it, even if it is theirs
        monkeypatch.setenv("ECIP_READER_HOME", str(home / "ecip"))
        paths = AppPaths.from_environment()

        def prepare() -> dict[str, object]:
            prepared = prepare_folders(paths)
            return {
                "roles": [p.role for p in prepared.problems],
                "sentence": prepared.sentence(),
                "cache": str(prepared.paths.cache),
            }

        found = run_as_ordinary_user(prepare)
    shutil.rmtree(str(found["cache"]), ignore_errors=True)
    assert found["roles"] == [DATA, CONFIG, CACHE]
    assert found["sentence"] == (
        "Your notes, reading history and settings cannot be saved: permission denied "
        f"({home / 'ecip'}); everything can still be read."
    )
    assert found["cache"] != str(paths.cache)


def test_a_database_that_refuses_writes_is_not_announced_writable_too_soon(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(qtbot, app_paths, small_library)
    window = session.window
    notes = NotesFeature.create(window)
    try:
        window.open_document("perfect-week")
        qtbot.waitUntil(lambda: notes.controller.current_document() is not None, timeout=WAIT)
        bookmark = notes.controller.action("bookmark")
        notes.store.query("PRAGMA query_only = ON")  # the folder is fine, the database refuses
        notes.controller.bookmark_current_page()
        dialog = notes.controller.dialog
        assert dialog is not None
        dialog.accept()
        assert dialog.isVisible() and not bookmark.isEnabled()
        (sentence,) = window.message_bar.messages
        assert sentence.startswith("Cannot save your notes: ")

        window.storage.recheck()  # the folder takes a write; the database still does not
        assert window.storage.is_failing(DATA) and window.message_bar.messages == [sentence]
        assert not window.statusBar().currentMessage()

        notes.store.query("PRAGMA query_only = OFF")
        window.storage.recheck()
        qtbot.waitUntil(bookmark.isEnabled, timeout=WAIT)
        assert window.message_bar.messages == []
        dialog.accept()
        assert [b.label for b in notes.store.bookmarks()] == ["Page 1"]
    finally:
        session.close()
        notes.close()


def test_a_read_only_cache_alone_is_replaced_without_a_word(
    qtbot: QtBot,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    small_library: Catalogue,
) -> None:
    if rerun_in_own_namespace(request):
        return
    with small_disk() as disk:
        monkeypatch.setenv("ECIP_READER_HOME", str(disk / "home"))
        paths = AppPaths.from_environment()
        paths.ensure()
        with read_only(paths.cache):
            session = open_session(qtbot, paths, small_library)
            stand_in = session.services.paths.cache
            try:
                assert stand_in != paths.cache
                assert session.window.message_bar.messages == []
                assert not session.window.storage.is_failing(CACHE)
            finally:
                session.close()
                shutil.rmtree(stand_in, ignore_errors=True)
