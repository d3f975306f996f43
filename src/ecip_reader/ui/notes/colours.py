"""The colour choice of the Annotate menu: one checkable swatch per palette colour.

The palette (and the user's names for its colours) lives in the notes store;
:meth:`ColourChoice.rebuild` is called again whenever the store says it changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QPixmap
from PySide6.QtWidgets import QMenu

from ecip_reader.userdata import Colour


def swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class ColourChoice(QObject):
    """The exclusive colour actions and the "Colour" menu that lists them."""

    chosen = Signal(str)  # the palette key the user picked

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._group = QActionGroup(self)
        self._group.setExclusive(True)
        self._group.triggered.connect(lambda action: self.chosen.emit(str(action.data())))
        self.menu = QMenu("&Colour")
        self.menu.setAccessibleName("Colour")

    def actions(self) -> list[QAction]:
        return list(self._group.actions())

    def rebuild(self, palette: Iterable[Colour], checked: str) -> None:
        """One action per colour of ``palette``, with ``checked`` ticked."""
        for action in self._group.actions():
            self._group.removeAction(action)
            action.deleteLater()
        self.menu.clear()
        for colour in palette:
            action = QAction(swatch(colour.rgb), colour.label, self)
            action.setCheckable(True)
            action.setData(colour.key)
            action.setChecked(colour.key == checked)
            tip = f"Mark as “{colour.label}”, in {colour.key}; recolour the selected note"
            action.setStatusTip(tip)
            action.setToolTip(tip)
            self._group.addAction(action)
            self.menu.addAction(action)

    def check(self, key: str) -> None:
        for action in self._group.actions():
            action.setChecked(action.data() == key)
