"""The main window as a user meets it: tabs, restored sessions, theme, shortcuts, problems."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QImage, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QToolButton
from pytestqt.qtbot import QtBot

from ecip_reader import APP_TITLE
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import LIBRARY_ENV, AppPaths
from ecip_reader.settings import Settings
from ecip_reader.ui import theme
from ecip_reader.ui.main import actions
from ecip_reader.ui.main.window import MainWindow
from ecip_reader.ui.notes.commands import ANNOTATE_COMMANDS
from ecip_reader.ui.reader.tabs import DocumentTab
from ecip_reader.userdata.reading_history import ReadingHistory
from tests.support.window import WAIT, Session, library_only_search, open_session


def library_session(
    qtbot: QtBot, paths: AppPaths, library: Catalogue, start: bool = True
) -> Session:
    return open_session(qtbot, paths, library, search=library_only_search(library), start=start)


def open_and_wait(
    qtbot: QtBot, window: MainWindow, doc_id: str, page: int | None = None
) -> DocumentTab:
    window.open_document(doc_id, page)
    tab = window.tabs.tab_of(doc_id)
    assert tab is not None and tab.view is not None
    view = tab.view
    qtbot.waitUntil(lambda: view.page_count() > 0, timeout=WAIT)
    if page is not None:
        qtbot.waitUntil(lambda: view.current_page() == page, timeout=WAIT)
    return tab


def activate(qtbot: QtBot, window: MainWindow) -> None:
    """Make the window the active one, as the user's click would; shortcuts need it."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)


def tab_ids(window: MainWindow) -> list[str]:
    return [t.doc_id for t in window.tabs.document_tabs()]


