"""A strip in the window's message area about the notes database, with a way out.

When the database was found damaged and set aside, the strip says so once and
offers "Restore newest backup"; when notes cannot be saved at all, it says why.
It never blocks the window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from ecip_reader.errors import UserError
from ecip_reader.ui import theme
from ecip_reader.ui.notes.presenting import read_only_message
from ecip_reader.userdata import UserDataStore


def store_problem(store: UserDataStore) -> str | None:
    """The sentence to show for ``store``, or ``None`` when all is well."""
    if store.recovery is not None:
        return store.recovery.message
    if store.read_only:
        return read_only_message(store.read_only_reason or "")
    return None


class NotesNotice(QFrame):
    """ "Your notes database was damaged …" [Restore newest backup] [×]."""

    restored = Signal(str)  # a sentence saying what was restored
    problem = Signal(str)

    def __init__(self, store: UserDataStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setAccessibleName("Notes message")
        self.store = store
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.restore_button = QPushButton("&Restore Newest Backup", self)
        self.restore_button.setAccessibleName("Restore newest backup")
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setAccessibleName("Dismiss message")
        self.close_button.setToolTip("Dismiss")
        layout = QHBoxLayout(self)
        s = theme.SPACING
        layout.setContentsMargins(s * 2, s, s, s)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.close_button)
        self.restore_button.clicked.connect(self.restore)
        self.close_button.clicked.connect(self.hide)
        self.hide()
        self.refresh()

    def refresh(self) -> None:
        """Show the store's problem (once per call), or hide when there is none."""
        text = store_problem(self.store)
        recovery = self.store.recovery
        can_restore = (
            recovery is not None and recovery.newest_backup is not None and not self.store.read_only
        )
        self.restore_button.setVisible(can_restore)
        if text is None:
            self.hide()
            return
        self.label.setText(text)
        self.show()

    def restore(self) -> None:
        recovery = self.store.recovery
        if recovery is None or recovery.newest_backup is None:
            return
        backup = recovery.newest_backup
        try:
            self.store.restore_backup(backup)
        except UserError as exc:
            self.problem.emit(str(exc))
            return
        message = f"Your notes were restored from the backup {backup.name}."
        self.label.setText(message)
        self.restore_button.hide()
        self.restored.emit(message)
