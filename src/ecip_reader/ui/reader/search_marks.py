"""The page view bar's note of the words the library search marks, with a way to clear them.

The search marks words as it found them, which is not always as they were
typed ("poster" finds "power"): the note says which words the cyan boxes are.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

MARKS_WIDTH = 260  # pixels for "Marked: …"; the whole list is in the tooltip


class SearchMarks(QWidget):
    cleared = Signal()  # the reader asked to take the marks off

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName("muted")
        self.label.setAccessibleName("Words the search marks on the pages")
        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear Marks")
        self.clear_button.setAutoRaise(True)
        self.clear_button.setToolTip("Take the search's marks off the pages")
        self.clear_button.clicked.connect(self.cleared)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.clear_button)

    def show_terms(self, terms: Sequence[str]) -> None:
        """Say which words are marked; hidden when none are."""
        self.setVisible(bool(terms))
        if not terms:
            return
        words = ", ".join(terms)
        self.label.setText(
            self.label.fontMetrics().elidedText(
                f"Marked: {words}", Qt.TextElideMode.ElideRight, MARKS_WIDTH
            )
        )
        self.label.setToolTip(f"The search marks these words on the pages: {words}")
