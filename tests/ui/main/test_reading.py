"""The reading tools from the main window: View menu, links to other PDFs, Back across tabs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.settings import Settings
from ecip_reader.ui.main.window import MainWindow
from ecip_reader.ui.notes.commands import ANNOTATE_COMMANDS
from ecip_reader.ui.notes.integration import NotesFeature
from ecip_reader.ui.reader.view import DocumentView
from tests.support.window import WAIT, library_only_search, open_session

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support activ")

READING_ENTRIES = ("print", "find_in_document", "copy", "rotate_right", "rotate_left")
MORE_ENTRIES = ("trim_margins", "side_panel", "present", "night_off", "night_invert")


def opened(qtbot: QtBot, window: MainWindow, doc_id: str, page: int | None = None) -> DocumentView:
    window.open_document(doc_id, page)
    tab = window.tabs.tab_of(doc_id)
    assert tab is not None and tab.view is not None
    view = tab.view
    qtbot.waitUntil(lambda: view.page_count() > 0, timeout=WAIT)
    return view


def test_view_menu_reading_entries_follow_the_current_tab(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    window = session.window
    actions = window.action_map
    for name in (*READING_ENTRIES, *MORE_ENTRIES):
        assert not actions[name].isEnabled(), name  # the library tab is current
    view = opened(qtbot, window, "perfect-week")
    for name in (*READING_ENTRIES, *MORE_ENTRIES):
        assert actions[name].isEnabled(), name
    actions["rotate_right"].trigger()
    assert view.rotation() == 90
    actions["rotate_left"].trigger()
    assert view.rotation() == 0
    actions["trim_margins"].trigger()
    assert view.trim_margins() and actions["trim_margins"].isChecked()
    view.set_trim_margins(False)  # from the view's own menu: the window's entry follows
    assert not actions["trim_margins"].isChecked()
    actions["side_panel"].trigger()
    assert view.side_panel.isVisible()
    # Night reading is one choice for every view, remembered for the next start.
    actions["night_sepia"].trigger()
    assert view.night_mode() == "sepia"
    assert Settings(app_paths.settings_file).get("night_mode") == "sepia"
    other = opened(qtbot, window, "breaking-the-cycle")
    assert other.night_mode() == "sepia"
    other.set_night_mode("invert")  # from a view's own menu
    assert view.night_mode() == "invert" and actions["night_invert"].isChecked()
    window.tabs.setCurrentIndex(0)
    assert not actions["night_off"].isEnabled() and not actions["trim_margins"].isEnabled()
    session.close()


def test_inverted_pages_darken_the_window_around_them_until_turned_off(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    window = session.window
    window.set_theme("light")
    opened(qtbot, window, "perfect-week")

    def window_lightness() -> int:
        return QApplication.palette().color(QPalette.ColorRole.Window).lightness()

    assert window_lightness() > 200
    window.action_map["night_invert"].trigger()
    assert window_lightness() < 60  # menus, toolbar and tabs dark around dark pages
    assert window.theme.choice == "light"  # the user's own choice is kept
    assert "light theme is on" in window.action_map["toggle_theme"].toolTip()
    window.action_map["night_off"].trigger()
    assert window_lightness() > 200
    session.close()


def test_search_the_library_for_the_selection_fills_the_main_search(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(qtbot, app_paths, small_library)
    window = session.window
    qtbot.waitUntil(lambda: session.services.search.state == "ready", timeout=WAIT * 2)
    view = opened(qtbot, window, "perfect-week")
    with qtbot.waitSignal(window.search_panel.results_shown, timeout=WAIT):
        view.search_requested.emit("discharge\n lounge")
    assert window.search_panel.field.text() == "discharge lounge"
    assert window.search_dock.isVisible()
    assert window.search_panel.model.rowCount() >= 1
    session.close()


def test_links_to_other_pdfs_open_in_tabs_and_back_returns_across_tabs(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, tmp_path: Path
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    window = session.window
    opened(qtbot, window, "discharge-to-assess")  # another tab further along the row
    first = opened(qtbot, window, "perfect-week", 3)
    tabs = window.tabs
    tabs.tabBar().moveTab(tabs.indexOf(tabs.tab_of("perfect-week")), 1)  # dragged to the front
    qtbot.waitUntil(lambda: first.current_page() == 3, timeout=WAIT)
    # A link to another library PDF: found by its file name, opened at the linked page.
    target = small_library.path_of(small_library.get("breaking-the-cycle"))
    first.open_document_requested.emit(str(target), 2)
    tab = window.tabs.current_tab()
    assert tab is not None and tab.doc_id == "breaking-the-cycle"
    second = tab.view
    assert second is not None
    qtbot.waitUntil(lambda: second.page_count() == 2 and second.current_page() == 2, timeout=WAIT)
    # A PDF outside the library opens in a tab titled from its file name.
    outside = tmp_path / "ward_round_notes.pdf"
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "A page of one's own.")
    doc.new_page().insert_text((72, 72), "Page two.")
    doc.save(outside)
    doc.close()
    second.open_document_requested.emit(str(outside), 2)
    index = window.tabs.currentIndex()
    assert window.tabs.tabText(index) == "ward round notes"
    third = window.tabs.current_view()
    assert third is not None
    qtbot.waitUntil(lambda: third.page_count() == 2 and third.current_page() == 2, timeout=WAIT)
    # Each document opened by a link sits right after the one it was opened from.
    assert [t.doc_id for t in window.tabs.document_tabs()] == [
        "perfect-week",
        "breaking-the-cycle",
        "file:" + str(outside.absolute()),
        "discharge-to-assess",
    ]
    # Back (Alt+Left) goes to the previous document and page, tab by tab; the keyboard
    # is already in the new document's page, no click needed.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    qtbot.waitUntil(third.canvas().hasFocus, timeout=WAIT)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.current_view() is second and second.current_page() == 2
    window.action_map["back"].trigger()  # Go → Back does the same
    assert window.tabs.current_view() is first
    assert first.current_page() == 3
    # Forward (Alt+Right, Go → Forward) retraces the way.
    qtbot.waitUntil(first.canvas().hasFocus, timeout=WAIT)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.current_view() is second and second.current_page() == 2
    window.action_map["forward"].trigger()
    assert window.tabs.current_view() is third and third.current_page() == 2
    window.action_map["forward"].trigger()  # nothing further: stays
    assert window.tabs.current_view() is third
    session.close()


def test_no_key_is_bound_twice_while_reading(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    window = session.window
    feature = NotesFeature.create(window)
    window.extra_commands.extend(ANNOTATE_COMMANDS)  # as the application does
    try:
        opened(qtbot, window, "perfect-week")
        bound: Counter[str] = Counter()
        seen: set[int] = set()
        for action in window.findChildren(QAction):
            # keys only shown in a menu (the page view binds them) count where bound
            shown_only = action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut
            if id(action) not in seen and not shown_only:
                seen.add(id(action))
                bound.update(k.toString() for k in action.shortcuts() if not k.isEmpty())
        for shortcut in window.findChildren(QShortcut):
            # keys of one list or field (Delete in the bookmarks list) count only there
            if shortcut.context() != Qt.ShortcutContext.WidgetShortcut:
                sequences = shortcut.keys()
                bound.update(k.toString() for k in sequences if not k.isEmpty())
        assert bound["Ctrl+F"] == 1 and bound["Alt+Left"] == 1 and bound["Ctrl+Shift+H"] == 1
        assert [key for key, count in bound.items() if count > 1] == []
        # Every key the window lists is one the user can press (the dialog shows them all).
        dialog = window.show_shortcuts()
        qtbot.addWidget(dialog)
        listed = {row[2] for row in dialog.rows()}
        for key in bound:
            native = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
            assert any(native in keys for keys in listed), key
        dialog.close()
    finally:
        session.close()
        feature.close()
