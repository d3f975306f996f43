"""My documents in the window: hostile files refused with a sentence, a file that does not
open never kept, and any entry taken out again from the File menu or its context menu."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ecip_reader.library.my_documents import FILE_NAME
from ecip_reader.library.sources import MINE_LABEL
from ecip_reader.paths import AppPaths
from tests.support.badfiles import make_png, write_good_pdf
from tests.support.hostile import build_hostile
from tests.support.window import WAIT, Session, write_policy

SessionMaker = Callable[[], Session]


def mine(session: Session) -> list[str]:
    model = session.window.library_model
    return sorted(e.title for e in model.entries() if model.source_label(e.id) == MINE_LABEL)


def mine_id(session: Session, title: str) -> str:
    model = session.window.library_model
    return next(e.id for e in model.entries() if e.title == title)


def test_opening_a_pipe_a_device_or_a_broken_link_says_why_and_keeps_nothing(
    qtbot: QtBot, session_maker: SessionMaker, tmp_path: Path
) -> None:
    hostile = build_hostile(tmp_path / "drop")
    session = session_maker()
    window = session.window
    tabs_before = len(window.tabs.document_tabs())
    for case in ("fifo", "device-link", "symlink-loop", "dangling-link"):
        bad = hostile[case]
        with qtbot.waitSignal(window.sources.added, timeout=WAIT):
            window.sources.open_file(bad.path)
        assert window.message_bar.text() == bad.error
    assert mine(session) == []
    assert len(window.tabs.document_tabs()) == tabs_before  # no tab for any of them


def test_a_file_that_cannot_be_opened_is_not_kept_in_my_documents(
    qtbot: QtBot, session_maker: SessionMaker, tmp_path: Path
) -> None:
    hostile = build_hostile(tmp_path / "drop")
    poster = make_png(tmp_path / "drop")
    session = session_maker()
    window = session.window
    with qtbot.waitSignal(window.sources.added, timeout=WAIT):
        window.sources.open_file(poster.path)  # refused before it is added
    assert window.message_bar.text() == poster.error
    assert mine(session) == []

    endless = hostile["huge-page-count"]  # looks like a PDF until MuPDF counts its pages
    with qtbot.waitSignal(window.sources.added, timeout=WAIT):
        window.sources.open_file(endless.path)
    qtbot.waitUntil(lambda: window.message_bar.text() == endless.error, timeout=WAIT)
    qtbot.waitUntil(lambda: mine(session) == [], timeout=WAIT)
    qtbot.waitUntil(lambda: "Indexing" not in window.work.text(), timeout=WAIT)
    assert window.message_bar.messages.count(endless.error) == 1  # said once
    saved = json.loads((session.services.paths.data / FILE_NAME).read_text(encoding="utf-8"))
    assert saved["documents"] == []

    good = hostile["non-utf8-name"]  # a good PDF with a name that is not UTF-8: kept
    with qtbot.waitSignal(window.sources.added, timeout=WAIT):
        window.sources.open_file(good.path)
    tab = window.tabs.current_tab()
    assert tab is not None and tab.view is not None
    qtbot.waitUntil(lambda: tab.view is not None and tab.view.page_count() == 2, timeout=WAIT)
    assert mine(session) == ["rota-\\xff\\xfe"]


def test_an_entry_is_taken_out_from_the_file_menu_and_stays_out(
    qtbot: QtBot, session_maker: SessionMaker, tmp_path: Path
) -> None:
    folder = tmp_path / "ward"
    write_good_pdf(folder / "audit.pdf", ["zeppelin"])
    write_good_pdf(folder / "rota.pdf", ["quokka"])
    session = session_maker()
    window = session.window
    remove = window.action("remove_from_library")
    assert remove.text() == "&Remove from My Documents"
    with qtbot.waitSignal(window.sources.added, timeout=WAIT):
        window.sources.add_folder(folder)
    assert mine(session) == ["audit", "rota"]

    window.library.select("perfect-week")
    assert not remove.isEnabled()  # the bundled collection cannot be taken out
    window.library.select(mine_id(session, "audit"))
    assert remove.isEnabled()
    remove.trigger()
    assert mine(session) == ["rota"]
    assert window.message_bar.text() == (
        "audit.pdf was taken out of My documents; the file itself was not touched."
    )
    assert window.library.details.entry is None  # the details of a removed document go
    assert (folder / "audit.pdf").is_file()
    session.close()
    again = session_maker()  # the folder is looked at again on start: it stays out
    assert mine(again) == ["rota"]


def test_the_context_menu_takes_an_entry_out(
    qtbot: QtBot, session_maker: SessionMaker, tmp_path: Path
) -> None:
    good = write_good_pdf(tmp_path / "handover.pdf", ["walrus"])
    session = session_maker()
    window = session.window
    with qtbot.waitSignal(window.sources.added, timeout=WAIT):
        window.sources.add_files([good.path])
    doc_id = mine_id(session, "handover")
    window.library.select(doc_id)
    menu = window.sources.context_menu(doc_id)
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert texts == ["&Open", "&Remove from My Documents"]
    next(a for a in menu.actions() if a.text() == "&Remove from My Documents").trigger()
    menu.close()
    assert mine(session) == []
    menu = window.sources.context_menu("perfect-week")
    assert [a.text() for a in menu.actions()] == ["&Open"]  # bundled: nothing to take out
    menu.close()


def test_a_bad_entry_left_by_an_older_version_starts_quietly_and_can_be_removed(
    qtbot: QtBot,
    session_maker: SessionMaker,
    app_paths: AppPaths,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    poster = make_png(tmp_path)
    record = {
        "path": str(poster.path),
        "size": poster.path.stat().st_size,
        "mtime_ns": poster.path.stat().st_mtime_ns,
        "sha256": "0" * 64,
        "added": 0.0,
        "folder": None,
    }
    (app_paths.data / FILE_NAME).write_text(
        json.dumps({"schema": 1, "documents": [record], "folders": []}), encoding="utf-8"
    )
    caplog.set_level(logging.WARNING)
    session = session_maker()
    window = session.window
    assert mine(session) == ["photo-of-poster"]
    qtbot.waitUntil(lambda: "sources" not in window.work.text().lower(), timeout=WAIT)
    assert not [r for r in caplog.records if r.exc_info], "no traceback at start"
    programmes = [value for value, _n in window.library_filter.facet_totals("programme")]
    assert "" not in programmes  # no blank row in the Programme filter
    window.library.select(mine_id(session, "photo-of-poster"))
    window.action("remove_from_library").trigger()
    assert mine(session) == []


def test_a_pipe_in_a_library_folder_does_not_stall_the_other_documents(
    qtbot: QtBot, session_maker: SessionMaker, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    hostile = build_hostile(share)
    write_good_pdf(share / "winter-plan.pdf", ["snowdrift"])
    write_policy(f"extra_library_folders = [{str(share)!r}]\n")
    session = session_maker()
    window = session.window
    model = window.library_model
    pipe_id = next(e.id for e in model.entries() if e.title == "pipe")
    window.open_document(pipe_id)
    qtbot.waitUntil(lambda: window.message_bar.text() == hostile["fifo"].error, timeout=WAIT)
    window.open_document(next(e.id for e in model.entries() if e.title == "winter-plan"))
    tab = window.tabs.current_tab()
    assert tab is not None and tab.view is not None
    view = tab.view
    qtbot.waitUntil(lambda: view.page_count() == 1, timeout=WAIT)
