"""Bookmarks: Ctrl+D with a label, the panel lists them, rename, delete, undo, jump."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.notes.bookmarks import ALL_DOCUMENTS, BookmarksPanel
from ecip_reader.ui.notes.editor import BookmarkDialog
from ecip_reader.ui.notes.overlay import RIBBON_COLOUR, ribbon_rect
from ecip_reader.userdata import DocumentRef
from tests.support.notes import WAIT, Desk, colour_share, desk

# Dialogs, menus and tooltips raise their windows; the offscreen platform cannot.
pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def bookmark_with_keys(qtbot: QtBot, d: Desk, label: str) -> None:
    d.key(Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(d.controller.dialog, BookmarkDialog), timeout=WAIT)
    dialog = d.controller.dialog
    assert isinstance(dialog, BookmarkDialog)
    page = d.view.current_page()
    assert dialog.field.text() == f"Page {page}"
    assert dialog.field.selectedText() == f"Page {page}"  # typing replaces the suggestion
    qtbot.keyClicks(dialog.field, label)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: d.controller.dialog is None, timeout=WAIT)


def labels(panel: BookmarksPanel) -> list[str]:
    return [b.label for b in panel.visible_bookmarks()]


def test_a_bookmarked_page_shows_a_ribbon_and_the_window_says_so(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        said: list[str] = []
        d.controller.notice.connect(said.append)
        canvas = d.view.canvas()
        ribbon = ribbon_rect(canvas.page_rect(0)).toAlignedRect().adjusted(2, 4, -2, -8)
        before = canvas.viewport().grab(ribbon).toImage()
        assert colour_share(before, RIBBON_COLOUR.name()) < 0.05  # no ribbon yet
        bookmark_with_keys(qtbot, d, "Flow huddle")
        assert said == ["Bookmarked page 1: “Flow huddle”. Ctrl+Z takes it back."]
        qtbot.waitUntil(lambda: d.overlay.bookmark_labels(1) == ["Flow huddle"], timeout=WAIT)
        qtbot.waitUntil(
            lambda: (
                colour_share(canvas.viewport().grab(ribbon).toImage(), RIBBON_COLOUR.name()) > 0.6
            ),
            timeout=WAIT,
        )
        assert d.overlay.ribbon_tooltip(ribbon.center()) == "Bookmark: Flow huddle"
        d.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undone: the ribbon goes
        qtbot.waitUntil(
            lambda: (
                colour_share(canvas.viewport().grab(ribbon).toImage(), RIBBON_COLOUR.name()) < 0.05
            ),
            timeout=WAIT,
        )


def test_ctrl_d_rename_delete_and_undo(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, qtmodeltester: ModelTester
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        panel = BookmarksPanel(d.store, d.annotator)
        qtbot.addWidget(panel)
        panel.resize(300, 400)
        panel.show()
        panel.set_document(d.document)
        assert panel.status.text() == "No bookmarks yet. Press Ctrl+D to bookmark a page."
        d.view.go_to_page(2)
        bookmark_with_keys(qtbot, d, "Morning board round")
        assert [(b.page, b.label) for b in d.store.bookmarks(d.document.hash)] == [
            (2, "Morning board round")
        ]
        qtbot.waitUntil(lambda: labels(panel) == ["Morning board round"], timeout=WAIT)
        qtmodeltester.check(panel.model)
        assert panel.proxy.index(0, 0).data() == "Morning board round\nPage 2"

        # Rename in place, as F2 and typing would.
        index = panel.proxy.index(0, 0)
        panel.list.setCurrentIndex(index)
        assert panel.proxy.setData(index, "Board round, day 1")
        qtbot.waitUntil(lambda: labels(panel) == ["Board round, day 1"], timeout=WAIT)

        # Delete with the button; Ctrl+Z brings it back, then the old name.
        panel.list.setCurrentIndex(panel.proxy.index(0, 0))
        qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: labels(panel) == [], timeout=WAIT)
        d.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: labels(panel) == ["Board round, day 1"], timeout=WAIT)
        d.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: labels(panel) == ["Morning board round"], timeout=WAIT)

        # A click jumps to the bookmarked page.
        d.view.go_to_page(1)
        panel.jump_requested.connect(
            lambda doc_hash, doc_id, page: d.controller.go_to(doc_hash, page, None, doc_id)
        )
        rect = panel.list.visualRect(panel.proxy.index(0, 0))
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.waitUntil(lambda: d.view.current_page() == 2, timeout=WAIT)


def test_bookmarks_across_the_library_and_the_filter(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library, show=False) as d:
        entry = small_library.get("breaking-the-cycle")
        other = DocumentRef(entry.sha256, entry.id, entry.title)
        d.annotator.add_bookmark(d.document, 3, "Keeping the gains")
        d.annotator.add_bookmark(other, 2, "One escalation plan")
        panel = BookmarksPanel(d.store, d.annotator)
        qtbot.addWidget(panel)
        panel.set_document(d.document)
        assert labels(panel) == ["Keeping the gains"]
        panel.set_scope(ALL_DOCUMENTS)
        assert labels(panel) == ["One escalation plan", "Keeping the gains"]
        assert panel.proxy.index(0, 0).data() == (
            "One escalation plan\nBreaking the Cycle Together, page 2"
        )
        qtbot.keyClicks(panel.text, "gains")
        assert labels(panel) == ["Keeping the gains"]
        panel.text.clear()
        panel.jump_requested.connect(
            lambda doc_hash, doc_id, page: d.controller.go_to(doc_hash, page, None, doc_id)
        )
        with qtbot.waitSignal(d.controller.open_requested, timeout=WAIT) as opened:
            panel.list.clicked.emit(panel.proxy.index(0, 0))
        assert opened.args == ["breaking-the-cycle", 2]


def test_delete_in_the_bookmarks_list_deletes_the_bookmark_while_a_note_is_selected(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    """The window's Delete Note shortcut and the list's own Delete key must not cancel out."""
    with desk(qtbot, app_paths, small_library) as d:
        panel = BookmarksPanel(d.store, d.annotator)
        layout = d.window.layout()
        assert layout is not None
        layout.addWidget(panel)
        panel.set_document(d.document)
        note = d.annotator.add_sticky_note(d.document, 1, (100.0, 100.0), "Keep me")
        d.annotator.add_bookmark(d.document, 2, "Second page")
        qtbot.waitUntil(lambda: labels(panel) == ["Second page"], timeout=WAIT)
        d.overlay.select(note.uuid)
        assert d.controller.action("delete").isEnabled()  # Delete is claimed window-wide
        panel.list.setCurrentIndex(panel.proxy.index(0, 0))
        panel.list.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.waitUntil(panel.list.hasFocus, timeout=WAIT)
        qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
        qtbot.waitUntil(lambda: labels(panel) == [], timeout=WAIT)
        assert d.store.annotation(note.uuid) is not None  # the note was not touched
        # With the focus back on the page, Delete deletes the selected note.
        d.view.canvas().setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.waitUntil(d.view.canvas().hasFocus, timeout=WAIT)
        qtbot.keyClick(d.view.canvas(), Qt.Key.Key_Delete)
        qtbot.waitUntil(lambda: d.store.annotation(note.uuid) is None, timeout=WAIT)
        assert d.store.bookmarks() == []
