"""The window's menus and toolbar, built from the command list, and the About box."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLineEdit,
    QMainWindow,
    QMenu,
    QMenuBar,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from ecip_reader.ui import icons, theme
from ecip_reader.ui.main import actions as commands
from ecip_reader.ui.main.about import AboutDialog

TOOLBAR_LEFT = ("show_library", "grid_view", "list_view")
TOOLBAR_RIGHT = ("zoom_out", "zoom_in", "fit_width", "toggle_theme", "shortcuts")


# Exclusive groups shown as a submenu: group -> (menu title, icon)
SUBMENUS = {"night": ("&Night Reading", None), "theme": ("&Theme", "theme")}


def build_menus(bar: QMenuBar, actions: dict[str, QAction]) -> dict[str, QMenu]:
    """File, Edit, View, Go and Help, in the order of the command list.

    Returns every menu by name, the submenus by their group ("theme", "night") too.
    """
    menus = {name: bar.addMenu(f"&{name}") for name in commands.MENUS}
    submenus: dict[str, QMenu] = {}
    for command in commands.COMMANDS:
        menu = menus[command.menu]
        if command.group in SUBMENUS:
            submenu = submenus.get(command.group)
            if submenu is None:
                title, icon = SUBMENUS[command.group]
                menu.addSeparator()
                submenu = submenus[command.group] = menu.addMenu(title)
                if icon:
                    submenu.setIcon(icons.icon(icon))
            submenu.addAction(actions[command.name])
            continue
        if command.separator_before:
            menu.addSeparator()
        menu.addAction(actions[command.name])
    return {**menus, **submenus}


def insert_feature_menu(bar: QMenuBar, menu: QMenu) -> None:
    """Put a feature's menu (Annotate, Teach) in ``bar`` just before Help."""
    help_action = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    if help_action is not None:
        bar.insertMenu(help_action, menu)
    else:
        bar.addMenu(menu)


def _spacer(parent: QWidget) -> QWidget:
    spacer = QWidget(parent)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    spacer.setMinimumWidth(theme.SPACING * 2)
    return spacer


def build_toolbar(window: QMainWindow, actions: dict[str, QAction], search: QLineEdit) -> QToolBar:
    """Library views on the left, the search field in the middle, reading tools on the right."""
    bar = QToolBar("Main toolbar", window)
    bar.setObjectName("mainToolbar")
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    bar.toggleViewAction().setVisible(False)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    for name in TOOLBAR_LEFT:
        bar.addAction(actions[name])
    bar.addWidget(_spacer(bar))
    search.setMinimumWidth(320)
    search.setMaximumWidth(620)
    search.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    bar.addWidget(search)
    bar.addWidget(_spacer(bar))
    for name in TOOLBAR_RIGHT:
        bar.addAction(actions[name])
    return bar


def show_about(
    parent: QWidget, documents: int, managed: Sequence[str] = (), problems: Sequence[str] = ()
) -> AboutDialog:
    """The About box (without blocking): the program, what the organisation manages, and
    the third-party licences on its second tab."""
    dialog = AboutDialog(parent, documents, managed, problems)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
