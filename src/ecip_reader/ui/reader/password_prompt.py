"""The inline password field a document view shows for a password-protected PDF.

The render worker answers an open request with ``needs_password`` when the file
is encrypted with a user password (or the password given was wrong). The view
then shows this strip above its pages: the worker's sentence ("minutes.pdf is
password-protected." or "The password for minutes.pdf is not correct."), a
masked field and an Open button. The password goes to the worker in memory
only; it is never written to disk and the field is cleared after each try.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ecip_reader.ui import theme


class PasswordPrompt(QWidget):
    """A message, a masked password field and an Open button; hidden until needed."""

    submitted = Signal(str)  # the password typed (kept in memory only)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordPrompt")
        self.setAccessibleName("Password")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.field = QLineEdit(self)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Password of the document")
        self.field.setPlaceholderText("Password")
        self.field.setMinimumWidth(180)
        self.field.returnPressed.connect(self._submit)
        self.open_button = QPushButton("Open", self)
        self.open_button.setAccessibleName("Open with this password")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self._submit)
        self.message.setBuddy(self.field)
        row = QHBoxLayout(self)
        s = theme.SPACING
        row.setContentsMargins(s * 2, s, s * 2, s)
        row.setSpacing(s)
        row.addWidget(self.message, 1)
        row.addWidget(self.field)
        row.addWidget(self.open_button)
        self.hide()

    def ask(self, text: str) -> None:
        """Show ``text`` (the worker's sentence) and put the cursor in an empty field."""
        self.message.setText(text)
        self.field.clear()
        self.field.setEnabled(True)
        self.open_button.setEnabled(True)
        self.show()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def done(self) -> None:
        """The document opened: the prompt goes away."""
        self.field.clear()
        self.hide()

    @Slot()
    def _submit(self) -> None:
        password = self.field.text()
        if not password:
            return
        self.field.clear()
        self.field.setEnabled(False)  # until the worker answers
        self.open_button.setEnabled(False)
        self.message.setText("Opening…")
        self.submitted.emit(password)
