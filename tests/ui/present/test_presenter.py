"""Two screens: slides on the projector, the console on the laptop, following each other."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QMenu, QToolButton
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.settings import Settings
from ecip_reader.ui.present.console import PresenterConsole
from ecip_reader.ui.present.presenter import Presenter
from ecip_reader.ui.present.window import PresentationWindow
from ecip_reader.ui.reader.view import DocumentView
from tests.support.pdfs import write_slides_pdf
from tests.support.presenting import Projector, RecordingLink
from tests.support.reading import WAIT, ViewMaker
from tests.support.window import library_only_search, open_session

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support activ")


@pytest.fixture
def slides(tmp_path: Path) -> Path:
    return write_slides_pdf(tmp_path / "slides.pdf", count=6)


def start(qtbot: QtBot, view: DocumentView) -> tuple[PresentationWindow, Presenter]:
    qtbot.keyClick(view.canvas(), Qt.Key.Key_F5)
    window = view.presentation()
    presenter = view.presenter()
    assert isinstance(window, PresentationWindow) and isinstance(presenter, Presenter)
    qtbot.waitExposed(window)
    return window, presenter


def console_of(qtbot: QtBot, presenter: Presenter) -> PresenterConsole:
    console = presenter.console
    assert console is not None
    qtbot.waitExposed(console)
    return console


def screen_name(widget: object) -> str:
    screen = widget.screen()  # type: ignore[attr-defined]
    return "laptop" if screen.name() == "" else screen.name()


def test_f5_puts_the_slides_on_the_projector_and_the_console_on_the_laptop(
    qtbot: QtBot, make_view: ViewMaker, slides: Path, projector: Projector
) -> None:
    projector.plug()
    view = make_view(slides)
    window, presenter = start(qtbot, view)
    console = console_of(qtbot, presenter)
    assert screen_name(window) == "HDMI-1"
    assert window.geometry().getRect() == (800, 0, 1920, 1080)
    assert screen_name(console) == "laptop" and console.geometry().getRect() == (0, 0, 800, 800)
    link = RecordingLink()
    link.page_notes[(window.doc_key, 3)] = ["Ask who covers weekends"]
    window.attach_link(link)

    # Every key works from the console, and the console follows the projected page.
    qtbot.keyClick(console, Qt.Key.Key_Space)
    qtbot.keyClick(console, Qt.Key.Key_Right)
    assert window.current_page() == 2
    assert console.caption.full_text() == "Slide 3 of 6  ·  Slides"
    assert console.notes_view.toPlainText() == "Ask who covers weekends"
    assert console.strip.currentIndex().row() == 2
    assert console.strip.strip.rowCount() == 6
    qtbot.waitUntil(lambda: console.next_view.image is not None, timeout=WAIT)
    assert console.next_view.caption == "Slide 4"
    mirror = console.mirror.grab().toImage()
    middle = console.mirror.rect().center()
    assert mirror.pixelColor(middle).blue() > 100  # the blue slide, as projected

    qtbot.keyClick(console, Qt.Key.Key_B)
    assert window.blanked() == QColor(Qt.GlobalColor.black)
    assert console.mirror.grab().toImage().pixelColor(middle) == QColor(Qt.GlobalColor.black)
    qtbot.keyClick(console, Qt.Key.Key_Space)  # only brings the slide back
    assert window.blanked() is None and window.current_page() == 2

    # A click on the strip jumps; the timer pauses, resets and runs on.
    qtbot.mouseClick(
        console.strip.viewport(),
        Qt.MouseButton.LeftButton,
        pos=console.strip.visualRect(console.strip.strip.index(4)).center(),
    )
    assert window.current_page() == 4
    assert presenter.stopwatch.running
    qtbot.keyClick(console, Qt.Key.Key_T)
    assert not presenter.stopwatch.running and console.start_button.text() == "Start (T)"
    qtbot.keyClick(console, Qt.Key.Key_R)
    assert console.timer_label.text() == "0:00"
    qtbot.mouseClick(console.start_button, Qt.MouseButton.LeftButton)
    assert presenter.stopwatch.running

    # S swaps the screens, and back.
    qtbot.keyClick(console, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: screen_name(window) == "laptop", timeout=WAIT)
    assert screen_name(console) == "HDMI-1"
    qtbot.keyClick(window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: screen_name(window) == "HDMI-1", timeout=WAIT)
    assert screen_name(console) == "laptop"

    with qtbot.waitSignal(view.presentation_finished, timeout=WAIT) as ended:
        qtbot.keyClick(console, Qt.Key.Key_Escape)
    assert ended.args == [5]
    qtbot.waitUntil(lambda: not console.isVisible(), timeout=WAIT)


def test_the_pen_works_from_the_console(
    qtbot: QtBot, make_view: ViewMaker, slides: Path, projector: Projector
) -> None:
    projector.plug()
    view = make_view(slides)
    window, presenter = start(qtbot, view)
    console = console_of(qtbot, presenter)
    qtbot.keyClick(console, Qt.Key.Key_P)
    mirror = console.mirror
    page = window.page_rect()

    def on_mirror(x: float, y: float) -> QPoint:
        """Where the projector's point (x, y) is shown on the console now."""
        scale = mirror.width() / window.width()
        top = (mirror.height() - window.height() * scale) / 2
        return QPointF(x * scale, top + y * scale).toPoint()

    def at(fx: float, fy: float) -> QPoint:
        return on_mirror(page.x() + fx * page.width(), page.y() + fy * page.height())

    qtbot.mousePress(mirror, Qt.MouseButton.LeftButton, pos=at(0.25, 0.5))
    qtbot.mouseMove(mirror, at(0.4, 0.5))
    qtbot.mouseMove(mirror, at(0.5, 0.5))
    qtbot.mouseRelease(mirror, Qt.MouseButton.LeftButton, pos=at(0.5, 0.5))
    (stroke,) = window.strokes()
    assert stroke.page == 1
    assert abs(stroke.points[0][0] - 240) < 8 and abs(stroke.points[-1][0] - 480) < 8
    qtbot.keyClick(console, Qt.Key.Key_P)
    link = RecordingLink()
    window.attach_link(link)
    qtbot.keyClick(console, Qt.Key.Key_Escape)
    # The question on leaving shows on the console too, and its buttons work there.
    assert window.asking_to_keep() and console.question.isVisible()
    assert console.question.text().endswith(
        "K keeps it · D discards it · Esc goes back to the slides"
    )
    keep = window.keep_bar.keep_button
    centre = keep.mapTo(window, keep.rect().center())
    qtbot.mouseClick(mirror, Qt.MouseButton.LeftButton, pos=on_mirror(centre.x(), centre.y()))
    qtbot.waitUntil(lambda: view.presentation() is None, timeout=WAIT)
    assert link.kept == [(stroke,)]


