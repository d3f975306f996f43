"""Screens for a presentation: their names, which one is the projector, and hot-plugging.

With two screens the slides go to the other screen than the reader's window
(the projector) and the presenter console stays on the reader's (the
laptop). :class:`ScreenWatcher` says when a screen comes or goes, so the
presentation moves with it and menus list the screens there are now.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QScreen
from PySide6.QtWidgets import QMenu


def resolution(screen: QScreen) -> tuple[int, int]:
    """The screen's size in device pixels (what a projector's manual calls its resolution)."""
    size = screen.size()
    ratio = screen.devicePixelRatio()
    return (round(size.width() * ratio), round(size.height() * ratio))


def screen_label(screen: QScreen, number: int, own: QScreen | None = None) -> str:
    """ "2. HDMI-1 (EPSON EB-X41) — 1920 × 1080", with "(this window)" for ``own``."""
    name = screen.name() or "Screen"
    model = " ".join(p for p in (screen.manufacturer(), screen.model()) if p).strip()
    if model and model not in name:
        name = f"{name} ({model})"
    width, height = resolution(screen)
    label = f"{number}. {name} — {width} × {height}"
    return f"{label} (this window)" if screen is own else label


def screens() -> list[QScreen]:
    return list(QGuiApplication.screens())


def projector_for(
    home: QScreen | None, every: Sequence[QScreen] | None = None, preferred: str = ""
) -> QScreen | None:
    """The screen the slides go to: another screen than ``home`` if there is one.

    Among several others, the one named ``preferred`` (the user's last choice)
    if it is plugged in, else the largest (a projector or a big display).
    """
    every = list(every if every is not None else screens())
    others = [s for s in every if s is not home]
    if not others:
        return home or (every[0] if every else None)
    named = [s for s in others if preferred and s.name() == preferred]
    if named:
        return named[0]
    return max(others, key=lambda s: resolution(s)[0] * resolution(s)[1])


def console_for(slides: QScreen | None, home: QScreen | None) -> QScreen | None:
    """Where the presenter console goes: ``home``, or another screen when the slides are there."""
    every = screens()
    if slides is None or len(every) < 2:
        return None
    if home is not None and home is not slides and home in every:
        return home
    return next((s for s in every if s is not slides), None)


class ScreenWatcher(QObject):
    """``changed`` after a screen was plugged in or out."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.connect(self._changed)
            app.screenRemoved.connect(self._changed)
            app.primaryScreenChanged.connect(self._changed)

    def _changed(self, _screen: QScreen) -> None:
        self.changed.emit()


def fill_screen_menu(
    menu: QMenu,
    own: QScreen | None,
    present: Callable[[QScreen | None], None],
    preferred: str = "",
) -> None:
    """Make ``menu`` list the screens there are now; choosing one puts the slides there.

    Call it from the menu's ``aboutToShow``: a projector plugged in after the
    document opened is listed too. The screen F5 would use is ticked; choosing
    another one makes it the screen F5 uses from then on (``preferred`` is the
    name of the one chosen last).
    """
    menu.clear()
    for group in menu.findChildren(QActionGroup):  # the last opening's (clear() leaves it)
        group.deleteLater()
    every = screens()
    default = menu.addAction("Present (F5)")
    default.setToolTip("Slides on the projector, the presenter console here")
    default.triggered.connect(lambda: present(None))
    menu.addSeparator()
    heading = menu.addAction("Slides on:")
    heading.setEnabled(False)
    f5_screen = projector_for(own, every, preferred) if len(every) > 1 else None
    one_of = QActionGroup(menu)  # drawn as a choice of one
    for number, screen in enumerate(every, start=1):
        action = QAction(screen_label(screen, number, own), menu)
        action.setCheckable(True)
        one_of.addAction(action)
        action.setChecked(screen is f5_screen)
        key = screen_key(screen)
        action.triggered.connect(lambda _c=False, wanted=key: present(find_screen(wanted)))
        menu.addAction(action)


ScreenKey = tuple[str, int, int, int, int]


def screen_key(screen: QScreen) -> ScreenKey:
    """What tells a screen apart, kept instead of the screen (which may be unplugged)."""
    area = screen.geometry()
    return (screen.name(), area.x(), area.y(), area.width(), area.height())


def find_screen(key: ScreenKey) -> QScreen | None:
    """The screen ``key`` was made from, if it is still there."""
    return next((s for s in screens() if screen_key(s) == key), None)
