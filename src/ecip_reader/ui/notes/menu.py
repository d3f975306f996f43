"""The menu of a right-click on a page: mark the selection, work on a note, pin a note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ecip_reader.ui.reader.options import add_selection_entries

if TYPE_CHECKING:
    from ecip_reader.ui.notes.controller import AnnotationController, Attached


def build_context_menu(
    controller: AnnotationController, entry: Attached, page: int, point: tuple[float, float]
) -> QMenu:
    """The entries that fit where the user clicked; the note under the mouse gets selected."""
    menu = QMenu(entry.view)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.setAccessibleName("Page menu")
    writable = not controller.store.read_only
    selection = entry.view.selection()
    if selection is not None and selection.page == page:
        for name in ("highlight", "underline", "strike"):
            menu.addAction(controller.action(name))
        menu.addSeparator()
        add_selection_entries(entry.view, menu)
        menu.addSeparator()
    found = entry.overlay.annotation_at(page, *point)
    entry.overlay.select(found.uuid if found else None)
    if found is not None and found.is_own:
        edit = QAction("Edit &Note…" if found.note else "Add &Note…", menu)
        edit.triggered.connect(controller.edit_note)
        edit.setEnabled(writable)
        menu.addAction(edit)
        menu.addAction(controller.action("delete"))
    if found is not None or selection is not None:
        colours = menu.addMenu("C&olour")
        colours.setEnabled(writable)
        for action in controller.colour_actions():
            colours.addAction(action)
        menu.addSeparator()
    pin = QAction("Add Note &Here…", menu)
    pin.setEnabled(writable)
    pin.triggered.connect(lambda: controller.add_sticky_note(page, point))
    menu.addAction(pin)
    menu.addAction(controller.action("bookmark"))
    return menu
