"""The Teach commands: session plans and presenting them, with their keys and tips.

The feature builds its actions from :data:`TEACH_COMMANDS`; the main window
lists the same entries in Help → Keyboard shortcuts. None of these keys is
used by another command of the window.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from ecip_reader.ui.main.actions import Command, make_action

MENU = "Teach"

TEACH_COMMANDS: tuple[Command, ...] = (
    Command(
        "present_session",
        MENU,
        "&Present Session Plan",
        ("Shift+F5",),
        "Present the stops of the session plan, from the chosen one (Space goes on)",
    ),
    Command(
        "add_to_session",
        MENU,
        "&Add to Session Plan",
        ("Ctrl+J",),
        "Add the chosen highlight, or else the page, as the next stop of the session plan",
        separator_before=True,
    ),
    Command("new_session", MENU, "&New Session Plan…", (), "Start another session plan"),
    Command(
        "session_panel",
        MENU,
        "Session Plan Pa&nel",
        ("Ctrl+Shift+J",),
        "Show or hide the stops of the session plan",
        checkable=True,
        separator_before=True,
    ),
)


def build_teach_actions(parent: QWidget | None) -> dict[str, QAction]:
    """One QAction per command, with its shortcuts and tips (window-wide shortcuts)."""
    return {command.name: make_action(command, parent) for command in TEACH_COMMANDS}