def test_open_tabs_and_reading_position_come_back_after_a_restart(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = library_session(qtbot, app_paths, small_library)
    window = session.window
    # open from the library as a user does: choose, then Enter
    window.library.select("breaking-the-cycle")
    window.action_map["open_selected"].trigger()
    assert window.tabs.currentWidget() is window.tabs.tab_of("breaking-the-cycle")
    open_and_wait(qtbot, window, "perfect-week", page=3)
    assert tab_ids(window) == ["breaking-the-cycle", "perfect-week"]
    session.close()

    history = ReadingHistory.for_paths(app_paths)
    assert history.open_tabs == ["breaking-the-cycle", "perfect-week"]
    assert history.current_tab == "perfect-week"
    position = history.position("perfect-week")
    assert position is not None and position.page == 3

    again = library_session(qtbot, app_paths, small_library)
    window = again.window
    assert tab_ids(window) == ["breaking-the-cycle", "perfect-week"]
    current = window.tabs.current_tab()
    assert current is not None and current.doc_id == "perfect-week"
    view = current.view
    assert view is not None
    qtbot.waitUntil(lambda: view.page_count() == 3 and view.current_page() == 3, timeout=WAIT)
    # the other restored tab costs nothing until it is looked at
    other = window.tabs.tab_of("breaking-the-cycle")
    assert other is not None and other.view is None
    # the library shows where each document was left
    assert window.library.continue_strip.doc_ids[0] == "perfect-week"
    again.close()


@pytest.mark.slow
def test_a_moved_tab_order_is_saved_at_once_and_comes_back(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = library_session(qtbot, app_paths, small_library)
    window = session.window
    first, second, third = "perfect-week", "discharge-to-assess", "breaking-the-cycle"
    for doc_id in (first, second, third):
        open_and_wait(qtbot, window, doc_id)
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(
        lambda: ReadingHistory.for_paths(app_paths).open_tabs == [first, second, third],
        timeout=WAIT,
    )
    window.tabs.tabBar().moveTab(3, 2)  # as dragging a tab that is not the current one does
    assert tab_ids(window) == [first, third, second]
    assert window.tabs.currentIndex() == 1
    # written without any other change to the tabs (a crash now would keep the order)
    qtbot.waitUntil(
        lambda: ReadingHistory.for_paths(app_paths).open_tabs == [first, third, second],
        timeout=WAIT,
    )
    session.close()

    again = library_session(qtbot, app_paths, small_library)
    assert tab_ids(again.window) == [first, third, second]
    again.close()


def test_reopening_a_closed_document_returns_to_where_it_was_left(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = library_session(qtbot, app_paths, small_library)
    window = session.window
    open_and_wait(qtbot, window, "perfect-week", page=2)
    assert window.tabs.close_current()
    assert tab_ids(window) == []
    assert window.tabs.currentWidget() is window.library
    tab = open_and_wait(qtbot, window, "perfect-week")
    view = tab.view
    assert view is not None
    qtbot.waitUntil(lambda: view.current_page() == 2, timeout=WAIT)
    window.library.select("perfect-week")
    assert window.library.details.open_button.text() == "Continue reading"
    assert window.library.details.progress_text.text().startswith("Page 2 of 3")
    session.close()


def test_ctrl_w_closes_and_ctrl_tab_cycles(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = library_session(qtbot, app_paths, small_library)
    window = session.window
    activate(qtbot, window)
    open_and_wait(qtbot, window, "perfect-week")
    open_and_wait(qtbot, window, "discharge-to-assess")
    assert window.tabs.currentIndex() == 2
    qtbot.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 0  # wraps round to the library
    qtbot.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 1
    qtbot.keyClick(
        window,
        Qt.Key.Key_Backtab,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.tabs.currentIndex() == 0
    qtbot.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert tab_ids(window) == ["discharge-to-assess"]
    # the library tab itself cannot be closed
    window.tabs.setCurrentIndex(0)
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.count() == 2 and not window.action_map["close_tab"].isEnabled()
    session.close()


def test_a_clicked_document_tab_takes_the_keyboard_for_its_pages(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = library_session(qtbot, app_paths, small_library)
    window = session.window
    activate(qtbot, window)
    first = open_and_wait(qtbot, window, "perfect-week", 1)
    second = open_and_wait(qtbot, window, "discharge-to-assess", 1)
    assert first.view is not None and second.view is not None
    window.library.filters.text.setFocus()  # the keyboard somewhere else in the window
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert window.tabs.current_tab() is first
    canvas = first.view.canvas()
    qtbot.waitUntil(canvas.hasFocus, timeout=WAIT)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_End)
    assert canvas.verticalScrollBar().value() == canvas.verticalScrollBar().maximum() > 0
    # Ctrl+Tab to the other document: its pages take the keyboard too.
    qtbot.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.current_tab() is second
    assert second.view.canvas().hasFocus()
    # Back on the library, its list has the keyboard.
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    qtbot.waitUntil(lambda: window.library.current_view().hasFocus(), timeout=WAIT)
    session.close()


def test_theme_switch_applies_at_once_and_is_remembered(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = library_session(qtbot, app_paths, small_library, start=False)
    window = session.window
    window.action_map["theme_dark"].trigger()
    window_colour = QApplication.palette().color(QPalette.ColorRole.Window)
    assert window_colour.lightness() < 60
    assert window.theme.scheme == "dark"
    assert Settings(app_paths.settings_file).get("theme") == "dark"
    session.close()

    again = library_session(qtbot, app_paths, small_library, start=False)
    assert again.window.theme.scheme == "dark"
    assert again.window.action_map["theme_dark"].isChecked()
    again.window.action_map["theme_light"].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 200
    again.close()


def test_the_theme_button_switches_to_dark_and_back_and_says_which_is_on(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = library_session(qtbot, app_paths, small_library, start=False)
    window = session.window
    window.set_theme("light")
    button = window.toolbar.widgetForAction(window.action_map["toggle_theme"])
    assert isinstance(button, QToolButton)
    assert "light theme is on" in button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.theme.scheme == "dark" and "dark theme is on" in button.toolTip()
    assert window.action_map["theme_dark"].isChecked()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # pressed again: back to light
    assert window.theme.scheme == "light" and "light theme is on" in button.toolTip()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert window.action_map["toggle_theme"].text() == "Switch to &Dark Theme"
    assert Settings(app_paths.settings_file).get("theme") == "light"
    session.close()


def drawn_colour(edit: QLineEdit, name: str) -> QColor:
    """The colour of the icon ``name`` at the start of ``edit``, as it is drawn now."""
    (action,) = [a for a in edit.findChildren(QAction) if a.objectName() == f"fieldIcon-{name}"]
    image = action.icon().pixmap(QSize(32, 32)).toImage()
    pixels = [image.pixelColor(x, y) for x in range(32) for y in range(32)]
    return max(pixels, key=lambda colour: colour.alpha())


def test_the_field_icons_follow_every_theme_change(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = library_session(qtbot, app_paths, small_library)
    window = session.window
    window.resize(1366, 768)
    open_and_wait(qtbot, window, "perfect-week", 2)  # a document was read in between
    window.set_theme("dark")
    qtbot.wait(300)
    window.tabs.setCurrentIndex(0)
    fields = {"search": window.search_panel.field, "filter": window.library.filters.text}
    for look in ("high-contrast", "light", "dark", "high-contrast", "light"):
        window.set_theme(look)
        qtbot.wait(300)  # the change settles, as it does between a user's clicks
        for name, field in fields.items():
            colour = drawn_colour(field, name)
            assert colour.name() == QColor(theme.colours().muted).name(), (look, name)
    session.close()


def contrast(first: QColor, second: QColor) -> float:
    """The WCAG contrast ratio of two colours."""

    def luminance(colour: QColor) -> float:
        channels = []
        for value in (colour.redF(), colour.greenF(), colour.blueF()):
            channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_and_background(image: QImage) -> tuple[QColor, QColor]:
    """The most common colour of ``image`` and the most common one clearly unlike it."""
    counts: Counter[int] = Counter(
        image.pixel(x, y) for x in range(image.width()) for y in range(image.height())
    )
    background = QColor(counts.most_common(1)[0][0])
    for rgb, _count in counts.most_common():
        colour = QColor(rgb)
        if contrast(colour, background) > 1.8:
            return colour, background
    return background, background


def test_links_keep_their_contrast_after_switching_to_dark(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(qtbot, app_paths, small_library)
    window = session.window
    window.set_theme("light")
    qtbot.waitUntil(lambda: session.services.search.state == "ready", timeout=WAIT * 2)
    panel = window.search_panel
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT):
        qtbot.keyClicks(panel.field, "dischrge")
    label = panel.suggestion
    assert label.isVisible() and "<a " in label.text()  # "Did you mean discharge?"
    link, paper = text_and_background(label.grab().toImage())
    assert contrast(link, paper) >= 4.5
    window.set_theme("dark")
    link, paper = text_and_background(label.grab().toImage())
    assert paper.lightness() < 80
    assert contrast(link, paper) >= 4.5  # WCAG AA for text
    session.close()


def test_titles_fit_their_windows_and_name_the_document_being_read(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    # The reader's own start-up must not make the window system append its long name to
    # every title (small dialogs showed "Go to … eader"): checked in a fresh process.
    code = (
        "from ecip_reader.app import create_application\n"
        "app = create_application([])\n"
        "print(app.applicationDisplayName())\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    ).stdout.strip()
    assert shown != APP_TITLE
    session = library_session(qtbot, app_paths, small_library)
    window = session.window
    assert window.windowTitle() == APP_TITLE
    open_and_wait(qtbot, window, "perfect-week")
    assert window.windowTitle() == f"Making every week a Perfect Week — {APP_TITLE}"
    window.tabs.setCurrentIndex(0)
    assert window.windowTitle() == APP_TITLE
    session.close()


def test_a_locked_theme_cannot_be_changed(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    app_paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    app_paths.policy_file.write_text('theme = "light"\nlocked = ["theme"]\n', encoding="utf-8")
    session = library_session(qtbot, app_paths, small_library, start=False)
    assert session.window.theme.scheme == "light"
    assert not session.window.action_map["theme_dark"].isEnabled()
    assert not session.window.action_map["toggle_theme"].isEnabled()
    session.close()


def test_every_command_has_a_menu_entry_a_shortcut_and_a_row_in_the_dialog(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = library_session(qtbot, app_paths, small_library, start=False)
    window = session.window
    in_menus = set()
    for menu in window.menuBar().findChildren(QMenu):
        in_menus.update(a.objectName() for a in menu.actions() if a.objectName())
    window.extra_commands.extend(ANNOTATE_COMMANDS)  # as the notes feature does
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    rows = dialog.rows()
    every = (*actions.COMMANDS, *ANNOTATE_COMMANDS)
    commands = [r for r in rows if r[0] not in ("Reading", "Presentation")]
    assert len(commands) == len([c for c in every if c.shortcuts])
    for command in actions.COMMANDS:
        assert f"action_{command.name}" in in_menus
        if not command.shortcuts:
            continue
        # a menu entry shows its key, bound here or by the page view
        menu_text = window.action_map[command.name].text()
        shown = window.action_map[command.name].shortcut().toString()
        assert shown or "\t" in menu_text, command.name
    # the page view's own keys and presentation mode's keys are listed too
    assert ("Reading", "Select a word / a line", "Double-click / triple-click") in rows
    assert ("Presentation", "Black / white screen", "B / W") in rows
    assert ("View", "Inverted", "Ctrl+Shift+I") in rows
    assert not [r for r in rows if r[0] == "Reading" and r[2] == "Ctrl+F"]  # listed once
    assert ("Edit", "Search", "Ctrl+K   or   Ctrl+Shift+F") in rows
    assert ("Edit", "Find Next Hit", "F3") in rows
    assert ("File", "Close Tab", "Ctrl+W") in rows
    assert ("Edit", "Find in Document", "Ctrl+F") in rows
    assert ("Annotate", "Highlight", "Ctrl+Shift+H") in rows
    # no key is used by two commands, across the window, the page view and the notes
    keys = [QKeySequence(k).toString() for c in every for k in c.shortcuts]
    assert len(keys) == len(set(keys))
    dialog.close()
    session.close()


def test_search_shortcut_focuses_the_field(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = library_session(qtbot, app_paths, small_library, start=False)
    window = session.window
    activate(qtbot, window)
    window.library.grid.setFocus()
    qtbot.waitUntil(window.library.grid.hasFocus)
    qtbot.keyClick(window.library.grid, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_panel.field.hasFocus()
    window.library.grid.setFocus()
    qtbot.waitUntil(window.library.grid.hasFocus)
    qtbot.keyClick(
        window.library.grid,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.search_panel.field.hasFocus()
    session.close()


def test_problems_are_shown_in_one_place(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    broken = small_library.path_of(small_library.get("discharge-to-assess"))
    broken.write_bytes(b"this is not a PDF at all")
    session = library_session(qtbot, app_paths, small_library)
    window = session.window
    assert window.message_bar.isHidden()
    window.open_document("discharge-to-assess")
    qtbot.waitUntil(window.message_bar.isVisible, timeout=WAIT)
    assert "discharge-to-assess.pdf" in window.message_bar.text()
    window.services.tasks.user_error.emit("Cannot save your notes: the disk is full.")
    assert window.message_bar.text() == "Cannot save your notes: the disk is full."
    window.message_bar.close_button.click()
    assert window.message_bar.isHidden()
    session.close()


def test_a_damaged_history_file_is_reported_not_fatal(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    ReadingHistory.for_paths(app_paths).path.write_text("{broken", encoding="utf-8")
    session = library_session(qtbot, app_paths, small_library, start=False)
    assert "reading history" in session.window.message_bar.text()
    assert session.window.library.count.text() == "3 documents"
    session.close()


def test_window_size_is_remembered(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = library_session(qtbot, app_paths, small_library, start=False)
    # (the offscreen screen is 800×800: a saved size is fitted onto the screen it returns to)
    session.window.resize(784, 612)
    session.close()
    again = library_session(qtbot, app_paths, small_library, start=False)
    assert again.window.size() == QSize(784, 612)
    again.close()


WINDOW_ON_SCREEN = """
from ecip_reader.app import build_services, create_application
from ecip_reader.paths import AppPaths
from ecip_reader.ui.main.window import MainWindow

app = create_application([])
services, holder = build_services(AppPaths.from_environment())
window = MainWindow(services)
window.show()
app.processEvents()
area = window.screen().availableGeometry()
frame = window.frameGeometry()
print(area.contains(frame), area.width(), area.height(), frame.width(), frame.height())
window.close()
services.search.close()
holder.close()
"""


def window_on_screen(scale: str, library: Catalogue) -> tuple[bool, list[int]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale}
    env[LIBRARY_ENV] = str(library.root)
    done = subprocess.run(
        [sys.executable, "-c", WINDOW_ON_SCREEN], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    inside, *sizes = done.stdout.split()
    return inside == "True", [int(v) for v in sizes]


@pytest.mark.slow
def test_the_window_fits_its_screen_at_any_scale(
    app_paths: AppPaths, small_library: Catalogue
) -> None:
    # The offscreen screen is 800×800 pixels: 400×400 at a scale factor of 2, less than the
    # window's usual minimum. The first start and the next (with the size saved at a
    # scale of 1) both keep the whole window, toolbar to status bar, on the screen.
    inside, sizes = window_on_screen("1", small_library)
    assert inside, sizes
    assert Settings(app_paths.settings_file).get("window_geometry")
    inside, (width, height, frame_width, frame_height) = window_on_screen("2", small_library)
    assert (width, height) == (400, 400)
    assert inside and frame_width <= 400 and frame_height <= 400


def test_key_widgets_have_accessible_names(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = library_session(qtbot, app_paths, small_library, start=False)
    window = session.window
    for widget in (
        window.search_panel.field,
        window.search_panel.tree,
        window.library.grid,
        window.library.table,
        window.library.filters.text,
        window.library.filters.tree,
        window.library.details.open_button,
        window.tabs,
    ):
        assert widget.accessibleName(), widget
    session.close()


@pytest.mark.slow
def test_system_choice_follows_the_desktop_colour_scheme(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = library_session(qtbot, app_paths, small_library, start=False)
    window = session.window
    window.action_map["theme_system"].trigger()
    assert window.theme.scheme == "light"  # the offscreen desktop says nothing: light
    monkeypatch.setattr(theme, "system_scheme", lambda: "dark")
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.theme.scheme == "dark"
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 60
    # a fixed choice is not moved by the desktop
    window.action_map["theme_light"].trigger()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.theme.scheme == "light"
    session.close()


def test_view_menu_commands_act_on_the_current_document(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = library_session(qtbot, app_paths, small_library)
    window = session.window
    assert not window.action_map["fit_page"].isEnabled()  # nothing to zoom on the library
    tab = open_and_wait(qtbot, window, "perfect-week")
    view = tab.view
    assert view is not None
    window.action_map["fit_page"].trigger()
    assert view.state()["zoom"] == "fit-page"
    window.action_map["fit_width"].trigger()
    assert view.state()["zoom"] == "fit-width"
    window.action_map["zoom_in"].trigger()
    assert isinstance(view.state()["zoom"], float)
    session.close()
