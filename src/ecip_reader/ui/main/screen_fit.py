"""Keeping the main window on its screen, whatever the screen's size and scale.

With a scale factor of 2, a 1600×1000 screen offers 800×500 to the window:
a fixed minimum size or a size remembered from another screen would put the
toolbar's right end and the status bar out of reach. The minimum gives way on
a small screen, and a remembered size or place is brought inside the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME_ALLOWANCE = QSize(16, 48)  # title bar and borders, before the window system says
SMALLEST = QSize(320, 240)
WATCHED = "_fits_its_screen"  # property set once a window follows its screen


def fit_to_screen(window: QWidget, minimum: QSize) -> None:
    """Bound ``window``'s minimum size by its screen and bring it wholly onto that screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    frame = window.frameGeometry().size() - window.geometry().size()
    decoration = frame if window.isVisible() and not frame.isEmpty() else FRAME_ALLOWANCE
    room = (area.size() - decoration).expandedTo(SMALLEST)
    window.setMinimumSize(minimum.boundedTo(room))
    if window.isMaximized() or window.isFullScreen():
        return
    size = window.size().boundedTo(room)
    if size != window.size():
        window.resize(size)
    place = window.frameGeometry()
    place.setSize(size + decoration)
    left = min(max(place.left(), area.left()), area.right() - place.width() + 1)
    top = min(max(place.top(), area.top()), area.bottom() - place.height() + 1)
    if (left, top) != (place.left(), place.top()):
        window.move(left, top)


def follow_screen(window: QWidget, minimum: QSize) -> None:
    """Fit ``window`` again whenever it moves to another screen (call once it is shown)."""
    handle = window.windowHandle()
    if handle is None or window.property(WATCHED):
        return
    window.setProperty(WATCHED, True)
    handle.screenChanged.connect(lambda _screen: fit_to_screen(window, minimum))
