"""Helpers of the presentation tests: a stand-in for the notes, and a second screen.

:class:`RecordingLink` stands where the notes feature's link would be and
records what the presentation hands over. :func:`screens` changes the screens
of the offscreen platform while the tests run — a projector plugged in, or
pulled out — through the platform's own configuration call, so the code under
test sees real ``screenAdded``/``screenRemoved`` signals and real screens.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from ecip_reader.ui.present.tools import Stroke


class RecordingLink:
    """A presentation link that records kept and discarded drawings; notes per page."""

    def __init__(self, fail_first: bool = False, unavailable: str = "") -> None:
        self.kept: list[tuple[Stroke, ...]] = []
        self.discarded: list[tuple[Stroke, ...]] = []
        self.page_notes: dict[tuple[str, int], list[str]] = {}
        self.painted: list[tuple[str, int]] = []  # pages whose marks were asked for
        self._fail_first = fail_first
        self._unavailable = unavailable

    @property
    def unavailable(self) -> str:
        return self._unavailable

    def keep(self, strokes: tuple[Stroke, ...]) -> str | None:
        self.kept.append(strokes)
        return "The disk is full." if self._fail_first and len(self.kept) == 1 else None

    def discard(self, strokes: tuple[Stroke, ...]) -> None:
        self.discarded.append(strokes)

    def notes(self, doc: str, page: int) -> list[str]:
        return list(self.page_notes.get((doc, page), []))

    def paint_marks(self, painter: object, doc: str, page: int, to_view: object) -> None:
        self.painted.append((doc, page))


# -- screens of the offscreen platform -----------------------------------------------------

LAPTOP = {"name": "", "x": 0, "y": 0, "width": 800, "height": 800}  # the platform's own screen
PROJECTOR = {"name": "HDMI-1", "x": 800, "y": 0, "width": 1920, "height": 1080}
MONITOR = {"name": "DP-2", "x": 2720, "y": 0, "width": 1280, "height": 1024}  # smaller


def set_offscreen_screens(screens: list[dict[str, object]]) -> None:
    """Give the offscreen platform these screens now, as if they were plugged in or out.

    The platform (Qt 6.5 and later) offers ``setConfiguration`` through its native
    interface; Qt diffs the screen list by name and sends ``screenAdded`` and
    ``screenRemoved`` as a real platform does. It is reached here with ctypes:
    the interface's virtual ``nativeResourceForIntegration`` is found by its slot
    in the base class's virtual table, so no layout of Qt's classes is assumed.
    """
    import ctypes
    import json
    from pathlib import Path

    import PySide6
    import shiboken6
    from PySide6.QtCore import QByteArray, QJsonDocument
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    assert app is not None and QGuiApplication.platformName() == "offscreen"
    qt_lib = Path(PySide6.__file__).parent / "Qt" / "lib"
    gui = ctypes.CDLL(str(qt_lib / "libQt6Gui.so.6"))
    core = ctypes.CDLL(str(qt_lib / "libQt6Core.so.6"))
    pointer = ctypes.c_void_p
    interface_of = gui._ZN15QGuiApplication23platformNativeInterfaceEv
    interface_of.restype = pointer
    interface = interface_of()
    base_method = ctypes.cast(
        gui._ZN24QPlatformNativeInterface28nativeResourceForIntegrationERK10QByteArray, pointer
    ).value
    base_table = ctypes.cast(gui._ZTV24QPlatformNativeInterface, ctypes.POINTER(pointer))
    slot = next(i for i in range(2, 80) if base_table[i] == base_method) - 2
    table = ctypes.cast(pointer(interface), ctypes.POINTER(ctypes.POINTER(pointer)))[0]
    resource = ctypes.CFUNCTYPE(pointer, pointer, pointer)(table[slot])
    name = QByteArray(b"setConfiguration")
    set_configuration = resource(interface, shiboken6.getCppPointer(name)[0])
    assert set_configuration, "the offscreen platform offers no setConfiguration"
    document = QJsonDocument.fromJson(QByteArray(json.dumps({"screens": screens}).encode()))
    as_object = core._ZNK13QJsonDocument6objectEv
    as_object.argtypes = [pointer, pointer]
    as_object.restype = pointer
    holder = ctypes.create_string_buffer(64)  # a QJsonObject is one pointer wide
    as_object(ctypes.addressof(holder), shiboken6.getCppPointer(document)[0])
    try:
        ctypes.CFUNCTYPE(None, pointer, pointer)(set_configuration)(
            ctypes.addressof(holder), interface
        )
    finally:
        release = core._ZN11QJsonObjectD1Ev
        release.argtypes = [pointer]
        release(ctypes.addressof(holder))


class Projector:
    """A second screen for the offscreen platform, plugged in and out on request."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot

    def plug(self, monitor_too: bool = False) -> None:
        """The projector, and with ``monitor_too`` a smaller monitor as a third screen."""
        wanted = [LAPTOP, PROJECTOR, MONITOR] if monitor_too else [LAPTOP, PROJECTOR]
        set_offscreen_screens(wanted)
        self.qtbot.waitUntil(lambda: len(QGuiApplication.screens()) == len(wanted), timeout=5000)

    def unplug(self) -> None:
        set_offscreen_screens([LAPTOP])
        self.qtbot.waitUntil(lambda: len(QGuiApplication.screens()) == 1, timeout=5000)
