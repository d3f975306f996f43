"""Notes in the real main window: the Annotate menu, marking in a tab, the panels as docks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.notes import integration
from ecip_reader.ui.notes.integration import NotesFeature
from tests.support.window import WAIT, library_only_search, open_session

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support activ")

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_annotate_a_document_in_a_tab(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    window = session.window
    feature = NotesFeature.create(window)
    try:
        menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
        assert menus[-2:] == ["Annotate", "Help"]
        window.open_document("perfect-week")
        tab = window.tabs.tab_of("perfect-week")
        assert tab is not None and tab.view is not None
        view = tab.view
        with qtbot.waitSignal(view.first_page_sharp, timeout=WAIT):
            pass
        assert feature.controller.current_document() is not None
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
        entry = small_library.get("perfect-week")
        view.fetch_words(1)
        qtbot.waitUntil(lambda: view.select_words(1, 9, 11), timeout=WAIT)
        qtbot.keyClick(view.canvas().viewport(), Qt.Key.Key_H, CTRL_SHIFT)
        notes = feature.store.annotations(entry.sha256)
        assert [a.quote for a in notes] == ["concentrates senior attention"]
        feature.controller.action("annotations_panel").trigger()
        assert feature.annotations_dock.isVisible()
        assert len(feature.annotations_panel.visible_annotations()) == 1
    finally:
        session.close()
        feature.close()


def test_done_messages_fade_from_the_status_bar(
    qtbot: QtBot,
    app_paths: AppPaths,
    small_library: Catalogue,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(integration, "STATUS_MS", 300)
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    window = session.window
    feature = NotesFeature.create(window)
    try:
        dialog = feature.export()
        dialog.exported.emit("Saved 3 notes and bookmarks as notes.md.")
        assert window.statusBar().currentMessage() == "Saved 3 notes and bookmarks as notes.md."
        qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "", timeout=WAIT)
        dialog.close()
    finally:
        session.close()
        feature.close()


def test_the_notes_and_bookmarks_panels_share_the_side_as_tabs(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    window = session.window
    feature = NotesFeature.create(window)
    try:
        notes, bookmarks = feature.annotations_dock, feature.bookmarks_dock
        notes_action = feature.controller.action("annotations_panel")
        bookmarks_action = feature.controller.action("bookmarks_panel")
        notes_action.trigger()
        bookmarks_action.trigger()
        assert bookmarks in window.tabifiedDockWidgets(notes)
        qtbot.waitUntil(lambda: not bookmarks.visibleRegion().isEmpty(), timeout=WAIT)
        # Ctrl+Shift+A with the notes behind the bookmarks' tab: the notes come to the front.
        notes_action.trigger()
        qtbot.waitUntil(lambda: not notes.visibleRegion().isEmpty(), timeout=WAIT)
        assert notes_action.isChecked() and bookmarks_action.isChecked()
        # The notes list has the panel's height, not a sliver of it.
        assert feature.annotations_panel.list.height() > window.height() * 0.5
        notes_action.trigger()  # in front: now it closes
        assert notes.isHidden() and not notes_action.isChecked()
        assert not bookmarks.isHidden()
    finally:
        session.close()
        feature.close()
