"""The menu of a right-click on a page: mark the selection, work on a note, pin a note."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ecip_reader.ui.notes.overlay import AnnotationOverlay
from ecip_reader.ui.reader.reading import add_selection_entries
from ecip_reader.ui.reader.view import DocumentView


class MenuCommands(Protocol):
    """What the page menu asks of the annotation controller."""

    @property
    def writable(self) -> bool: ...

    def action(self, name: str) -> QAction: ...

    def colour_actions(self) -> list[QAction]: ...

    def edit_note(self) -> None: ...

    def add_sticky_note(self, page: int, point: tuple[float, float]) -> None: ...


def build_context_menu(
    controller: MenuCommands,
    view: DocumentView,
    overlay: AnnotationOverlay,
    page: int,
    point: tuple[float, float],
) -> QMenu:
    """The entries that fit where the user clicked; the note under the mouse gets selected."""
    menu = QMenu(view)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.setAccessibleName("Page menu")
    writable = controller.writable
    selection = view.selection()
    if selection is not None and selection.page == page:
        for name in ("highlight", "underline", "strike"):
            menu.addAction(controller.action(name))
        menu.addSeparator()
        add_selection_entries(view, menu)
        menu.addSeparator()
    found = overlay.annotation_at(page, *point)
    overlay.select(found.uuid if found else None)
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
