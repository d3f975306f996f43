"""The system's look is honoured: its high-contrast colours are kept, the High Contrast theme
keeps every text at 7:1 or more (WCAG AAA), and text grows with the system font."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QStyle, QStyleOptionToolButton, QToolButton
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui import theme
from ecip_reader.ui.main.window import MainWindow
from tests.support.window import Session, library_only_search, open_session

Role = QPalette.ColorRole
# (text, background) pairs the palette uses for words on screen
TEXT_ROLES = (
    (Role.Text, Role.Base),
    (Role.WindowText, Role.Window),
    (Role.ButtonText, Role.Button),
    (Role.HighlightedText, Role.Highlight),
    (Role.ToolTipText, Role.ToolTipBase),
    (Role.PlaceholderText, Role.Base),
    (Role.Link, Role.Base),
    (Role.Text, Role.AlternateBase),
)


@pytest.fixture
def app_look(qapp: QApplication) -> Iterator[QApplication]:
    """Put back the application's palette, style sheet and font after the test."""
    palette, sheet, font = QPalette(qapp.palette()), qapp.styleSheet(), QFont(qapp.font())
    yield qapp
    qapp.setFont(font)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)


def session(qtbot: QtBot, paths: AppPaths, library: Catalogue) -> Session:
    return open_session(qtbot, paths, library, search=library_only_search(library), start=False)


def pixel(window: MainWindow, x: int, y: int) -> QColor:
    return window.grab().toImage().pixelColor(QPoint(x, y))


def test_contrast_is_measured_as_wcag_does() -> None:
    assert theme.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert theme.contrast("#5d6472", "#5d6472") == pytest.approx(1.0)
    assert theme.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # AA's edge
    assert theme.contrast("#595959", "#ffffff") == pytest.approx(7.0, abs=0.01)  # AAA's edge


def test_the_high_contrast_theme_keeps_every_text_at_seven_to_one(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, app_look: QApplication
) -> None:
    c = theme.HIGH_CONTRAST
    for words, ground in (
        (c.text, c.window),
        (c.text, c.surface),
        (c.text, c.surface_alt),
        (c.text, c.accent_soft),  # selected rows and chips
        (c.muted, c.window),
        (c.muted, c.surface),
        (c.muted, c.surface_alt),
        (c.accent, c.surface),  # links, the selected tab's line
        (c.accent_text, c.accent),
        (c.on_match, c.match),  # found words
        (c.warning_text, c.warning_bg),
        *(("#ffffff", kind) for kind in c.kinds.values()),  # titles on cover cards
    ):
        assert theme.contrast(words, ground) >= 7.0, (words, ground)
    opened = session(qtbot, app_paths, small_library)
    window = opened.window
    window.action_map["theme_high-contrast"].trigger()
    assert window.theme.scheme == "high-contrast"
    palette = app_look.palette()
    for words, ground in TEXT_ROLES:
        assert theme.contrast(palette.color(words), palette.color(ground)) >= 7.0, words
    disabled = palette.color(QPalette.ColorGroup.Disabled, Role.WindowText)
    assert theme.contrast(disabled, palette.color(Role.Window)) >= 7.0
    # what the window shows: black behind the library, the words in white
    assert pixel(window, 5, window.height() - 5) != QColor(theme.LIGHT.surface)
    words = window.library.count.palette().color(Role.WindowText)  # a secondary text
    assert theme.contrast(words, pixel(window, 5, window.height() - 5)) >= 7.0
    opened.close()


