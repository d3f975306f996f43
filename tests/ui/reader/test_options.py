"""The side panel, night reading, rotation and trimmed margins, driven like a reader would."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ecip_reader.viewing.layout import TRIM_MARGIN
from tests.support.pdfs import write_long_pdf
from tests.support.reading import WAIT, ViewMaker, average_colour, page_image, pdf_point, words_of


def test_outline_jumps_and_follows_the_reader(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path, qtmodeltester: ModelTester
) -> None:
    view = make_view(reading_pdf)
    panel = view.side_panel
    assert not panel.isVisible()
    qtbot.keyClick(view.canvas(), Qt.Key.Key_F9)
    assert panel.isVisible()
    qtbot.waitUntil(panel.has_outline, timeout=WAIT)
    model = panel.outline_model
    titles = [model.item(row).text() for row in range(model.rowCount())]
    assert titles == ["Chapter 1", "Chapter 2", "Chapter 3", "Chapter 4"]
    assert model.item(1).child(0).text() == "Discharge"
    qtmodeltester.check(model)
    tree = panel.outline_view
    chapter_three = model.item(2).index()
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(chapter_three).center()
    )
    assert view.current_page() == 3
    assert panel.current_section() == "Chapter 3"
    view.go_to_page(2)
    assert panel.current_section() == "Discharge"
    # Back returns to where the outline jump started.
    qtbot.keyClick(view.canvas(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.current_page() == 1
    qtbot.keyClick(view.canvas(), Qt.Key.Key_F9)
    assert not panel.isVisible()


def write_headed_pdf(path: Path) -> Path:
    """Three pages; page 2 has two headings low on it, named by the outline and a link."""
    doc = pymupdf.open()
    for _page in range(3):
        doc.new_page(width=595, height=842)
    first, second = doc[0], doc[1]
    first.insert_text((72, 100), "Read the principles first.", fontsize=14)
    first.insert_link(
        {
            "kind": pymupdf.LINK_GOTO,
            "from": pymupdf.Rect(70, 85, 300, 105),
            "page": 1,
            "to": pymupdf.Point(72, 600),
        }
    )
    second.insert_text((72, 80), "Background", fontsize=20)
    second.insert_text((72, 520), "Measures", fontsize=20)
    second.insert_text((72, 620), "Principles", fontsize=20)
    doc.set_toc(
        [
            [1, "Introduction", 1],
            [1, "Background", 2],
            [1, "Measures", 2, {"kind": pymupdf.LINK_GOTO, "to": pymupdf.Point(72, 500)}],
            [1, "Principles", 2, {"kind": pymupdf.LINK_GOTO, "to": pymupdf.Point(72, 600)}],
        ]
    )
    doc.save(path)
    doc.close()
    return path


def test_outline_entries_and_links_land_on_their_heading(
    qtbot: QtBot, make_view: ViewMaker, tmp_path: Path
) -> None:
    view = make_view(write_headed_pdf(tmp_path / "headed.pdf"), (700, 500))
    canvas = view.canvas()
    panel = view.side_panel
    view.show_side_panel(True)
    qtbot.waitUntil(panel.has_outline, timeout=WAIT)
    tree = panel.outline_view
    measures = panel.outline_model.item(2).index()
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(measures).center()
    )
    # The heading is near the top of the view, not the top of page 2.
    heading = canvas.to_view(2, 72, 500).y()
    assert 4 <= heading <= 60
    assert panel.current_section() == "Measures"  # not "Principles", further down the page
    # An internal link to "Principles" lands on that heading too.
    view.go_to_page(1)
    link = pdf_point(view, 1, 150, 95)
    words_of(qtbot, view, 1)  # the page's text, links included, is known
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=link)
    assert view.current_page() == 2
    assert 4 <= canvas.to_view(2, 72, 600).y() <= 60
    assert panel.current_section() == "Principles"


def test_thumbnails_are_drawn_for_visible_rows_and_jump_when_clicked(
    qtbot: QtBot, make_view: ViewMaker, tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    view = make_view(write_long_pdf(tmp_path / "long.pdf", 300), size=(900, 700))
    panel = view.side_panel
    view.show_side_panel(True)
    panel.setCurrentWidget(panel.thumb_view)
    thumbs = panel.thumbs
    qtmodeltester.check(thumbs)
    assert thumbs.rowCount() == 300
    qtbot.waitUntil(lambda: thumbs.has_thumbnail(0) and thumbs.has_thumbnail(1), timeout=WAIT)
    # Only the rows in view (and a couple beyond) are drawn, not all 300 pages.
    assert not thumbs.has_thumbnail(250)
    list_view = panel.thumb_view
    second = thumbs.index(1, 0)
    qtbot.mouseClick(
        list_view.viewport(), Qt.MouseButton.LeftButton, pos=list_view.visualRect(second).center()
    )
    assert view.current_page() == 2
    view.go_to_page(260)
    qtbot.waitUntil(lambda: thumbs.has_thumbnail(259), timeout=WAIT)
    assert list_view.currentIndex().row() == 259


def test_night_modes_tone_the_pages_and_not_the_window(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    plain = average_colour(page_image(view, 1))
    assert plain.lightness() > 200
    window_colour = view.palette().color(view.backgroundRole())
    changes: list[str] = []
    view.night_mode_changed.connect(changes.append)
    view.night_actions["invert"].trigger()
    inverted = average_colour(page_image(view, 1))
    assert inverted.lightness() < 60
    view.night_actions["sepia"].trigger()
    sepia = average_colour(page_image(view, 1))
    assert sepia.red() > sepia.blue() + 20 and sepia.lightness() > 150
    view.night_actions["off"].trigger()
    assert average_colour(page_image(view, 1)).lightness() > 200
    assert changes == ["invert", "sepia", "off"]
    assert view.palette().color(view.backgroundRole()) == window_colour


def test_inverted_pages_keep_their_hues(qtbot: QtBot, make_view: ViewMaker, tmp_path: Path) -> None:
    """Light on dark, but a blue heading band stays blue (not orange) and red stays red."""
    path = tmp_path / "coloured.pdf"
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.draw_rect(pymupdf.Rect(50, 50, 545, 200), color=None, fill=(0, 0.37, 0.72))
    page.draw_rect(pymupdf.Rect(50, 250, 545, 400), color=None, fill=(0.8, 0.1, 0.1))
    doc.save(path)
    doc.close()
    view = make_view(path)
    canvas = view.canvas()

    def band(top: float, bottom: float) -> QColor:
        rect = QRect(canvas.to_view(1, 80, top).toPoint(), canvas.to_view(1, 500, bottom).toPoint())
        return average_colour(canvas.viewport().grab(rect).toImage())

    blue = band(80, 170)
    view.set_night_mode("invert")
    qtbot.waitUntil(lambda: band(80, 170) != blue, timeout=WAIT)
    night_blue, night_red = band(80, 170), band(280, 370)
    assert night_blue.blue() > night_blue.red() + 60  # still blue…
    assert night_blue.lightness() > blue.lightness()  # …and lighter, on a dark page
    assert night_red.red() > night_red.blue() + 60 and night_red.red() > night_red.green() + 60
    assert band(450, 700).lightness() < 50  # the paper is dark


def test_rotation_turns_pages_and_keeps_text_under_the_mouse(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    canvas = view.canvas()
    qtbot.keyClick(canvas, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert view.rotation() == 90
    rect = canvas.page_rect(0)
    assert rect.width() > rect.height()
    qtbot.waitUntil(lambda: canvas.page_is_sharp(view.current_page() - 1), timeout=WAIT)
    # A point of the PDF maps to the screen and back, turned.
    spot = pdf_point(view, 1, 100, 130)
    page, point = canvas.pdf_point(spot) or (0, None)
    assert page == 1 and point is not None
    assert abs(point.x() - 100) < 2 and abs(point.y() - 130) < 2
    assert spot.x() > rect.center().x()  # the top of the page is now on the right
    words_of(qtbot, view, 1)
    x0, y0, x1, y1 = next(w for w in view.words(1) or () if w[4] == "gamma")[:4]
    qtbot.mouseDClick(
        canvas.viewport(),
        Qt.MouseButton.LeftButton,
        pos=pdf_point(view, 1, (x0 + x1) / 2, (y0 + y1) / 2),
    )
    chosen = view.selection()
    assert chosen is not None and chosen.text == "gamma"
    qtbot.keyClick(
        canvas, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    assert view.rotation() == 0
    assert canvas.page_rect(0).height() > canvas.page_rect(0).width()


def test_trimmed_fit_width_leaves_blank_margins_off_screen(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    canvas = view.canvas()
    before = canvas.effective_zoom()
    trim = view.trim_action
    assert trim is not None
    trim.trigger()
    assert view.trim_margins()
    qtbot.waitUntil(lambda: canvas.effective_zoom() > before * 1.3, timeout=WAIT)
    # The text starts at x = 72 pt: it now sits a small margin from the left edge.
    left = pdf_point(view, 1, 72, 120).x()
    assert abs(left - TRIM_MARGIN) <= 4
    trim = view.trim_action
    assert trim is not None
    trim.trigger()
    assert abs(canvas.effective_zoom() - before) < 1e-6
