"""The application's own line icons, drawn in the text colour of the current look.

The SVG files in ``resources/icons`` are drawn in black; :func:`icon` recolours
them for the look in use, so one set serves the light and the dark theme.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLineEdit

from ecip_reader.paths import resources_dir
from ecip_reader.ui import theme
from ecip_reader.ui.qt import find_action

NAMES = (
    "app",
    "clock",
    "close",
    "details",
    "filter",
    "fit-width",
    "grid",
    "keyboard",
    "library",
    "list",
    "next",
    "open",
    "previous",
    "search",
    "theme",
    "zoom-in",
    "zoom-out",
)


def icon_path(name: str) -> str:
    return str(resources_dir() / "icons" / f"{name}.svg")


@lru_cache(maxsize=128)
def _svg(name: str, colour: str) -> bytes:
    with open(icon_path(name), "rb") as handle:
        data = handle.read()
    return data if name == "app" else data.replace(b"#000000", colour.encode("ascii"))


class _SvgEngine(QIconEngine):
    """Draws the SVG at whatever size and pixel ratio Qt asks for."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._data = data
        self._renderer = QSvgRenderer(QByteArray(data))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        if mode == QIcon.Mode.Disabled:
            painter.setOpacity(0.4)
        self._renderer.render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _SvgEngine(self._data)


def icon(name: str, colour: str | None = None) -> QIcon:
    """The icon ``name`` drawn in ``colour`` (default: the text colour of the look)."""
    if name not in NAMES:
        raise KeyError(name)
    return QIcon(_SvgEngine(_svg(name, colour or theme.colours().text)))


def add_field_icon(edit: QLineEdit, name: str, text: str) -> None:
    """Show the muted icon ``name`` at the start of ``edit``; ``text`` names it."""
    action = edit.addAction(
        icon(name, theme.colours().muted), QLineEdit.ActionPosition.LeadingPosition
    )
    action.setText(text)
    action.setObjectName(f"fieldIcon-{name}")


def recolour_field_icon(edit: QLineEdit, name: str) -> None:
    """Draw the icon :func:`add_field_icon` put in ``edit`` in the colours of the current look."""
    action = find_action(edit, f"fieldIcon-{name}")  # looked up, never held: see ui.qt
    if action is not None:
        action.setIcon(icon(name, theme.colours().muted))
