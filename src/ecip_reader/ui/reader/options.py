"""The reading controls on a document's bar, and the entries of its right-click menu.

Every control names its keyboard shortcut in its tooltip; the shortcuts
themselves are registered by the view so that they work without a menu bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from ecip_reader.settings import NightMode
from ecip_reader.ui.present.keys import PRESENTATION_SHORTCUTS
from ecip_reader.ui.present.screens import fill_screen_menu
from ecip_reader.ui.reader.reading import (
    REFLOW_ACTION,
    TRIM_ACTION,
    ReadingView,
    night_action_name,
)

__all__ = ["PRESENTATION_SHORTCUTS", "READING_SHORTCUTS", "build_reading_bar", "build_view_menu"]

NIGHT_LABELS = (
    (NightMode.OFF, "Normal Pages"),
    (NightMode.INVERT, "Inverted (Night)"),
    (NightMode.SEPIA, "Sepia"),
)

# Shortcuts of the document view, for the window's list of keyboard shortcuts.
READING_SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+F", "Find in this document"),
    ("Enter / Shift+Enter, F3 / Shift+F3", "Next / previous match (while finding)"),
    ("Ctrl+C", "Copy the selected text"),
    ("Double-click / triple-click", "Select a word / a line"),
    ("Shift+Left / Shift+Right", "Select from the first word in view, a word at a time"),
    ("Shift+Up / Shift+Down", "Select a line at a time"),
    ("Menu key / Shift+F10", "The page's menu, at the selected text"),
    ("Alt+Left / Alt+Right", "Back / forward after following a link"),
    ("Ctrl+R / Ctrl+Alt+R", "Turn the pages right / left"),
    ("F9", "Show or hide the contents and page thumbnails"),
    ("Ctrl+Alt+T", "Reflow the text to the window, for large print (again: back to pages)"),
    ("Ctrl+P", "Print"),
    ("F5", "Present (full screen)"),
)


def _button(parent: QWidget, text: str, tip: str, name: str) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(name)
    button.setAutoRaise(True)
    return button


@dataclass
class ReadingBar:
    """The reading controls, for the view to place and keep in step."""

    buttons: list[QWidget]
    side_panel_button: QToolButton
    night_actions: dict[NightMode, QAction]
    trim_action: QAction
    reflow_action: QAction


def build_reading_bar(view: ReadingView, parent: QWidget) -> ReadingBar:
    """The bar's reading buttons: contents, back, forward, find, view options, present."""
    contents = _button(parent, "Contents", "Show or hide contents and thumbnails (F9)", "Contents")
    contents.setCheckable(True)
    contents.toggled.connect(view.show_side_panel)
    back = _button(parent, "◀", "Back to where you were before the link (Alt+Left)", "Back")
    back.clicked.connect(view.back)
    forward = _button(parent, "▶", "Forward again (Alt+Right)", "Forward")
    forward.clicked.connect(view.forward)
    find = _button(parent, "Find", "Find in this document (Ctrl+F)", "Find")
    find.clicked.connect(view.open_find)
    options = _button(parent, "View", "Night reading, rotation, margins, printing", "View options")
    options.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu, night_actions, trim, reflow = build_view_menu(view, options)
    options.setMenu(menu)
    present = _button(
        parent, "Present", "Present full screen (F5); the arrow chooses the screen", "Present"
    )
    present.clicked.connect(lambda: view.start_presentation())
    screens = QMenu(present)
    screens.setAccessibleName("Present on")
    # Listed when opened, so a projector plugged in after the document opened is there too.
    screens.aboutToShow.connect(
        lambda: fill_screen_menu(
            screens, view.screen(), view.start_presentation, view.preferred_slides_screen()
        )
    )
    present.setMenu(screens)
    present.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    buttons: list[QWidget] = [contents, back, forward, find, options, present]
    return ReadingBar(buttons, contents, night_actions, trim, reflow)


def build_view_menu(
    view: ReadingView, parent: QWidget
) -> tuple[QMenu, dict[NightMode, QAction], QAction, QAction]:
    """The View menu of a document: reflowed text, night tones, rotation, margins, printing."""
    menu = QMenu("Reading", parent)
    reflow = menu.addAction("Reflow Text (Large Print)")
    # The key works wherever the focus is in the view, and the menu shows it.
    reflow.setShortcut(QKeySequence("Ctrl+Alt+T"))
    reflow.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    view.addAction(reflow)
    reflow.setCheckable(True)
    reflow.setObjectName(REFLOW_ACTION)
    reflow.setStatusTip("Show the text wrapped to the window, at any size, in the theme's colours")
    reflow.toggled.connect(view.set_reflow)
    menu.addSeparator()
    group = QActionGroup(menu)
    night_actions: dict[NightMode, QAction] = {}
    for mode, label in NIGHT_LABELS:
        action = QAction(label, menu)
        action.setObjectName(night_action_name(mode))
        action.setCheckable(True)
        action.setChecked(mode == NightMode.OFF)
        action.triggered.connect(lambda _c=False, m=mode: view.set_night_mode(m))
        group.addAction(action)
        menu.addAction(action)
        night_actions[mode] = action
    menu.addSeparator()
    right = menu.addAction("Rotate Right")
    right.setShortcutVisibleInContextMenu(True)
    right.triggered.connect(lambda: view.rotate(90))
    left = menu.addAction("Rotate Left")
    left.triggered.connect(lambda: view.rotate(-90))
    trim = menu.addAction("Trim Blank Margins")
    trim.setObjectName(TRIM_ACTION)
    trim.setCheckable(True)
    trim.toggled.connect(view.set_trim_margins)
    menu.addSeparator()
    printing = menu.addAction("Print…")
    printing.triggered.connect(view.print_document)
    return menu, night_actions, trim, reflow
