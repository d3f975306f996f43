"""Following links safely, and the Back/Forward history of a document view.

Links within the document jump there; links to another PDF of the same
library folder ask the window to open it. Web addresses are never opened
(the reader works offline): a small notice shows the address with "Copy
link". Launch actions, scripts and embedded files are never run or opened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

MAX_HISTORY = 100

PROGRAM_LINK = "This link would start a program; the reader never does that."
OFFLINE_LINK = "The reader works offline and does not open web pages."
MISSING_DOCUMENT = "This link points to a document that is not in the library."

Place = tuple[int, float]  # 0-based page, offset into it (fraction of its height)


@dataclass
class PlaceHistory:
    """Where the reader was before each jump, for Back (Alt+Left) and Forward (Alt+Right)."""

    back_stack: list[Place] = field(default_factory=list)
    forward_stack: list[Place] = field(default_factory=list)

    def jumped_from(self, place: Place) -> None:
        """Remember ``place`` before a jump; a new jump forgets the Forward places."""
        if not self.back_stack or self.back_stack[-1] != place:
            self.back_stack.append(place)
            del self.back_stack[:-MAX_HISTORY]
        self.forward_stack.clear()

    def back(self, current: Place) -> Place | None:
        if not self.back_stack:
            return None
        self.forward_stack.append(current)
        return self.back_stack.pop()

    def forward(self, current: Place) -> Place | None:
        if not self.forward_stack:
            return None
        self.back_stack.append(current)
        return self.forward_stack.pop()


def library_document(current: Path, target: str) -> Path | None:
    """The PDF a link names, if it is a file next to ``current`` (the library folder)."""
    if not target:
        return None
    name = PureWindowsPath(target).name if "\\" in target else PurePosixPath(target).name
    if not name.lower().endswith(".pdf") or name in (".", ".."):
        return None
    candidate = current.parent / name
    return candidate if candidate.is_file() else None


class LinkNotice(QFrame):
    """A small note over the page about a link the reader will not follow by itself."""

    copied = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("linkNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Link notice")
        self._address = ""
        self._message = QLabel(self)
        self._message.setWordWrap(True)
        self._target = QLabel(self)
        self._target.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._target.setAccessibleName("Link address")
        self._target.setWordWrap(True)
        self.copy_button = QPushButton("Copy link", self)
        self.copy_button.clicked.connect(self._copy)
        close = QPushButton("Close", self)
        close.clicked.connect(self.hide)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(close)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 10, 12, 10)
        column.addWidget(self._message)
        column.addWidget(self._target)
        column.addLayout(buttons)
        self.hide()

    def show_notice(self, message: str, address: str, at: QPoint) -> None:
        """Show ``message`` (and ``address`` with a Copy button, if any) near ``at``."""
        self._address = address
        self._message.setText(message)
        self._target.setText(address)
        self._target.setVisible(bool(address))
        self.copy_button.setVisible(bool(address))
        parent = self.parentWidget()
        assert parent is not None
        self.setFixedWidth(min(420, max(240, parent.width() - 16)))
        self.adjustSize()
        x = min(max(8, at.x() - self.width() // 2), max(8, parent.width() - self.width() - 8))
        y = min(at.y() + 16, max(8, parent.height() - self.height() - 8))
        self.move(x, y)
        self.show()
        self.raise_()
        (self.copy_button if address else self).setFocus()

    def message(self) -> str:
        return self._message.text() if self.isVisible() else ""

    def _copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self._address)
        self.copied.emit(self._address)
        self.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)