def test_plugging_a_projector_in_and_out_during_the_talk_moves_the_slides(
    qtbot: QtBot, make_view: ViewMaker, slides: Path, projector: Projector
) -> None:
    view = make_view(slides)
    window, presenter = start(qtbot, view)
    assert presenter.console is None  # one screen: as always, no console
    assert screen_name(window) == "laptop"
    qtbot.keyClick(window, Qt.Key.Key_End)

    projector.plug()
    qtbot.waitUntil(lambda: presenter.console is not None, timeout=WAIT)
    console = console_of(qtbot, presenter)
    qtbot.waitUntil(lambda: screen_name(window) == "HDMI-1", timeout=WAIT)
    assert screen_name(console) == "laptop"
    assert window.current_page() == 5 and console.caption.full_text().startswith("Slide 6 of 6")

    projector.unplug()
    qtbot.waitUntil(lambda: presenter.console is None, timeout=WAIT)
    qtbot.waitUntil(lambda: screen_name(window) == "laptop", timeout=WAIT)
    assert window.isVisible() and window.current_page() == 5
    assert window.geometry() == QGuiApplication.primaryScreen().geometry()
    window.finish()


def test_the_present_menu_lists_the_screens_there_are_when_it_opens(
    qtbot: QtBot, make_view: ViewMaker, slides: Path, projector: Projector
) -> None:
    view = make_view(slides)
    button = next(b for b in view.findChildren(QToolButton) if b.accessibleName() == "Present")
    menu = button.menu()
    assert isinstance(menu, QMenu)

    def entries() -> list[str]:
        menu.aboutToShow.emit()
        return [a.text() for a in menu.actions() if a.text()]

    assert entries() == ["Present (F5)", "Slides on:", "1. Screen — 800 × 800 (this window)"]
    projector.plug()
    assert entries()[2:] == [
        "1. Screen — 800 × 800 (this window)",
        "2. HDMI-1 — 1920 × 1080",
    ]
    # Choosing the laptop's own screen puts the slides here and the console on the projector.
    menu.actions()[-2].trigger()
    window = view.presentation()
    presenter = view.presenter()
    assert isinstance(window, PresentationWindow) and isinstance(presenter, Presenter)
    qtbot.waitExposed(window)
    assert screen_name(window) == "laptop"
    assert screen_name(console_of(qtbot, presenter)) == "HDMI-1"
    window.finish()


