"""Presentation mode (F5): full screen, page keys, blanking, spotlight, laser, zoom and pen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ecip_reader.ui.present.tools import Stroke, fit_page
from ecip_reader.ui.present.window import PresentationWindow
from ecip_reader.ui.reader.view import DocumentView
from tests.support.pdfs import write_slides_pdf
from tests.support.presenting import RecordingLink
from tests.support.reading import WAIT, ViewMaker

# Full-screen windows on the offscreen platform: it cannot raise or activate them.
pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support activ")

SLIDE_BLUE = QColor.fromRgbF(0.1, 0.3, 0.6)


def present(qtbot: QtBot, view: DocumentView) -> PresentationWindow:
    qtbot.keyClick(view.canvas(), Qt.Key.Key_F5)
    window = view.presentation()
    assert isinstance(window, PresentationWindow)
    qtbot.waitExposed(window)
    return window


def sharp(window: PresentationWindow) -> bool:
    remote = window._remote
    return (
        remote.image(window.current_page(), window._device_width(window.current_page())) is not None
    )


def is_slide_blue(colour: QColor) -> bool:
    return abs(colour.red() - SLIDE_BLUE.red()) < 20 and abs(colour.blue() - SLIDE_BLUE.blue()) < 20


def hover(window: PresentationWindow, pos: QPoint) -> None:
    """Move the mouse over the window with no button pressed."""
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(pos),
        QPointF(window.mapToGlobal(pos)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)


def grab(window: PresentationWindow) -> QImage:
    return window.grab().toImage()


@pytest.fixture
def slides(tmp_path: Path) -> Path:
    return write_slides_pdf(tmp_path / "slides.pdf")


def test_f5_covers_the_screen_and_keys_move_through_the_pages(
    qtbot: QtBot, make_view: ViewMaker, slides: Path
) -> None:
    view = make_view(slides)
    window = present(qtbot, view)
    screen = QGuiApplication.primaryScreen()
    assert window.geometry() == screen.geometry()
    assert window.current_page() == 0
    for key, page in (
        (Qt.Key.Key_Space, 1),
        (Qt.Key.Key_PageDown, 2),
        (Qt.Key.Key_Right, 3),
        (Qt.Key.Key_Left, 2),
        (Qt.Key.Key_Backspace, 1),
        (Qt.Key.Key_End, 4),
        (Qt.Key.Key_Home, 0),
        (Qt.Key.Key_Down, 1),
        (Qt.Key.Key_Up, 0),
    ):
        qtbot.keyClick(window, key)
        assert window.current_page() == page, key
    qtbot.keyClicks(window, "4")
    assert window.typed_number() == "4"
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert window.current_page() == 3
    wheel = QWheelEvent(
        QPointF(50, 50),
        QPointF(50, 50),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(window, wheel)
    assert window.current_page() == 4
    qtbot.waitUntil(lambda: sharp(window), timeout=WAIT)
    # B and W black or white out the screen; the same key brings the page back.
    centre = window.rect().center()
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert grab(window).pixelColor(centre) == QColor(Qt.GlobalColor.black)
    qtbot.keyClick(window, Qt.Key.Key_W)
    assert grab(window).pixelColor(centre) == QColor(Qt.GlobalColor.white)
    qtbot.keyClick(window, Qt.Key.Key_W)
    assert window.blanked() is None
    # Esc leaves, and the document view shows the page presented last.
    with qtbot.waitSignal(view.presentation_finished, timeout=WAIT) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert blocker.args == [5]
    assert view.current_page() == 5
    assert view.presentation() is None


def test_a_16_9_slide_fills_a_16_9_screen_edge_to_edge(
    qtbot: QtBot, make_view: ViewMaker, slides: Path
) -> None:
    for screen in ((1920, 1080), (1366, 768), (1280, 720), (1600, 900)):
        assert fit_page(960, 540, *screen).getRect() == (0, 0, *screen)
    portrait = fit_page(595, 842, 1920, 1080)
    assert portrait.height() == 1080 and portrait.left() == (1920 - portrait.width()) // 2
    view = make_view(slides)
    window = present(qtbot, view)
    window.showNormal()
    window.setGeometry(0, 0, 1280, 720)
    qtbot.waitUntil(lambda: window.size().width() == 1280, timeout=WAIT)
    qtbot.waitUntil(lambda: sharp(window), timeout=WAIT)
    image = grab(window)
    assert image.width() == round(1280 * window.devicePixelRatioF())
    for x, y in (
        (0, 0),
        (image.width() - 1, 0),
        (0, image.height() - 1),
        (image.width() - 1, image.height() - 1),
    ):
        assert is_slide_blue(image.pixelColor(x, y)), (x, y, image.pixelColor(x, y).name())
    window.finish()


def test_spotlight_and_laser_follow_the_mouse(
    qtbot: QtBot, make_view: ViewMaker, slides: Path
) -> None:
    view = make_view(slides)
    window = present(qtbot, view)
    qtbot.waitUntil(lambda: sharp(window), timeout=WAIT)
    spot = window.page_rect().center()
    qtbot.keyClick(window, Qt.Key.Key_L)
    assert window.tool == "spotlight"
    hover(window, spot)
    image = grab(window)
    lit = image.pixelColor(spot + QPoint(10, 10))
    corner = image.pixelColor(window.page_rect().topLeft() + QPoint(5, 5))
    assert is_slide_blue(lit)
    assert corner.lightness() < lit.lightness() - 30
    qtbot.keyClick(window, Qt.Key.Key_D)
    assert window.tool == "laser"
    hover(window, spot + QPoint(1, 0))
    dot = grab(window).pixelColor(spot + QPoint(1, 0))
    assert dot.red() > 200 and dot.green() < 80
    qtbot.keyClick(window, Qt.Key.Key_D)
    assert window.tool == ""
    window.finish()


def test_zoom_to_a_region_draws_it_sharp_and_esc_goes_back(
    qtbot: QtBot, make_view: ViewMaker, slides: Path
) -> None:
    view = make_view(slides)
    window = present(qtbot, view)
    page = window.page_rect()
    qtbot.keyClick(window, Qt.Key.Key_Z)
    start = page.topLeft() + QPoint(page.width() // 10, page.height() // 2)
    end = start + QPoint(page.width() // 4, page.height() // 6)
    qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(window, end)
    qtbot.mouseRelease(window, Qt.MouseButton.LeftButton, pos=end)
    assert window.zoomed()
    qtbot.waitUntil(lambda: window.zoom_image() is not None, timeout=WAIT)
    image = window.zoom_image()
    assert image is not None
    # The region is drawn at screen resolution, not blown up from the page image.
    ratio = window.devicePixelRatioF()
    assert (
        image.width() >= 0.95 * window.width() * ratio
        or image.height() >= 0.95 * window.height() * ratio
    )
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.zoomed() and window.isVisible()
    window.finish()


def test_pen_strokes_are_kept_in_pdf_points_and_handed_over_on_exit(
    qtbot: QtBot, make_view: ViewMaker, slides: Path
) -> None:
    view = make_view(slides)
    window = present(qtbot, view)
    page = window.page_rect()
    qtbot.keyClick(window, Qt.Key.Key_P)
    start = page.topLeft() + QPoint(page.width() // 4, page.height() // 4)
    end = page.topLeft() + QPoint(page.width() // 2, page.height() // 4)
    qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(window, start + QPoint(40, 0))
    qtbot.mouseMove(window, end)
    qtbot.mouseRelease(window, Qt.MouseButton.LeftButton, pos=end)
    (stroke,) = window.strokes()
    assert isinstance(stroke, Stroke) and stroke.page == 1
    x0, y0 = stroke.points[0]
    x1, _y1 = stroke.points[-1]
    assert abs(x0 - 240) < 6 and abs(y0 - 135) < 6 and abs(x1 - 480) < 6  # 960 × 540 slide
    ink = grab(window).pixelColor(start + QPoint(20, 0))
    assert ink.red() > 180 and ink.blue() < 100
    qtbot.keyClick(window, Qt.Key.Key_P)  # pen off
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    # A view without notes cannot keep the drawing, and says so.
    assert window.asking_to_keep()
    assert "Notes are not available for this document." in window.keep_bar.message.text()
    link = RecordingLink(fail_first=True)
    window.attach_link(link)
    qtbot.keyClick(window, Qt.Key.Key_Home)  # another key: back to presenting
    assert not window.asking_to_keep()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_Return)  # the first try fails: the trainer is told
    assert window.asking_to_keep() and window.isVisible()
    assert window.keep_bar.message.text().startswith("The disk is full. Keep (K) to try again")
    with qtbot.waitSignal(window.strokes_finished, timeout=WAIT) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_K)
    assert blocker.args[0] == (stroke,)
    assert link.kept == [(stroke,), (stroke,)]


def test_after_b_or_w_space_only_brings_the_slide_back(
    qtbot: QtBot, make_view: ViewMaker, slides: Path
) -> None:
    view = make_view(slides)
    window = present(qtbot, view)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    for blank in (Qt.Key.Key_B, Qt.Key.Key_W):
        for key in (Qt.Key.Key_Space, Qt.Key.Key_Backspace, Qt.Key.Key_PageDown, Qt.Key.Key_End):
            qtbot.keyClick(window, blank)
            assert window.blanked() is not None
            qtbot.keyClick(window, key)
            assert window.blanked() is None and window.current_page() == 1, (blank, key)
    qtbot.keyClick(window, Qt.Key.Key_Space)  # now it moves on
    assert window.current_page() == 2
    window.finish()


def test_pen_lines_and_clearing_are_undone_in_the_presentation(
    qtbot: QtBot, make_view: ViewMaker, slides: Path
) -> None:
    view = make_view(slides)
    window = present(qtbot, view)
    page = window.page_rect()
    qtbot.keyClick(window, Qt.Key.Key_P)
    for share in (0.3, 0.6):
        y = page.top() + round(page.height() * share)
        qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=QPoint(page.left() + 100, y))
        qtbot.mouseMove(window, QPoint(page.left() + 300, y))
        qtbot.mouseRelease(window, Qt.MouseButton.LeftButton, pos=QPoint(page.left() + 300, y))
    assert len(window.strokes()) == 2
    qtbot.keyClick(window, Qt.Key.Key_C)  # clear the page
    assert window.strokes() == ()
    assert window.notice() == "Cleared this page's drawing — Ctrl+Z brings it back."
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.strokes()) == 2
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.strokes()) == 1
    assert window.notice().startswith("Took back the last line")
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(window.strokes()) == 2
    # Esc steps back: the pen first, then it asks about the drawing; Esc again goes back.
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.tool == "" and not window.asking_to_keep()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.asking_to_keep()
    assert window.keep_bar.back_button.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.asking_to_keep() and window.isVisible() and len(window.strokes()) == 2
    # Without notes the drawing cannot be kept: D throws it away for good, and leaves.
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    with qtbot.waitSignal(window.finished, timeout=WAIT):
        qtbot.keyClick(window, Qt.Key.Key_D)
