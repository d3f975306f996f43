"""Find in the document: typed in the find bar, run in the worker, marked on the pages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ecip_reader.ui.reader.view import DocumentView
from tests.support.pdfs import write_long_pdf
from tests.support.reading import WAIT, ViewMaker


def find(qtbot: QtBot, view: DocumentView, text: str) -> None:
    """Press Ctrl+F, type ``text`` and Enter, and wait until the whole document is searched."""
    qtbot.keyClick(view.canvas(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = view.find_bar
    assert bar.isVisible() and bar.edit.hasFocus()
    bar.edit.selectAll()
    qtbot.keyClicks(bar.edit, text)
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(view.find_controller().finished, timeout=WAIT)


def test_ctrl_f_finds_every_match_counts_them_and_moves_between_them(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    find(qtbot, view, "discharge")
    bar, found = view.find_bar, view.find_controller()
    # "discharged" on each of the 4 pages, and "Discharge DISCHARGE undischarged" on page 2.
    assert found.match_count() == 7
    assert bar.count_label.text() == "1 of 7"
    assert view.current_page() == 1
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert bar.count_label.text() == "2 of 7"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    current = found.current()
    assert current is not None and current[0] == 1  # page 2, "Discharge"
    assert view.current_page() == 2
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count_label.text() == "2 of 7"
    qtbot.keyClick(bar.edit, Qt.Key.Key_F3)
    assert bar.count_label.text() == "3 of 7"
    qtbot.keyClick(bar.edit, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count_label.text() == "2 of 7"
    # The current match is painted in orange on the page.
    page, boxes = found.current() or (0, ())
    rect = view.canvas().view_box(page, boxes[0]).toAlignedRect()
    shot = view.canvas().viewport().grab(rect.adjusted(1, 1, -1, -1)).toImage()
    colours = [shot.pixelColor(x, shot.height() // 2) for x in range(shot.width())]
    assert any(c.red() > 200 and 60 < c.green() < 170 and c.blue() < 90 for c in colours)
    # Escape closes the bar and removes the marks.
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible() and found.match_count() == 0


def test_match_case_and_whole_words_narrow_the_matches(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    find(qtbot, view, "discharge")
    bar, found = view.find_bar, view.find_controller()
    qtbot.mouseClick(bar.case_box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: found.finished() and bar.count_label.text().endswith("of 5"), timeout=WAIT
    )
    qtbot.mouseClick(bar.whole_box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: found.finished() and bar.count_label.text() == "No matches", timeout=WAIT
    )
    qtbot.mouseClick(bar.case_box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: found.finished() and found.match_count() == 2, timeout=WAIT)
    bar.edit.setText("patients were discharged")
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: found.finished() and found.match_count() == 4, timeout=WAIT)


def test_find_on_a_long_document_streams_results_without_freezing(
    qtbot: QtBot, make_view: ViewMaker, tmp_path: Path
) -> None:
    path = write_long_pdf(tmp_path / "long.pdf", 1200)
    view = make_view(path)
    found = view.find_controller()
    batches: list[int] = []
    view._remote.find_hits.connect(lambda hits: batches.append(len(hits.hits)))
    find(qtbot, view, "escalation")
    assert found.match_count() == 120
    # Results came in several batches while the search went on (how long the event
    # loop waits meanwhile is measured by bench/bench_render.py, not here).
    assert len(batches) > 3
    # A new query replaces the running one: only its matches are counted.
    bar = view.find_bar
    bar.edit.setText("report")
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    bar.edit.setText("long report")
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: found.finished() and found.match_count() == 1200, timeout=WAIT)
    QApplication.processEvents()
    assert found.match_count() == 1200
