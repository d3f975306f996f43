"""Where the main window tells the user things: a message bar for problems, the status bar for work.

Problems (a damaged PDF, a full disk, a failed search) all go to one
non-modal :class:`MessageBar` above the tabs. Long work in the background
(preparing search, making covers) shows in the status bar with a progress bar
through :class:`WorkIndicator`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStatusBar,
    QToolButton,
    QWidget,
)

from ecip_reader.ui import icons, theme


class MessageBar(QFrame):
    """A calm strip above the content with one message and a close button."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setAccessibleName("Message")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton(self)
        self.close_button.setAutoRaise(True)
        self.close_button.setAccessibleName("Dismiss message")
        self.close_button.setToolTip("Dismiss")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        s = theme.SPACING
        layout.setContentsMargins(s * 2, s, s, s)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self.messages: list[str] = []
        self.refresh_icons()
        self.hide()

    def refresh_icons(self) -> None:
        self.close_button.setIcon(icons.icon("close", theme.colours().warning_text))

    def show_message(self, text: str) -> None:
        """Show ``text``; a message already showing moves to the front instead of repeating."""
        if text in self.messages:
            self.messages.remove(text)
        self.messages.append(text)
        self._show_last()

    def withdraw(self, text: str) -> None:
        """Take back a message that no longer holds (the strip hides when none is left)."""
        if text not in self.messages:
            return
        self.messages.remove(text)
        if self.messages:
            self._show_last()
        else:
            self.dismiss()

    def _show_last(self) -> None:
        text = self.messages[-1]
        earlier = len(self.messages) - 1
        suffix = f"  ({earlier} earlier message{'s' if earlier != 1 else ''})" if earlier else ""
        self.label.setText(text + suffix)
        self.show()

    def show_bug(self, summary: str) -> None:
        """A fault of the program: a short line here, the traceback in the log."""
        first_line = summary.splitlines()[0] if summary else "unknown error"
        if len(first_line) > 120:
            first_line = first_line[:119] + "…"
        self.show_message(
            f"Something went wrong ({first_line}). The details were written to the log."
        )

    def text(self) -> str:
        return self.messages[-1] if self.messages else ""

    def dismiss(self) -> None:
        self.messages.clear()
        self.hide()
        self.closed.emit()


class WorkIndicator(QWidget):
    """Every piece of background work at once, e.g. "Making covers 4/30", with one bar."""

    def __init__(self, status_bar: QStatusBar) -> None:
        super().__init__(status_bar)
        self.setAccessibleName("Background work")
        self.label = QLabel(self)
        self.label.setObjectName("muted")
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(140)
        self.bar.setAccessibleName("Progress of background work")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, theme.SPACING, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self._work: dict[str, tuple[str, int, int]] = {}
        status_bar.addPermanentWidget(self)
        self.hide()

    def update_work(self, key: str, text: str, done: int = 0, total: int = 0) -> None:
        """Start or advance a piece of work; ``total`` 0 means "unknown", shown as busy."""
        self._work[key] = (text, done, total)
        self._refresh()

    def finish(self, key: str) -> None:
        self._work.pop(key, None)
        self._refresh()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def _refresh(self) -> None:
        if not self._work:
            self.hide()
            return
        parts = []
        done_sum = total_sum = 0
        busy = False
        for text, done, total in self._work.values():
            parts.append(f"{text} {done}/{total}" if total else text)
            if total:
                done_sum += done
                total_sum += total
            else:
                busy = True
        self.label.setText("  ·  ".join(parts))
        if busy or not total_sum:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, total_sum)
            self.bar.setValue(done_sum)
        self.show()
