"""Small helpers that give screen readers a name for parts Qt makes by itself.

A line edit's clear button and its icon-only actions are buttons to an
assistive tool; Qt leaves them nameless. Their name comes from their action's
text, which is also their tooltip.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit

# The object name Qt (5.2 and later) gives the action behind a line edit's clear button.
CLEAR_ACTION = "_q_qlineeditclearaction"


def clear_button(edit: QLineEdit, name: str) -> None:
    """Show ``edit``'s clear button, named ``name`` ("Clear the search")."""
    edit.setClearButtonEnabled(True)
    action = edit.findChild(QAction, CLEAR_ACTION)
    if action is not None:
        action.setText(name)
