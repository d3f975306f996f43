"""The page view, driven like a user would, with a real render worker process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QLabel, QSpinBox, QToolButton
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.ui.reader.view import DocumentView, parse_zoom
from ecip_reader.ui.render.client import RenderClient

# The offscreen platform says this whenever a top-level window with a layout is shown.

WAIT = 20_000  # ms; generous for a loaded two-core machine

ViewMaker = Callable[..., DocumentView]


@pytest.fixture
def client(qtbot: QtBot) -> Iterator[RenderClient]:
    made = RenderClient()
    yield made
    made.close()
    assert made.worker_pid() is None


@pytest.fixture
def make_view(qtbot: QtBot, client: RenderClient, small_library: Catalogue) -> Iterator[ViewMaker]:
    views: list[DocumentView] = []

    def make(
        doc_id: str = "perfect-week", path: Path | None = None, show: bool = True
    ) -> DocumentView:
        entry = small_library.get(doc_id)
        view = DocumentView(client, path or small_library.path_of(entry), doc_id, entry.title)
        qtbot.addWidget(view)
        view.resize(640, 560)
        if show:
            view.show()
        views.append(view)
        return view

    yield make
    for view in views:
        view.close_document()


def sharp_view(qtbot: QtBot, make_view: ViewMaker, doc_id: str = "perfect-week") -> DocumentView:
    view = make_view(doc_id, show=False)
    with qtbot.waitSignal(view.first_page_sharp, timeout=WAIT):
        view.show()
    return view


def page_pixels(view: DocumentView, page: int) -> QImage:
    """What the user sees of ``page`` (1-based), as an image."""
    canvas = view.canvas()
    rect = canvas.page_rect(page - 1).intersected(canvas.viewport().rect())
    return canvas.viewport().grab(rect).toImage()


def dark_pixels(image: QImage) -> int:
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if QColor(image.pixel(x, y)).lightness() < 100:
                count += 1
    return count


def page_is_sharp(view: DocumentView, page: int) -> bool:
    return view.canvas().page_is_sharp(page - 1)


def test_the_first_page_becomes_sharp_and_shows_text(qtbot: QtBot, make_view: ViewMaker) -> None:
    view = sharp_view(qtbot, make_view)
    assert view.page_count() == 3
    assert view.current_page() == 1
    assert dark_pixels(page_pixels(view, 1)) > 50


def test_scrolling_changes_the_current_page(qtbot: QtBot, make_view: ViewMaker) -> None:
    view = sharp_view(qtbot, make_view)
    canvas = view.canvas()
    box = view.findChild(QSpinBox)
    assert box is not None and box.accessibleName() == "Current page"
    target = canvas.page_rect(1).top() + canvas.verticalScrollBar().value()
    with qtbot.waitSignal(view.page_changed, timeout=WAIT, check_params_cb=lambda p: p == 2):
        canvas.verticalScrollBar().setValue(target)
    assert view.current_page() == 2
    assert box.value() == 2
    qtbot.waitUntil(lambda: page_is_sharp(view, 2), timeout=WAIT)


def test_go_to_page_and_typing_a_page_number(qtbot: QtBot, make_view: ViewMaker) -> None:
    view = sharp_view(qtbot, make_view)
    canvas = view.canvas()
    view.go_to_page(3)
    assert view.current_page() == 3
    assert canvas.page_rect(2).top() <= canvas.viewport().height() // 2
    box = view.findChild(QSpinBox)
    assert box is not None and box.value() == 3
    qtbot.waitUntil(lambda: dark_pixels(page_pixels(view, 3)) > 50, timeout=WAIT)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "2")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert view.current_page() == 2
    assert abs(canvas.page_rect(1).top()) < 30


def test_zoom_changes_the_width_of_the_page_on_screen(qtbot: QtBot, make_view: ViewMaker) -> None:
    view = sharp_view(qtbot, make_view)
    canvas = view.canvas()
    fit_width = canvas.page_rect(0).width()
    assert fit_width > 500  # fit width fills the 640-pixel view but for the margins
    view.set_zoom(1.0)
    at_100 = canvas.page_rect(0).width()
    assert at_100 == round(595 * 96 / 72)
    view.zoom_in()
    assert canvas.page_rect(0).width() > at_100
    view.zoom_out()
    view.zoom_out()
    assert canvas.page_rect(0).width() < at_100
    # Ctrl+= and Ctrl+- on the keyboard, Ctrl+wheel with the mouse.
    before = canvas.page_rect(0).width()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert canvas.page_rect(0).width() > before
    qtbot.keyClick(canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.page_rect(0).width() == before
    wheel = QWheelEvent(
        QPointF(100, 100),
        QPointF(100, 100),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas.viewport(), wheel)
    assert canvas.page_rect(0).width() > before
    # The zoomed page is drawn sharp at its new size.
    qtbot.waitUntil(lambda: page_is_sharp(view, view.current_page()), timeout=WAIT)
    view.set_zoom("fit-page")
    assert canvas.page_rect(0).height() <= canvas.viewport().height()
    assert view.state()["zoom"] == "fit-page"


def test_zoom_stays_within_25_and_400_percent(qtbot: QtBot, make_view: ViewMaker) -> None:
    view = sharp_view(qtbot, make_view)
    for _ in range(20):
        view.zoom_in()
    assert view.state()["zoom"] == 4.0
    for _ in range(30):
        view.zoom_out()
    assert view.state()["zoom"] == 0.25
    assert parse_zoom("150 %") == 1.5
    assert parse_zoom("Fit width") == "fit-width"
    assert parse_zoom("9000") is None


def test_a_huge_page_among_a4_pages_leaves_the_a4_pages_readable_at_fit_width(
    qtbot: QtBot, make_view: ViewMaker, tmp_path: Path
) -> None:
    path = tmp_path / "with-a-plan.pdf"
    doc = pymupdf.open()
    doc.new_page(width=595, height=842).insert_text((72, 100), "Summary of the plan", fontsize=20)
    doc.new_page(width=14_400, height=14_400).insert_text((72, 200), "Site plan", fontsize=200)
    doc.new_page(width=595, height=842).insert_text((72, 100), "Next steps", fontsize=20)
    doc.save(path)
    doc.close()
    view = make_view("perfect-week", path=path, show=False)
    with qtbot.waitSignal(view.first_page_sharp, timeout=WAIT):
        view.show()
    canvas = view.canvas()
    first = canvas.page_rect(0)
    viewport = canvas.viewport().rect()
    assert viewport.contains(first.topLeft()) and first.right() <= viewport.right()
    assert first.width() >= viewport.width() * 0.8  # fitted to the width, not shrunk to 25 %
    assert view.state()["zoom"] == "fit-width" and canvas.effective_zoom() > 0.5
    assert dark_pixels(page_pixels(view, 1)) > 20  # its words are on screen


def test_search_terms_are_highlighted_on_the_right_page(qtbot: QtBot, make_view: ViewMaker) -> None:
    view = sharp_view(qtbot, make_view, "perfect-week")
    canvas = view.canvas()
    view.go_to_page(2, ["discharge"])
    assert view.current_page() == 2
    qtbot.waitUntil(lambda: len(canvas.highlight_rects(1)) == 1, timeout=WAIT)
    (mark,) = canvas.highlight_rects(1)
    assert canvas.page_rect(1).contains(mark)
    qtbot.waitUntil(lambda: page_is_sharp(view, 2), timeout=WAIT)

    def marked_cyan() -> bool:
        """The mark on screen is cyan: not the yellow of a highlighter note."""
        (mark,) = canvas.highlight_rects(1)
        shot = canvas.viewport().grab(mark.adjusted(2, 2, -2, -2)).toImage()
        colours = [QColor(shot.pixel(x, shot.height() // 2)) for x in range(shot.width())]
        return any(c.blue() > c.red() + 60 and c.green() > c.red() + 60 for c in colours)

    qtbot.waitUntil(marked_cyan, timeout=WAIT)  # painted once the sharp page is shown

    # Page 1 does not mention the term, page 3 neither.
    assert canvas.highlight_rects(0) == [] and canvas.highlight_rects(2) == []


def test_the_bar_says_which_words_are_marked_and_clears_them(
    qtbot: QtBot, make_view: ViewMaker
) -> None:
    """A search for "poster" may mark "power": the reader sees which words are marked."""
    view = sharp_view(qtbot, make_view, "perfect-week")
    canvas = view.canvas()
    labels = [w for w in view.findChildren(QLabel) if w.accessibleName().startswith("Words")]
    (marks,) = labels
    assert not marks.isVisible()  # nothing marked, nothing said
    view.go_to_page(2, ["delays", "discharge"])
    assert marks.isVisible() and marks.text() == "Marked: delays, discharge"
    qtbot.waitUntil(lambda: bool(canvas.highlight_rects(1)), timeout=WAIT)
    clear = next(b for b in view.findChildren(QToolButton) if b.text() == "Clear Marks")
    qtbot.mouseClick(clear, Qt.MouseButton.LeftButton)
    assert canvas.highlight_rects(1) == []
    assert not marks.isVisible() and not clear.isVisible()


def test_stemmed_variants_light_up_too(qtbot: QtBot, make_view: ViewMaker, tmp_path: Path) -> None:
    path = tmp_path / "stems.pdf"
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 100), "Patients discharged on time; Discharge rates rose.", fontsize=14)
    doc.save(path)
    doc.close()
    view = make_view("discharge-to-assess", path=path)
    view.go_to_page(1, ["discharge"])
    qtbot.waitUntil(lambda: len(view.canvas().highlight_rects(0)) == 2, timeout=WAIT)


def test_state_round_trip_restores_page_zoom_and_offset(qtbot: QtBot, make_view: ViewMaker) -> None:
    view = sharp_view(qtbot, make_view)
    view.set_zoom(1.5)
    view.go_to_page(2)
    canvas = view.canvas()
    canvas.verticalScrollBar().setValue(canvas.verticalScrollBar().value() + 200)
    saved = view.state()
    assert saved["page"] == 2 and saved["zoom"] == 1.5 and saved["offset"] > 0.1
    again = make_view(show=False)
    again.restore_state(saved)
    assert again.state()["page"] == 2  # kept while the document opens
    with qtbot.waitSignal(again.first_page_sharp, timeout=WAIT):
        again.show()
    assert again.current_page() == 2
    restored = again.state()
    assert restored["zoom"] == 1.5
    assert abs(restored["offset"] - saved["offset"]) < 0.01


def test_a_damaged_file_reports_a_sentence(
    qtbot: QtBot, make_view: ViewMaker, tmp_path: Path
) -> None:
    broken = tmp_path / "damaged.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n" + b"\xff" * 300)
    view = make_view(path=broken, show=False)
    with qtbot.waitSignal(view.failed, timeout=WAIT) as blocker:
        view.show()
    message = blocker.args[0]
    assert "damaged.pdf" in message and message.endswith(".")
    assert view.page_count() == 0


def test_the_worker_is_restarted_after_it_is_killed(
    qtbot: QtBot, make_view: ViewMaker, client: RenderClient
) -> None:
    view = sharp_view(qtbot, make_view)
    old_pid = client.worker_pid()
    assert old_pid is not None
    with qtbot.waitSignal(client.worker_restarted, timeout=WAIT):
        os.kill(old_pid, signal.SIGKILL)
    assert client.worker_pid() not in (None, old_pid)
    # The view keeps working: a new zoom is drawn sharp by the new worker.
    view.set_zoom(1.25)
    qtbot.waitUntil(lambda: page_is_sharp(view, 1), timeout=WAIT)
    other = make_view("breaking-the-cycle", show=False)
    with qtbot.waitSignal(other.first_page_sharp, timeout=WAIT):
        other.show()


def test_the_gui_side_of_the_page_view_does_not_load_pymupdf() -> None:
    code = (
        "import sys\n"
        "import ecip_reader.ui.reader.view, ecip_reader.ui.render.client\n"
        "import ecip_reader.ui.present.window, ecip_reader.ui.reader.printing\n"
        "print('pymupdf' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