def test_the_desktops_own_high_contrast_colours_are_kept(
    qtbot: QtBot,
    app_paths: AppPaths,
    small_library: Catalogue,
    app_look: QApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desktop = QPalette(QColor("#000033"))  # yellow on navy, as a desktop scheme might give
    for role, colour in (
        (Role.Window, "#000033"),
        (Role.Base, "#000033"),
        (Role.AlternateBase, "#000044"),
        (Role.Text, "#ffff66"),
        (Role.WindowText, "#ffff66"),
        (Role.ButtonText, "#ffff66"),
        (Role.Button, "#000033"),
        (Role.Highlight, "#66ffff"),
        (Role.HighlightedText, "#000000"),
    ):
        desktop.setColor(role, QColor(colour))
    app_look.setPalette(desktop)
    monkeypatch.setattr(theme, "system_high_contrast", lambda: True)
    opened = session(qtbot, app_paths, small_library)
    window = opened.window
    assert window.theme.choice == "system" and window.theme.scheme == "system"
    palette = app_look.palette()
    assert palette.color(Role.Window) == QColor("#000033")
    assert palette.color(Role.Text) == QColor("#ffff66")
    assert palette.color(Role.Highlight) == QColor("#66ffff")
    assert theme.colours().text == "#ffff66"
    sheet = app_look.styleSheet()
    assert theme.LIGHT.surface not in sheet and theme.HIGH_CONTRAST.accent not in sheet
    assert window.library.filters.palette().color(Role.Base) == QColor("#000033")
    # a look chosen by the user wins; "system" brings the desktop's colours back
    window.action_map["theme_light"].trigger()
    assert app_look.palette().color(Role.Window) == QColor(theme.LIGHT.window)
    window.action_map["theme_system"].trigger()
    assert app_look.palette().color(Role.Window) == QColor("#000033")
    opened.close()


def test_high_contrast_asked_by_a_desktop_whose_colours_are_not_gets_ours(
    qtbot: QtBot,
    app_paths: AppPaths,
    small_library: Catalogue,
    app_look: QApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Fusion's own colours: white on a mid-blue selection is 3.6:1
    app_look.setPalette(app_look.style().standardPalette())
    monkeypatch.setattr(theme, "system_high_contrast", lambda: True)
    opened = session(qtbot, app_paths, small_library)
    assert theme.colours() == theme.HIGH_CONTRAST
    palette = app_look.palette()
    for words, ground in TEXT_ROLES:
        assert theme.contrast(palette.color(words), palette.color(ground)) >= 7.0, words
    opened.close()


def text_sizes(window: MainWindow) -> dict[str, float]:
    """The text size of key parts of the window, in points."""
    window.library.select("perfect-week")
    details = window.library.details
    return {
        "document title": details.title.fontInfo().pointSizeF(),
        "summary": details.summary.fontInfo().pointSizeF(),
        "search field": window.search_panel.field.fontInfo().pointSizeF(),
        "tabs": window.tabs.tabBar().fontInfo().pointSizeF(),
        "filters": window.library.filters.tree.fontInfo().pointSizeF(),
        "menu": window.menuBar().fontInfo().pointSizeF(),
        "count": window.library.count.fontInfo().pointSizeF(),
    }


def test_text_grows_with_the_system_font(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, app_look: QApplication
) -> None:
    normal = session(qtbot, app_paths, small_library)
    before = text_sizes(normal.window)
    title_height = normal.window.library.details.title.sizeHint().height()
    normal.close()
    larger = QFont(app_look.font())
    larger.setPointSizeF(app_look.font().pointSizeF() * 1.6)
    app_look.setFont(larger)  # as a desktop set to large text gives it
    grown = session(qtbot, app_paths, small_library)
    after = text_sizes(grown.window)
    for part, size in before.items():
        assert after[part] >= size * 1.5, part
    assert after["document title"] > after["summary"]  # still a title
    assert grown.window.library.details.title.sizeHint().height() > title_height * 1.4
    # changed while the reader runs: the title follows too
    largest = QFont(larger)
    largest.setPointSizeF(larger.pointSizeF() * 1.25)
    app_look.setFont(largest)
    assert text_sizes(grown.window)["document title"] >= after["document title"] * 1.2
    grown.close()


@pytest.mark.parametrize("look", ["light", "dark", "high-contrast"])
def test_a_button_with_a_menu_arrow_keeps_its_text_clear_of_the_arrow(
    qtbot: QtBot, app_look: QApplication, look: str
) -> None:
    theme.apply(app_look, look)
    button = QToolButton()  # as "Present", whose arrow chooses the screen
    qtbot.addWidget(button)
    button.setText("Present")
    button.setAutoRaise(True)
    button.setMenu(QMenu(button))
    button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    button.resize(button.sizeHint())
    option = QStyleOptionToolButton()
    button.initStyleOption(option)
    arrow = button.style().subControlRect(
        QStyle.ComplexControl.CC_ToolButton, option, QStyle.SubControl.SC_ToolButtonMenu, button
    )
    # The text is centred between the focus ring and padding on either side (5 px each).
    assert arrow.left() >= button.fontMetrics().horizontalAdvance("Present") + 2 * 5
