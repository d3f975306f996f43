"""A full disk, before the reader starts or while it runs: nothing typed is lost.

The user's folders live on a small tmpfs that is filled to the last byte
(``tests/support/disks.py``), so every write really fails with "no space".
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.notes.editor import NoteDialog
from ecip_reader.ui.notes.integration import NotesFeature
from ecip_reader.userdata import Annotator, DocumentRef, UserDataStore
from ecip_reader.writable import prepare_folders
from tests.support.disks import fill, rerun_in_own_namespace, small_disk
from tests.support.users import run_as_ordinary_user
from tests.support.window import WAIT, Session, library_only_search, open_session

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support activ")

DOC = "perfect-week"


@dataclass
class Desk:
    paths: AppPaths
    session: Session
    notes: NotesFeature

    @property
    def window(self):  # type: ignore[no-untyped-def]
        return self.session.window


@contextmanager
def home_on(disk: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppPaths]:
    monkeypatch.setenv("ECIP_READER_HOME", str(disk / "home"))
    paths = AppPaths.from_environment()
    paths.ensure()
    yield paths


@contextmanager
def desk(qtbot: QtBot, paths: AppPaths, library: Catalogue, start: bool = True) -> Iterator[Desk]:
    session = open_session(qtbot, paths, library, search=library_only_search(library), start=start)
    notes = NotesFeature.create(session.window)
    try:
        yield Desk(paths, session, notes)
    finally:
        session.close()
        notes.close()
        if session.services.paths.cache != paths.cache:  # a stand-in in the temporary folder
            shutil.rmtree(session.services.paths.cache, ignore_errors=True)


def open_in_tab(qtbot: QtBot, d: Desk) -> None:
    d.window.open_document(DOC)
    qtbot.waitUntil(lambda: d.notes.controller.current_document() is not None, timeout=WAIT)


def test_a_disk_full_before_start_is_said_plainly_and_writing_comes_back(
    qtbot: QtBot,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    small_library: Catalogue,
) -> None:
    if rerun_in_own_namespace(request):
        return
    with small_disk() as disk, home_on(disk, monkeypatch) as paths:
        entry = small_library.get(DOC)
        with UserDataStore.open(paths) as store:  # an earlier run left a note
            Annotator(store, "Me").add_bookmark(DocumentRef(entry.sha256, DOC), 2, "kept")
        filler = fill(disk)

        with desk(qtbot, paths, small_library) as d:
            messages = d.window.message_bar.messages
            (message,) = messages
            assert message.startswith(
                "Your notes, reading history and settings cannot be saved: the disk is full ("
            )
            assert "Input/output" not in message and "I/O" not in message
            assert [b.label for b in d.notes.store.bookmarks()] == ["kept"]  # still readable
            open_in_tab(qtbot, d)
            bookmark = d.notes.controller.action("bookmark")
            assert not bookmark.isEnabled() and "the disk is full" in bookmark.toolTip()
            assert not d.window.action("add_pdfs").isEnabled()

            filler.unlink()  # IT frees some space
            d.window.storage.recheck()
            qtbot.waitUntil(bookmark.isEnabled, timeout=WAIT)
            assert d.window.message_bar.messages == []
            assert d.window.statusBar().currentMessage() == (
                "Your notes, reading history and settings can be saved again."
            )
            assert d.window.action("add_pdfs").isEnabled()
            assert bookmark.toolTip().startswith("Bookmark the current page")
            d.notes.annotator.add_bookmark(DocumentRef(entry.sha256, DOC), 3, "after")

        with UserDataStore.open(paths) as store:
            assert sorted(b.label for b in store.bookmarks()) == ["after", "kept"]


def test_a_note_typed_while_the_disk_is_full_is_kept_until_it_is_saved(
    qtbot: QtBot,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    small_library: Catalogue,
) -> None:
    if rerun_in_own_namespace(request):
        return
    text = "Ask the ward manager about the Friday huddle.\nTwo lines."
    with small_disk() as disk, home_on(disk, monkeypatch) as paths:
        with desk(qtbot, paths, small_library) as d:
            open_in_tab(qtbot, d)
            controller = d.notes.controller
            filler = fill(disk)  # the disk fills while the reader runs

            controller.add_sticky_note(1, (72.0, 72.0))
            dialog = controller.dialog
            assert isinstance(dialog, NoteDialog)
            dialog.editor.setPlainText(text)
            dialog.accept()

            # the dialog stays, with the text and the reason
            assert dialog.isVisible() and dialog.editor.toPlainText() == text
            assert dialog.problem.isVisible()
            assert "the disk is full" in dialog.problem.text()
            assert any("the disk is full" in m for m in d.window.message_bar.messages)
            assert not controller.action("bookmark").isEnabled()
            assert d.notes.store.annotations() == []

            # closed by mistake: the text comes back with the next note on that page
            dialog.reject()
            qtbot.waitUntil(lambda: controller.dialog is None, timeout=WAIT)
            filler.unlink()
            d.window.storage.recheck()
            qtbot.waitUntil(controller.action("bookmark").isEnabled, timeout=WAIT)
            controller.add_sticky_note(1, (72.0, 72.0))
            again = controller.dialog
            assert isinstance(again, NoteDialog) and again.editor.toPlainText() == text
            again.accept()
            qtbot.waitUntil(lambda: controller.dialog is None, timeout=WAIT)

        with UserDataStore.open(paths) as store:
            assert [a.note for a in store.annotations()] == [text]


def test_covers_on_a_full_disk_are_one_sentence_and_no_traceback(
    qtbot: QtBot,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    small_library: Catalogue,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if rerun_in_own_namespace(request):
        return
    with small_disk() as disk, home_on(disk, monkeypatch) as paths:
        session = open_session(
            qtbot, paths, small_library, search=library_only_search(small_library), start=False
        )
        window = session.window
        try:
            filler = fill(disk)
            caplog.set_level(logging.WARNING)
            with qtbot.waitSignal(window.thumbnails.finished, timeout=WAIT):
                window.start_background_work()
            covers = [m for m in window.message_bar.messages if "covers" in m]
            assert covers == [
                f"Cannot save covers: the disk is full ({paths.thumbnails}). "
                "Free some space and try again."
            ]
            assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
            assert all(window.thumbnails.pixmap(e.id) is not None for e in small_library)
            assert not list(paths.thumbnails.glob("*.png"))

            filler.unlink()
            window.storage.recheck()
            qtbot.waitUntil(lambda: not window.storage.is_failing("cache"), timeout=WAIT)
            assert not any("covers" in m for m in window.message_bar.messages)
        finally:
            session.close()


def test_an_ordinary_user_on_a_full_disk_is_told_so_and_keeps_reading(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if rerun_in_own_namespace(request):
        return
    with small_disk() as disk:
        home = disk / "home"
        home.mkdir(mode=0o777)
        home.chmod(0o777)
        monkeypatch.setenv("ECIP_READER_HOME", str(home))
        paths = AppPaths.from_environment()

        def first_run_then_full() -> dict[str, object]:
            paths.ensure()
            with UserDataStore.open(paths) as store:
                Annotator(store, "Me").add_bookmark(DocumentRef("0" * 64, "doc"), 1, "kept")
            filler = fill(disk)
            prepared = prepare_folders(paths)
            with UserDataStore.open(paths) as store:
                found = {
                    "sentence": prepared.sentence(),
                    "store": store.not_writable_reason,
                    "labels": [b.label for b in store.bookmarks()],
                }
            filler.unlink()
            with UserDataStore.open(paths) as store:
                found["writable_again"] = store.writable
            shutil.rmtree(str(prepared.paths.cache), ignore_errors=True)
            return found

        found = run_as_ordinary_user(first_run_then_full)
    assert found["sentence"] == (
        f"Your notes, reading history and settings cannot be saved: the disk is full "
        f"({paths.data}); everything can still be read."
    )
    assert found["store"] == (
        f"Cannot save your notes: the disk is full ({paths.database}). "
        "Free some space and try again."
    )
    assert found["labels"] == ["kept"] and found["writable_again"] is True