def test_the_screen_chosen_for_slides_is_where_f5_goes_next_time(
    qtbot: QtBot, make_view: ViewMaker, slides: Path, projector: Projector
) -> None:
    projector.plug(monitor_too=True)  # the laptop, a projector and a smaller monitor
    view = make_view(slides)
    chosen: list[str] = []  # the window keeps the choice in the settings
    view.slides_screen = lambda: chosen[-1] if chosen else ""
    view.slides_screen_chosen.connect(chosen.append)
    button = next(b for b in view.findChildren(QToolButton) if b.accessibleName() == "Present")
    menu = button.menu()
    assert isinstance(menu, QMenu)

    def ticked() -> list[str]:
        menu.aboutToShow.emit()
        return [a.text().split(". ", 1)[1] for a in menu.actions() if a.isChecked()]

    assert ticked() == ["HDMI-1 — 1920 × 1080"]  # by default the largest other screen
    menu.aboutToShow.emit()
    next(a for a in menu.actions() if "DP-2" in a.text()).trigger()
    window = view.presentation()
    assert isinstance(window, PresentationWindow)
    qtbot.waitUntil(lambda: screen_name(window) == "DP-2", timeout=WAIT)
    assert chosen == ["DP-2"]
    window.finish()
    qtbot.waitUntil(lambda: view.presentation() is None, timeout=WAIT)

    assert ticked() == ["DP-2 — 1280 × 1024"]
    window, presenter = start(qtbot, view)  # F5 again: the monitor chosen before
    qtbot.waitUntil(lambda: screen_name(window) == "DP-2", timeout=WAIT)
    assert screen_name(console_of(qtbot, presenter)) == "laptop"
    window.finish()
    qtbot.waitUntil(lambda: view.presentation() is None, timeout=WAIT)

    projector.plug()  # the monitor is gone: F5 falls back on the projector
    window, _presenter = start(qtbot, view)
    qtbot.waitUntil(lambda: screen_name(window) == "HDMI-1", timeout=WAIT)
    assert chosen == ["DP-2"]  # and the choice is kept for when it is back
    window.finish()


def test_the_chosen_screen_is_remembered_between_runs(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, projector: Projector
) -> None:
    projector.plug(monitor_too=True)

    def present_once(choose: str | None) -> str:
        """Open a document in a new window, present it and say on which screen."""
        session = open_session(
            qtbot, app_paths, small_library, search=library_only_search(small_library)
        )
        try:
            session.window.open_document("perfect-week")
            view = session.window.tabs.current_view()
            assert view is not None
            qtbot.waitUntil(lambda: view.page_count() > 0, timeout=WAIT)
            if choose is None:
                view.start_presentation()
            else:
                menu = next(
                    b for b in view.findChildren(QToolButton) if b.accessibleName() == "Present"
                ).menu()
                menu.aboutToShow.emit()
                next(a for a in menu.actions() if choose in a.text()).trigger()
            window = view.presentation()
            assert isinstance(window, PresentationWindow)
            qtbot.waitExposed(window)
            where = screen_name(window)
            window.finish()
            qtbot.waitUntil(lambda: view.presentation() is None, timeout=WAIT)
            return where
        finally:
            session.close()

    assert present_once(None) == "HDMI-1"
    assert present_once("DP-2") == "DP-2"
    assert Settings(app_paths.settings_file).slides_screen() == "DP-2"
    assert present_once(None) == "DP-2"  # the next run's F5
