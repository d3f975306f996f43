"""Small window-modal editors of the session plan: a plan's name, a stop's note.

They open with :meth:`QDialog.open` (the event loop keeps running) and hand
the text to a callback when the user saves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ecip_reader.userdata.names import MAX_NAME_CHARS


class TextDialog(QDialog):
    """One question, one field (a line, or several for a note), Save and Cancel."""

    def __init__(
        self,
        title: str,
        question: str,
        text: str,
        on_save: Callable[[str], None],
        parent: QWidget | None,
        lines: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._on_save = on_save
        label = QLabel(question, self)
        label.setWordWrap(True)
        self.field: QLineEdit | QPlainTextEdit
        if lines:
            self.field = QPlainTextEdit(text, self)
            self.field.setTabChangesFocus(True)
            self.resize(460, 260)
        else:
            self.field = QLineEdit(text, self)
            self.field.setMaxLength(MAX_NAME_CHARS)
            self.field.selectAll()
            self.setMinimumWidth(420)
        self.field.setAccessibleName(question.rstrip(":"))
        label.setBuddy(self.field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.field, 1)
        layout.addWidget(buttons)

    def text(self) -> str:
        field = self.field
        return field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text()

    def accept(self) -> None:
        text = self.text()
        super().accept()
        self._on_save(text)
