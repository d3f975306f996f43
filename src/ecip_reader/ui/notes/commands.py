"""The Annotate commands: text, keyboard shortcuts and tips, in one list.

The controller builds its actions from :data:`ANNOTATE_COMMANDS`; the main
window lists the same entries in Help → Keyboard shortcuts. None of these
keys is used by another command of the window.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from ecip_reader.ui.main.actions import Command, make_action

MENU = "Annotate"

ANNOTATE_COMMANDS: tuple[Command, ...] = (
    Command("highlight", MENU, "&Highlight", ("Ctrl+Shift+H",), "Highlight the selected text"),
    Command("underline", MENU, "&Underline", ("Ctrl+Shift+U",), "Underline the selected text"),
    Command(
        "strike", MENU, "&Strike Through", ("Ctrl+Shift+S",), "Strike through the selected text"
    ),
    Command(
        "note",
        MENU,
        "Add or Edit &Note…",
        ("Ctrl+Shift+N",),
        "Write a note on the selected note or text, or pin a note to the page",
        separator_before=True,
    ),
    Command("delete", MENU, "&Delete Note", ("Delete",), "Delete the selected highlight or note"),
    Command(
        "undo",
        MENU,
        "&Undo",
        ("Ctrl+Z",),
        "Undo the last change to your notes",
        separator_before=True,
    ),
    Command(
        "redo",
        MENU,
        "&Redo",
        ("Ctrl+Shift+Z", "Ctrl+Y"),
        "Redo the change to your notes that was undone",
    ),
    Command(
        "bookmark",
        MENU,
        "&Bookmark This Page…",
        ("Ctrl+D",),
        "Bookmark the current page with a label",
        separator_before=True,
    ),
    Command(
        "annotations_panel",
        MENU,
        "Notes &Panel",
        ("Ctrl+Shift+A",),
        "Show or hide the list of notes",
        checkable=True,
        separator_before=True,
    ),
    Command(
        "bookmarks_panel",
        MENU,
        "Boo&kmarks Panel",
        ("Ctrl+Shift+B",),
        "Show or hide the list of bookmarks",
        checkable=True,
    ),
    Command("export", MENU, "&Export Notes…", (), "Save notes as Markdown, CSV, PDF or a pack"),
    Command("import", MENU, "&Import Notes Pack…", (), "Add someone else's notes as a layer"),
    Command("layers", MENU, "Imported &Layers…", (), "Show, hide or remove imported notes"),
    Command(
        "preferences",
        MENU,
        "Colour Names and &Author…",
        (),
        "Name the colours and set the author of your notes",
    ),
)

WRITES = ("highlight", "underline", "strike", "note", "delete", "undo", "redo", "bookmark")


def build_annotate_actions(parent: QWidget | None) -> dict[str, QAction]:
    """One QAction per command, with its shortcuts and tips (window-wide shortcuts)."""
    return {command.name: make_action(command, parent) for command in ANNOTATE_COMMANDS}
