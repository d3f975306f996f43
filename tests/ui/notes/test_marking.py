"""Marking text on the page as a user does: select, highlight, note, recolour, delete, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.notes.editor import NoteDialog
from ecip_reader.userdata import AnnotationKind
from tests.support.notes import WAIT, Desk, colour_share, desk, first_line_box

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
YELLOW, GREEN = "#ffd84d", "#7ed87e"
# "concentrates senior attention" on page 1 of the Perfect Week document
FIRST, LAST = 9, 11

# Dialogs, menus and tooltips raise their windows; the offscreen platform cannot.
pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def gap_box(d: Desk, first: int, last: int) -> tuple[float, float, float, float]:
    """The white space between two selected words: only a highlight can colour it."""
    words = d.words(1)
    return (
        words[first][2] + 0.6,
        words[first][1] + 2,
        words[first + 1][0] - 0.6,
        words[first][3] - 2,
    )


def test_select_text_and_highlight_with_the_shortcut(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        box = gap_box(d, FIRST, LAST)
        assert colour_share(d.pixels(1, box), YELLOW) < 0.05
        d.select_words(1, FIRST, LAST)
        assert d.controller.action("highlight").isEnabled()
        d.key(Qt.Key.Key_H, CTRL_SHIFT)

        stored = d.store.annotations(d.document.hash, page=1)
        assert len(stored) == 1
        note = stored[0]
        assert note.kind is AnnotationKind.HIGHLIGHT
        assert note.quote == "concentrates senior attention"
        assert note.colour == "yellow" and note.author == "Test Reader"
        assert note.anchor.prefix.endswith("A Perfect Week")
        assert d.view.selection() is None  # the selection made way for the highlight
        qtbot.waitUntil(lambda: colour_share(d.pixels(1, box), YELLOW) > 0.6, timeout=WAIT)
        # The words themselves stay dark under the colour.
        words = d.words(1)
        assert colour_share(d.pixels(1, first_line_box(words, FIRST, LAST)), "#000000", 90) > 0.02


def test_underline_and_strike_through_draw_lines_not_fills(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        words = d.words(1)
        d.select_words(1, 13, 14)  # "patient flow"
        d.key(Qt.Key.Key_U, CTRL_SHIFT)
        d.select_words(1, 16, 17)  # "seven days."
        d.key(Qt.Key.Key_S, CTRL_SHIFT)
        kinds = {a.quote: a.kind for a in d.store.annotations(d.document.hash)}
        assert kinds == {
            "patient flow": AnnotationKind.UNDERLINE,
            "seven days.": AnnotationKind.STRIKE_THROUGH,
        }
        line_colour = "#b8a038"  # the yellow, darkened for a line
        x0, y0, x1, y1 = first_line_box(words, 13, 14)
        bottom = (x0 + 2, y0 + (y1 - y0) * 0.85, x1 - 2, y1)
        top = (x0 + 2, y0, x1 - 2, y0 + (y1 - y0) * 0.35)
        qtbot.waitUntil(
            lambda: colour_share(d.pixels(1, bottom), line_colour, 40) > 0.1, timeout=WAIT
        )
        assert colour_share(d.pixels(1, top), line_colour, 40) < 0.02
        x0, y0, x1, y1 = first_line_box(words, 16, 17)
        middle = (x0 + 2, y0 + (y1 - y0) * 0.4, x1 - 2, y0 + (y1 - y0) * 0.7)
        assert colour_share(d.pixels(1, middle), line_colour, 40) > 0.1


def hover(d: Desk, page: int, x: float, y: float) -> str:
    viewport = d.view.canvas().viewport()
    pos = d.to_view(page, x, y).toPoint()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)
    return QToolTip.text() if QToolTip.isVisible() else ""


def write_note(qtbot: QtBot, d: Desk, text: str) -> None:
    qtbot.waitUntil(lambda: isinstance(d.controller.dialog, NoteDialog), timeout=WAIT)
    dialog = d.controller.dialog
    assert isinstance(dialog, NoteDialog)
    dialog.editor.setPlainText(text)
    dialog.buttons.accepted.emit()


def test_a_note_on_a_highlight_shows_when_the_mouse_rests_on_it(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        d.select_words(1, FIRST, LAST)
        d.key(Qt.Key.Key_H, CTRL_SHIFT)
        words = d.words(1)
        x = (words[10][0] + words[10][2]) / 2
        y = (words[10][1] + words[10][3]) / 2
        assert hover(d, 1, x, y) == ""  # no note yet, no tooltip
        d.click(1, x, y)
        selected = d.overlay.selected()
        assert selected is not None and selected.quote == "concentrates senior attention"
        d.key(Qt.Key.Key_N, CTRL_SHIFT)
        write_note(qtbot, d, "Ask the ward team\nabout this")
        assert d.store.annotations(d.document.hash)[0].note == "Ask the ward team\nabout this"
        qtbot.waitUntil(lambda: hover(d, 1, x, y) == "Ask the ward team\nabout this", timeout=WAIT)
        # Away from the note, the tooltip goes.
        qtbot.waitUntil(lambda: hover(d, 1, 500, 700) == "", timeout=WAIT)


def test_a_note_right_after_highlighting_goes_on_the_highlight_and_ctrl_enter_saves_it(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        d.select_words(1, FIRST, LAST)
        d.key(Qt.Key.Key_H, CTRL_SHIFT)
        d.key(Qt.Key.Key_N, CTRL_SHIFT)  # no click in between
        qtbot.waitUntil(lambda: isinstance(d.controller.dialog, NoteDialog), timeout=WAIT)
        dialog = d.controller.dialog
        assert isinstance(dialog, NoteDialog)
        assert dialog.windowTitle() == "Add Note"  # on the highlight, not a new sticky note
        qtbot.keyClicks(dialog.editor, "Raise at the huddle")
        qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)  # a new line…
        qtbot.keyClicks(dialog.editor, "tomorrow")
        qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: d.controller.dialog is None, timeout=WAIT)  # …Ctrl+Enter saves
        notes = d.store.annotations(d.document.hash)
        assert [(a.kind, a.quote, a.note) for a in notes] == [
            (
                AnnotationKind.HIGHLIGHT,
                "concentrates senior attention",
                "Raise at the huddle\ntomorrow",
            )
        ]


def test_a_sticky_note_anywhere_on_the_page(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        point = d.to_view(1, 400, 500).toPoint()
        where = d.view.canvas().pdf_point(point)
        assert where is not None
        d.view.page_context_menu.emit(1, where[1], d.view.canvas().viewport().mapToGlobal(point))
        menu = d.controller.menu
        assert menu is not None
        entries = {a.text().replace("&", ""): a for a in menu.actions() if a.text()}
        entries["Add Note Here…"].trigger()
        menu.close()
        write_note(qtbot, d, "Compare with the Warwick model")
        notes = d.store.annotations(d.document.hash)
        assert [(a.kind, a.note) for a in notes] == [
            (AnnotationKind.STICKY_NOTE, "Compare with the Warwick model")
        ]
        px, py = notes[0].point or (0, 0)
        assert abs(px - 400) < 1.5 and abs(py - 500) < 1.5
        sign = (px + 2, py + 2, px + 16, py + 16)
        qtbot.waitUntil(lambda: colour_share(d.pixels(1, sign), YELLOW, 30) > 0.2, timeout=WAIT)
        assert hover(d, 1, px + 8, py + 8) == "Compare with the Warwick model"


def test_select_a_highlight_change_its_colour_and_delete_it(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        d.select_words(1, FIRST, LAST)
        d.key(Qt.Key.Key_H, CTRL_SHIFT)
        box = gap_box(d, FIRST, LAST)
        x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        d.click(1, x, y)
        assert d.overlay.selected() is not None
        assert d.controller.action("delete").isEnabled()
        green = next(a for a in d.controller.colour_actions() if a.data() == "green")
        assert green.text() == "Evidence"  # named by what it marks
        assert "green" in green.statusTip()
        green.trigger()
        assert d.store.annotations(d.document.hash)[0].colour == "green"
        qtbot.waitUntil(lambda: colour_share(d.pixels(1, box), GREEN) > 0.6, timeout=WAIT)
        d.key(Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier)
        assert d.store.annotations(d.document.hash) == []
        qtbot.waitUntil(lambda: colour_share(d.pixels(1, box), GREEN) < 0.05, timeout=WAIT)
        assert d.overlay.selected() is None
        # A click on plain text selects nothing.
        d.click(1, 450, 600)
        assert d.overlay.selected() is None


def test_undo_and_redo_through_the_shortcuts_restore_each_state(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        doc = d.document.hash
        states = []

        def state() -> list[tuple[str, str, str]]:
            return [(a.kind.value, a.colour, a.note) for a in d.store.annotations(doc)]

        states.append(state())
        d.select_words(1, FIRST, LAST)
        d.key(Qt.Key.Key_H, CTRL_SHIFT)
        states.append(state())
        uuid = d.store.annotations(doc)[0].uuid
        d.overlay.select(uuid)
        d.controller.set_colour("pink")
        states.append(state())
        d.key(Qt.Key.Key_N, CTRL_SHIFT)
        write_note(qtbot, d, "Follow up")
        states.append(state())
        assert states[-1] == [("highlight", "pink", "Follow up")]
        assert d.controller.action("undo").text() == "&Undo Edit note"

        for expected in reversed(states[:-1]):
            d.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
            assert state() == expected
        assert not d.controller.action("undo").isEnabled()
        box = gap_box(d, FIRST, LAST)
        qtbot.waitUntil(lambda: colour_share(d.pixels(1, box), "#f59ac8") < 0.05, timeout=WAIT)
        for expected in states[1:]:
            d.key(Qt.Key.Key_Z, CTRL_SHIFT)
            assert state() == expected
        assert not d.controller.action("redo").isEnabled()
        qtbot.waitUntil(lambda: colour_share(d.pixels(1, box), "#f59ac8") > 0.6, timeout=WAIT)


def test_shortcuts_do_not_clash_with_the_window_commands() -> None:
    from PySide6.QtGui import QKeySequence

    from ecip_reader.ui.main.actions import COMMANDS
    from ecip_reader.ui.notes.commands import ANNOTATE_COMMANDS

    def keys(commands: object) -> list[str]:
        return [
            QKeySequence(k).toString()
            for c in commands  # type: ignore[attr-defined]
            for k in c.shortcuts
        ]

    ours, theirs = keys(ANNOTATE_COMMANDS), keys(COMMANDS)
    assert len(ours) == len(set(ours))
    assert not set(ours) & set(theirs)
    assert {"Ctrl+Shift+H", "Ctrl+Shift+U", "Ctrl+Shift+S", "Ctrl+Z", "Ctrl+D"} <= set(ours)


def test_right_click_offers_marking_for_a_selection(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        d.select_words(1, FIRST, LAST)
        words = d.words(1)
        point = d.to_view(1, words[10][0] + 2, words[10][1] + 5).toPoint()
        where = d.view.canvas().pdf_point(point)
        assert where is not None
        d.view.page_context_menu.emit(1, where[1], d.view.canvas().viewport().mapToGlobal(point))
        menu = d.controller.menu
        assert menu is not None
        texts = [a.text().replace("&", "") for a in menu.actions() if a.text()]
        assert texts[:4] == ["Highlight", "Underline", "Strike Through", "Copy"]
        assert "Add Note Here…" in texts and "Bookmark This Page…" in texts
        next(a for a in menu.actions() if a.text() == "&Underline").trigger()
        menu.close()
        assert [a.kind for a in d.store.annotations(d.document.hash)] == [AnnotationKind.UNDERLINE]
