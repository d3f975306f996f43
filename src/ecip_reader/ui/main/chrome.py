"""The window's menus, toolbar and About box, built from the command list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLineEdit,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from ecip_reader import APP_TITLE, __version__
from ecip_reader.ui import icons, theme
from ecip_reader.ui.main import actions as commands

TOOLBAR_LEFT = ("show_library", "grid_view", "list_view")
TOOLBAR_RIGHT = ("zoom_out", "zoom_in", "fit_width", "toggle_theme", "shortcuts")


# Exclusive groups shown as a submenu: group -> (menu title, icon)
SUBMENUS = {"night": ("&Night Reading", None), "theme": ("&Theme", "theme")}


def build_menus(bar: QMenuBar, actions: dict[str, QAction]) -> dict[str, QMenu]:
    """File, Edit, View, Go and Help, in the order of the command list."""
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
    return menus


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


def show_about(parent: QWidget, documents: int) -> None:
    QMessageBox.about(
        parent,
        f"About {APP_TITLE}",
        f"<h3>{APP_TITLE} {__version__}</h3>"
        f"<p>{documents} documents from the Emergency Care Improvement Programme case-study "
        "collection, to read, search and annotate with no network connection.</p>"
        "<p>Licensed under the GNU Affero General Public License, version 3 or later.</p>",
    )
