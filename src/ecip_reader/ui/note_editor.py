"""Two small window-modal editors: the text of a note, and the label of a bookmark.

Both open with :meth:`QDialog.open` (they never block the event loop) and hand
the text to a callback when the user confirms.
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

from ecip_reader.userdata.editing import MAX_LABEL_CHARS


class NoteDialog(QDialog):
    """Write or change the text of a note (line breaks kept)."""

    def __init__(
        self,
        title: str,
        text: str,
        on_done: Callable[[str], None],
        quote: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._on_done = on_done
        layout = QVBoxLayout(self)
        if quote:
            shown = quote if len(quote) <= 240 else quote[:239] + "…"
            label = QLabel(f"“{shown}”", self)
            label.setWordWrap(True)
            label.setObjectName("muted")
            layout.addWidget(label)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("Note text")
        self.editor.setPlainText(text)
        self.editor.setTabChangesFocus(True)
        layout.addWidget(self.editor, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(420, 260)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        text = self.editor.toPlainText()
        super().accept()
        self._on_done(text)


class BookmarkDialog(QDialog):
    """Name a bookmark; the suggested label is selected so typing replaces it."""

    def __init__(
        self,
        title: str,
        label: str,
        on_done: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._on_done = on_done
        layout = QVBoxLayout(self)
        prompt = QLabel("&Label:", self)
        self.field = QLineEdit(label, self)
        self.field.setAccessibleName("Bookmark label")
        self.field.setMaxLength(MAX_LABEL_CHARS)
        self.field.selectAll()
        prompt.setBuddy(self.field)
        layout.addWidget(prompt)
        layout.addWidget(self.field)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(340)
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        text = self.field.text()
        super().accept()
        self._on_done(text)
