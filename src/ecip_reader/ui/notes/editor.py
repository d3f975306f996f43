"""Two small window-modal editors: the text of a note, and the label of a bookmark.

Both open with :meth:`QDialog.open` (they never block the event loop) and hand
the text to a callback when the user confirms. When the callback says the text
could not be saved (a full disk, a read-only folder), the dialog stays open
with the text and the reason, so Save can be tried again once there is room.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
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

# Called with the text on Save; returns None when it was saved, else why it was not.
OnDone = Callable[[str], "str | None"]


class _EditorDialog(QDialog):
    """Title, Save and Cancel; :meth:`accept` hands the text ``_read`` gives to the callback."""

    _read: Callable[[], str]  # set by each editor to its field's text

    def __init__(self, title: str, on_done: OnDone, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._on_done = on_done
        self.unsaved = False  # a save failed and the text has not been saved since
        self.rows = QVBoxLayout(self)
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Why the text was not saved")
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def accept(self) -> None:
        text = self._read()
        failed = self._on_done(text)
        if failed:
            # keep the dialog and the text; Save tries again
            self.unsaved = True
            self.problem.setText(f"{failed} Your text is kept here until it is saved.")
            self.problem.show()
            return
        self.unsaved = False
        super().accept()


class NoteDialog(_EditorDialog):
    """Write or change the text of a note (line breaks kept)."""

    def __init__(
        self,
        title: str,
        text: str,
        on_done: OnDone,
        quote: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, on_done, parent)
        if quote:
            shown = quote if len(quote) <= 240 else quote[:239] + "…"
            label = QLabel(f"“{shown}”", self)
            label.setWordWrap(True)
            label.setObjectName("muted")
            self.rows.addWidget(label)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("Note text")
        self.editor.setPlainText(text)
        self.editor.setTabChangesFocus(True)
        self.rows.addWidget(self.editor, 1)
        self.rows.addWidget(self.problem)
        # Enter starts a new line in the note; Ctrl+Enter saves it, as in mail programs.
        self.editor.installEventFilter(self)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setToolTip("Save the note (Ctrl+Enter)")
        hint = QLabel("Ctrl+Enter saves the note.", self)
        hint.setObjectName("muted")
        self.rows.addWidget(hint)
        self.rows.addWidget(self.buttons)
        self.resize(420, 260)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self._read = self.editor.toPlainText

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.editor
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.accept()
            return True
        return super().eventFilter(watched, event)


class BookmarkDialog(_EditorDialog):
    """Name a bookmark; the suggested label is selected so typing replaces it."""

    def __init__(
        self,
        title: str,
        label: str,
        on_done: OnDone,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, on_done, parent)
        prompt = QLabel("&Label:", self)
        self.field = QLineEdit(label, self)
        self.field.setAccessibleName("Bookmark label")
        self.field.setMaxLength(MAX_LABEL_CHARS)
        self.field.selectAll()
        prompt.setBuddy(self.field)
        self.rows.addWidget(prompt)
        self.rows.addWidget(self.field)
        self.rows.addWidget(self.problem)
        self.rows.addWidget(self.buttons)
        self.setMinimumWidth(340)
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self._read = self.field.text
