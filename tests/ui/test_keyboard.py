"""The window with the keyboard alone: Tab goes round in screen order, nothing is skipped or
traps the focus, Shift+Tab walks back, the focus is always visible, and every command can
be reached from the menus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QTabBar, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui import accessible
from ecip_reader.ui.library.model import DocIdRole
from ecip_reader.ui.main.actions import COMMANDS
from ecip_reader.ui.main.window import MainWindow
from ecip_reader.ui.notes.commands import ANNOTATE_COMMANDS
from ecip_reader.ui.notes.integration import NotesFeature
from ecip_reader.ui.reader.view import DocumentView
from tests.support.accessibility import focus_change, label, tab_stops
from tests.support.window import WAIT, Session, library_only_search, open_session

pytestmark = pytest.mark.qt_log_ignore(
    "does not support raise", "does not support activ", "does not support grabbing"
)

Reader = tuple[Session, NotesFeature]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ROUND_LIMIT = 150  # Tab presses before the focus counts as trapped


@pytest.fixture
def reader(qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue) -> Iterator[Reader]:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    feature = NotesFeature.create(session.window)
    session.window.extra_commands.extend(ANNOTATE_COMMANDS)
    window = session.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    yield session, feature
    session.close()
    feature.close()


def tab_round(qtbot: QtBot, start: QWidget, backwards: bool = False) -> list[QWidget]:
    """Press Tab (or Shift+Tab) from ``start`` until the focus is back; the widgets met."""
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    assert QApplication.focusWidget() is start
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    met = [start]
    for _press in range(ROUND_LIMIT):
        focused = QApplication.focusWidget()
        assert focused is not None, f"the focus was lost after {label(met[-1])!r}"
        qtbot.keyClick(focused, key)
        now = QApplication.focusWidget()
        if now is start:
            return met
        if now is not met[-1]:  # a label with links takes one press per link
            met.append(now)
    raise AssertionError(f"the focus never came back; it went round {[label(w) for w in met]}")


def faint_focus(qtbot: QtBot, window: MainWindow, start: QWidget) -> list[str]:
    """Go round with Tab from ``start``; the stops whose focus cannot be seen.

    Each stop is looked at as Tab arrives and again once Tab has moved on: the
    pixels around it must change, by 3:1 of contrast, at least as many as a
    one-pixel ring round half of it.
    """
    faint = []
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(start, Qt.Key.Key_Tab)
    for _press in range(ROUND_LIMIT):
        stop = QApplication.focusWidget()
        assert stop is not None
        if stop is start:
            return faint
        area = QRect(stop.mapTo(window, QPoint(0, 0)), stop.size())
        if isinstance(stop, QTabBar):  # the focus shows on the current tab
            tab = stop.tabRect(stop.currentIndex())
            area = QRect(stop.mapTo(window, tab.topLeft()), tab.size())
        area = area.adjusted(-3, -3, 3, 3)
        focused = window.grab(area).toImage()
        while QApplication.focusWidget() is stop:  # a label with links: one press per link
            qtbot.keyClick(stop, Qt.Key.Key_Tab)
        unfocused = window.grab(area).toImage()
        wanted = area.width() + area.height()
        changed = focus_change(focused, unfocused)
        if changed < wanted:
            faint.append(f"{label(stop)} ({type(stop).__name__}): {changed} of {wanted} pixels")
    raise AssertionError("the focus never came back")


def opened(qtbot: QtBot, window: MainWindow, doc_id: str) -> DocumentView:
    window.open_document(doc_id)
    view = window.tabs.current_view()
    assert view is not None
    qtbot.waitUntil(lambda: view.page_count() > 0, timeout=WAIT)
    return view


def test_tab_goes_round_the_library_in_screen_order_and_shift_tab_walks_back(
    qtbot: QtBot, reader: Reader
) -> None:
    window = reader[0].window
    window.library.select("perfect-week")
    chips = window.library.details.topics.findChildren(QToolButton)
    qtbot.waitUntil(lambda: all(chip.isVisible() for chip in chips), timeout=WAIT)
    field = window.search_panel.field
    stops = tab_round(qtbot, field)
    assert [label(w) for w in stops] == [
        "Search the library",
        "Open documents",
        "Filter the library",
        "Filter choices",
        "Sort documents by",
        "Documents as covers",
        "Document details",
        "Open the selected document",
        "Topic perfect week",
        "Topic patient flow",
        "More like this",  # its links, one Tab each
    ]
    assert set(stops) == set(tab_stops(window)), "a widget Tab never reaches"
    back = tab_round(qtbot, field, backwards=True)
    assert back == [field, *reversed(stops[1:])]


def test_tab_goes_round_a_document_and_its_panels(qtbot: QtBot, reader: Reader) -> None:
    session, feature = reader
    window = session.window
    view = opened(qtbot, window, "perfect-week")
    view.open_find()
    view.show_side_panel(True)
    feature.controller.action("annotations_panel").trigger()
    field = window.search_panel.field
    stops = tab_round(qtbot, field)
    panel = view.side_panel.currentWidget()
    assert [label(w) for w in stops] == [
        "Search the library",
        "Open documents",
        "Close Making every week a Perfect Week",
        "Current page",
        "Contents",
        "Back",
        "Forward",
        "Find",
        "View options",
        "Present",
        "Zoom out",
        "Zoom",
        "Zoom in",
        "Find in document",
        "Previous",
        "Next",
        "Match case",
        "Whole words",
        "Close find",
        "Contents or pages",
        panel.accessibleName(),
        "Pages of Making every week a Perfect Week",
        "Which notes",
        "Colour filter",
        "Kind filter",
        "Filter notes",
        "Notes list",
    ]
    assert set(stops) == set(tab_stops(window)), "a widget Tab never reaches"
    back = tab_round(qtbot, field, backwards=True)
    assert back == [field, *reversed(stops[1:])]
    view.set_reflow(True)  # the reflowed text takes the place of the pages
    pages = stops.index(view.canvas())
    reflowed = tab_round(qtbot, field)
    assert [label(w) for w in reflowed] == [
        *(label(w) for w in stops[:pages]),
        "Reflowed text",
        *(label(w) for w in stops[pages + 1 :]),
    ]
    assert tab_round(qtbot, field, backwards=True) == [field, *reversed(reflowed[1:])]


@pytest.mark.parametrize("look", ["light", "dark", "high-contrast"])
def test_the_focus_can_always_be_seen(qtbot: QtBot, reader: Reader, look: str) -> None:
    window = reader[0].window
    window.set_theme(look)
    window.library.select("perfect-week")
    chips = window.library.details.topics.findChildren(QToolButton)
    qtbot.waitUntil(lambda: all(chip.isVisible() for chip in chips), timeout=WAIT)
    assert faint_focus(qtbot, window, window.search_panel.field) == []
    view = opened(qtbot, window, "perfect-week")
    view.open_find()
    view.show_side_panel(True)
    assert faint_focus(qtbot, window, window.search_panel.field) == []


def test_every_command_is_in_a_menu_the_keyboard_opens(qtbot: QtBot, reader: Reader) -> None:
    window = reader[0].window
    bar = window.menuBar()
    titles = [a.text() for a in bar.actions()]
    keys = [t[t.index("&") + 1].lower() for t in titles if "&" in t]
    assert len(keys) == len(titles) == len(set(keys)), titles
    in_menus: set[str] = set()
    pending = [a.menu() for a in bar.actions()]
    while pending:
        menu = pending.pop()
        assert isinstance(menu, QMenu)
        for action in menu.actions():
            in_menus.add(action.objectName())
            if action.menu() is not None:
                pending.append(action.menu())
    for command in (*COMMANDS, *ANNOTATE_COMMANDS):
        assert f"action_{command.name}" in in_menus, command.name
    # every toolbar button does something a menu also offers
    for action in window.toolbar.actions():
        assert not action.text() or action.objectName() in in_menus, action.text()
    # Alt and a menu's letter opens it, as the keyboard user expects
    window.library.current_view().setFocus()
    for title, key in zip(titles, keys, strict=True):
        letter = Qt.Key(ord(key.upper()))
        QTest.keyClick(window.windowHandle(), letter, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=WAIT)
        popup = QApplication.activePopupWidget()
        assert isinstance(popup, QMenu) and popup.title() == title
        popup.close()


def test_a_high_contrast_theme_is_chosen_from_the_keyboard(qtbot: QtBot, reader: Reader) -> None:
    window = reader[0].window
    window.library.current_view().setFocus()
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_C, CTRL_SHIFT)
    assert window.theme.choice == "high-contrast"
    assert window.action_map["theme_high-contrast"].isChecked()
    assert window.services.settings.theme() == "high-contrast"


def test_closing_the_find_bar_or_the_contents_puts_the_keyboard_back_in_the_page(
    qtbot: QtBot, reader: Reader
) -> None:
    window = reader[0].window
    view = opened(qtbot, window, "perfect-week")
    view.open_find()
    assert view.find_bar.edit.hasFocus()
    qtbot.keyClick(view.find_bar.edit, Qt.Key.Key_Escape)
    assert view.canvas().hasFocus()
    view.show_side_panel(True)
    view.side_panel.currentWidget().setFocus()
    qtbot.keyClick(view.side_panel.currentWidget(), Qt.Key.Key_F9)
    assert view.side_panel.isHidden() and view.canvas().hasFocus()


def popup_menu(qtbot: QtBot) -> QMenu:
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=WAIT)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def test_shift_f10_opens_the_menu_of_what_has_the_keyboard(qtbot: QtBot, reader: Reader) -> None:
    session, feature = reader
    window = session.window
    shift = Qt.KeyboardModifier.ShiftModifier
    # A card of the library, then a row of the list: the menu is the chosen document's.
    for mode, doc_id in (("grid", "perfect-week"), ("list", "discharge-to-assess")):
        window.set_library_view(mode)
        window.library.select(doc_id)
        view = window.library.current_view()
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        with qtbot.waitSignal(window.library.menu_requested, timeout=WAIT) as asked:
            qtbot.keyClick(view, Qt.Key.Key_F10, shift)
        assert asked.args[0] == doc_id, mode
        menu = popup_menu(qtbot)
        assert menu.actions()[0].text() == "&Open"
        assert view.viewport().rect().contains(view.viewport().mapFromGlobal(menu.pos()))
        menu.close()
    # Nothing chosen yet: the Menu key's menu is the first document's, as Down would choose.
    view.setCurrentIndex(QModelIndex())
    first = view.model().index(0, 0).data(DocIdRole)
    with qtbot.waitSignal(window.library.menu_requested, timeout=WAIT) as asked:
        assert accessible.open_context_menu(view)
    assert asked.args[0] == first
    popup_menu(qtbot).close()

    # In a document, the page's menu opens below the selected words.
    window.open_document("perfect-week")
    tab = window.tabs.tab_of("perfect-week")
    assert tab is not None and tab.view is not None
    page_view = tab.view
    with qtbot.waitSignal(page_view.first_page_sharp, timeout=WAIT):
        pass
    page_view.fetch_words(1)
    qtbot.waitUntil(lambda: page_view.select_words(1, 9, 11), timeout=WAIT)
    canvas = page_view.canvas()
    window.activateWindow()  # back from the menus
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    canvas.setFocus(Qt.FocusReason.OtherFocusReason)
    chosen = page_view.selection()
    assert chosen is not None
    words = [canvas.to_view(1, w[0], w[3]) for w in chosen.words]
    with qtbot.waitSignal(page_view.page_context_menu, timeout=WAIT) as asked:
        qtbot.keyClick(canvas, Qt.Key.Key_F10, shift)
    page, _point, where = asked.args
    assert page == 1
    below = canvas.viewport().mapFromGlobal(where)
    assert min(w.x() for w in words) - 1 <= below.x() <= max(w.x() for w in words) + 1
    assert abs(below.y() - max(w.y() for w in words)) < 20  # just under the last line
    menu = popup_menu(qtbot)
    assert "Highlight" in [a.text().replace("&", "") for a in menu.actions()]
    menu.close()

    # The Menu key asks the same way (Qt sends the canvas a keyboard context event).
    page_view.clear_selection()
    with qtbot.waitSignal(page_view.page_context_menu, timeout=WAIT) as asked:
        assert accessible.open_context_menu(canvas)
    middle = canvas.viewport().mapToGlobal(canvas.viewport().rect().center())
    assert asked.args[2] == middle  # no selection: the middle of the page in view
    popup_menu(qtbot).close()
    assert feature.controller.current_document() is not None
