"""Every command of the main window: its menu, its text and its keyboard shortcuts.

The list here is the single source for the menus, the toolbar and the
Help → Keyboard shortcuts dialog, so the three can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ecip_reader.ui import icons

MENUS = ("File", "Edit", "View", "Go", "Help")


@dataclass(frozen=True)
class Command:
    name: str
    menu: str
    text: str  # menu text, with & for the mnemonic
    shortcuts: tuple[str, ...]
    tip: str
    icon: str | None = None
    checkable: bool = False
    group: str | None = None  # exclusive groups (view mode, theme)
    separator_before: bool = False
    # The keys are bound by the document view itself (listed here, not bound twice:
    # two bindings of one key would cancel each other out).
    view_keys: bool = False


COMMANDS: tuple[Command, ...] = (
    Command("show_library", "File", "&Library", ("Ctrl+L",), "Show the library", "library"),
    Command(
        "open_selected",
        "File",
        "&Open Selected Document",
        ("Ctrl+O",),
        "Open the document chosen in the library",
        "open",
    ),
    Command(
        "open_pdf_file",
        "File",
        "Open PDF &File…",
        ("Ctrl+Alt+O",),
        "Open a PDF of your own; it is kept in My documents",
    ),
    Command(
        "add_pdfs",
        "File",
        "&Add PDFs to Library…",
        ("Ctrl+Shift+O",),
        "Add PDFs of your own to My documents (nothing is copied)",
        separator_before=True,
    ),
    Command(
        "add_folder",
        "File",
        "Add F&older to Library…",
        (),
        "Add every PDF in a folder to My documents (nothing is copied)",
    ),
    Command(
        "remove_from_library",
        "File",
        "&Remove from My Documents",
        (),
        "Take the chosen document of your own out of the library (the file stays where it is)",
    ),
    Command(
        "close_tab",
        "File",
        "&Close Tab",
        ("Ctrl+W",),
        "Close the current document",
        "close",
        separator_before=True,
    ),
    Command("print", "File", "&Print…", ("Ctrl+P",), "Print the current document", view_keys=True),
    Command("quit", "File", "&Quit", ("Ctrl+Q",), "Close the reader", separator_before=True),
    Command(
        "search",
        "Edit",
        "&Search…",
        ("Ctrl+K", "Ctrl+Shift+F"),
        "Search the text of every document",
        "search",
    ),
    Command(
        "next_hit",
        "Edit",
        "Find &Next Hit",
        ("F3",),
        "Go to the next page where the search words were found",
        "next",
    ),
    Command(
        "previous_hit",
        "Edit",
        "Find &Previous Hit",
        ("Shift+F3",),
        "Go to the previous page where the search words were found",
        "previous",
    ),
    Command(
        "find_in_document",
        "Edit",
        "&Find in Document…",
        ("Ctrl+F",),
        "Find words in the current document",
        view_keys=True,
        separator_before=True,
    ),
    Command(
        "copy", "Edit", "&Copy", ("Ctrl+C",), "Copy the text selected on the page", view_keys=True
    ),
    Command(
        "context_menu",
        "Edit",
        "Open Conte&xt Menu",
        ("Shift+F10",),
        "Open the menu of what has the keyboard, as a right-click does (also the Menu key)",
    ),
    Command(
        "filter_library",
        "Edit",
        "&Filter Library…",
        ("Ctrl+Shift+L",),
        "Type to narrow the library",
        "filter",
        separator_before=True,
    ),
    Command(
        "clear_filters",
        "Edit",
        "&Clear Library Filters",
        ("Ctrl+Shift+Backspace",),
        "Show every document again",
    ),
    Command(
        "grid_view",
        "View",
        "&Covers",
        ("Ctrl+1",),
        "Show the library as covers",
        "grid",
        True,
        "view",
    ),
    Command(
        "list_view",
        "View",
        "&List",
        ("Ctrl+2",),
        "Show the library as a sortable list",
        "list",
        True,
        "view",
    ),
    Command(
        "toggle_search_panel",
        "View",
        "&Search Results Panel",
        ("Ctrl+Shift+R",),
        "Show or hide the search results",
        "search",
        True,
        separator_before=True,
    ),
    Command(
        "zoom_in",
        "View",
        "Zoom &In",
        ("Ctrl++", "Ctrl+="),
        "Make the page larger",
        "zoom-in",
        separator_before=True,
        view_keys=True,
    ),
    Command(
        "zoom_out",
        "View",
        "Zoom &Out",
        ("Ctrl+-",),
        "Make the page smaller",
        "zoom-out",
        view_keys=True,
    ),
    Command(
        "fit_width",
        "View",
        "Fit &Width",
        ("Ctrl+0",),
        "Fit the page to the width of the window",
        "fit-width",
    ),
    Command("fit_page", "View", "Fit &Page", ("Ctrl+9",), "Show the whole page"),
    Command(
        "rotate_right",
        "View",
        "Rotate &Right",
        ("Ctrl+R",),
        "Turn the pages a quarter clockwise",
        view_keys=True,
    ),
    Command(
        "rotate_left",
        "View",
        "Rotate Le&ft",
        ("Ctrl+Alt+R",),
        "Turn the pages a quarter anticlockwise",
        view_keys=True,
    ),
    Command(
        "trim_margins",
        "View",
        "&Trim Blank Margins",
        ("Ctrl+Shift+M",),
        "Fit the printed part of the pages to the width, leaving blank margins out",
        checkable=True,
    ),
    Command(
        "night_off",
        "View",
        "&Normal Pages",
        ("Ctrl+Shift+P",),
        "Show the pages in their own colours",
        checkable=True,
        group="night",
        separator_before=True,
    ),
    Command(
        "night_invert",
        "View",
        "&Inverted",
        ("Ctrl+Shift+I",),
        "Light text on dark pages, for reading in a dim room",
        checkable=True,
        group="night",
    ),
    Command(
        "night_sepia",
        "View",
        "&Sepia",
        ("Ctrl+Shift+E",),
        "Warm, low-contrast pages",
        checkable=True,
        group="night",
    ),
    Command(
        "side_panel",
        "View",
        "&Contents Panel",
        ("F9",),
        "Show or hide the contents and page thumbnails of the document",
        view_keys=True,
    ),
    Command(
        "present",
        "View",
        "&Present",
        ("F5",),
        "Show the document full screen, a page at a time, for a workshop",
        view_keys=True,
    ),
    Command(
        "theme_system",
        "View",
        "Follow &System Colours",
        ("Ctrl+Shift+Y",),
        "Use the colour scheme of the desktop",
        None,
        True,
        "theme",
        True,
    ),
    Command(
        "theme_light",
        "View",
        "Li&ght Theme",
        ("Ctrl+Shift+G",),
        "Always use light colours",
        None,
        True,
        "theme",
    ),
    Command(
        "theme_dark",
        "View",
        "&Dark Theme",
        ("Ctrl+Shift+D",),
        "Always use dark colours",
        "theme",
        True,
        "theme",
    ),
    Command(
        "theme_high-contrast",
        "View",
        "&High Contrast Theme",
        ("Ctrl+Shift+C",),
        "White text on black with yellow highlights: every text at 7:1 contrast or more",
        None,
        True,
        "theme",
    ),
    Command(
        "toggle_theme",
        "View",
        "Switch to &Dark Theme",
        ("Ctrl+Shift+T",),
        "Switch between the light and the dark theme",
        "theme",
    ),
    Command(
        "full_screen",
        "View",
        "&Full Screen",
        ("F11",),
        "Fill the screen, for projecting in a workshop",
        None,
        True,
        separator_before=True,
    ),
    Command("next_tab", "Go", "&Next Tab", ("Ctrl+Tab", "Ctrl+PgDown"), "Show the next tab"),
    Command(
        "previous_tab",
        "Go",
        "&Previous Tab",
        ("Ctrl+Shift+Tab", "Ctrl+PgUp"),
        "Show the previous tab",
    ),
    Command(
        "back",
        "Go",
        "&Back",
        ("Alt+Left",),
        "Return to where you were before following a link",
        view_keys=True,
        separator_before=True,
    ),
    Command(
        "forward",
        "Go",
        "&Forward",
        ("Alt+Right",),
        "Go forward again after going back",
        view_keys=True,
    ),
    Command(
        "go_to_page",
        "Go",
        "&Go to Page…",
        ("Ctrl+G",),
        "Jump to a page of the current document",
        separator_before=True,
    ),
    Command(
        "shortcuts",
        "Help",
        "&Keyboard Shortcuts",
        ("Ctrl+/", "F1"),
        "List every keyboard shortcut",
        "keyboard",
    ),
    Command("about", "Help", "&About", ("Shift+F1",), "About the reader and the collection"),
)


def native(shortcut: str) -> str:
    return QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)


def make_action(command: Command, parent: QWidget | None) -> QAction:
    """The QAction of ``command``: its text, shortcuts, tips and icon."""
    keys = ", ".join(native(s) for s in command.shortcuts)
    action = QAction(command.text, parent)
    action.setObjectName(f"action_{command.name}")
    action.setShortcuts([QKeySequence(s) for s in command.shortcuts])
    # The view binds its own keys; here they are only shown in the menu (and announced
    # by screen readers as the entry's shortcut), never bound a second time.
    where = Qt.ShortcutContext
    action.setShortcutContext(where.WidgetShortcut if command.view_keys else where.WindowShortcut)
    action.setToolTip(f"{command.tip} ({keys})" if keys else command.tip)
    action.setStatusTip(command.tip)
    if command.icon:
        action.setIcon(icons.icon(command.icon))
    action.setCheckable(command.checkable)
    return action


def build_actions(parent: QWidget) -> dict[str, QAction]:
    """One QAction per command, with shortcuts, tips and accessible descriptions."""
    actions: dict[str, QAction] = {}
    groups: dict[str, QActionGroup] = {}
    for command in COMMANDS:
        action = make_action(command, parent)
        if command.group:
            group = groups.get(command.group)
            if group is None:
                group = groups[command.group] = QActionGroup(parent)
                group.setExclusive(True)
            group.addAction(action)
        actions[command.name] = action
    return actions


def refresh_icons(actions: dict[str, QAction]) -> None:
    """Redraw the icons in the text colour of the current look."""
    for command in COMMANDS:
        if command.icon and command.name in actions:
            actions[command.name].setIcon(icons.icon(command.icon))


def plain_text(text: str) -> str:
    return text.replace("&", "").rstrip("…")


class ShortcutsDialog(QDialog):
    """Help → Keyboard shortcuts: every command, grouped by menu."""

    def __init__(
        self,
        commands: Sequence[Command] = COMMANDS,
        parent: QWidget | None = None,
        more: Sequence[tuple[str, str, str]] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        self.resize(560, 640)
        self.table = QTableWidget(0, 3, self)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Where", "Command", "Shortcut"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the Close button
        for command in commands:
            if not command.shortcuts:
                continue
            row = self.table.rowCount()
            self.table.insertRow(row)
            keys = "   or   ".join(native(s) for s in command.shortcuts)
            for column, text in enumerate((command.menu, plain_text(command.text), keys)):
                item = QTableWidgetItem(text)
                item.setToolTip(command.tip)
                self.table.setItem(row, column, item)
        for place, what, keys in more:  # keys of the page view and of presentation mode
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, text in enumerate((place, what, keys)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        intro = QLabel(
            "Inside a document, the arrow keys, Page Up and Page Down, Home and End move through "
            "the pages.",
            self,
        )
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # limits set once, above
        self.setMinimumSize(420, 360)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, ...]]:
        """The table as text: (menu, command, shortcuts) per row."""
        return [
            tuple(item.text() if (item := self.table.item(r, c)) else "" for c in range(3))
            for r in range(self.table.rowCount())
        ]
