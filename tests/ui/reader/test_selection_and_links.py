"""Selecting and copying text, and following links safely, with the mouse and keyboard."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QClipboard, QContextMenuEvent, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QPushButton
from pytestqt.qtbot import QtBot

from ecip_reader.ui.reader import pointer
from ecip_reader.ui.reader.links import OFFLINE_LINK, PROGRAM_LINK, PlaceHistory, library_document
from ecip_reader.viewing.selection import TextSelection
from tests.support.reading import WAIT, ViewMaker, pdf_point, word_point, words_of


def test_double_click_selects_a_word_and_ctrl_c_copies_it(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    viewport = view.canvas().viewport()
    spot = word_point(qtbot, view, 1, "gamma")
    with qtbot.waitSignal(view.selection_changed, timeout=WAIT) as blocker:
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=spot)
    chosen = blocker.args[0]
    assert isinstance(chosen, TextSelection)
    assert (chosen.page, chosen.text) == (1, "gamma")
    assert chosen.before.endswith("Alpha beta") and chosen.after.startswith("delta epsilon.")
    (quad,) = chosen.quads
    assert quad[0] < quad[2] and quad[1] < quad[5]  # upper-left x < upper-right x, top < bottom
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view.canvas(), Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "gamma"
    view.clear_selection()
    assert view.selection() is None


def test_triple_click_selects_the_line(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    viewport = view.canvas().viewport()
    spot = word_point(qtbot, view, 1, "home")
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=spot)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=spot)
    chosen = view.selection()
    assert chosen is not None and chosen.text == "Patients were discharged home early."


def test_dragging_selects_across_lines_and_copies_plain_text(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    viewport = view.canvas().viewport()
    start = word_point(qtbot, view, 1, "delta")
    end = word_point(qtbot, view, 1, "were")
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, start + QPoint(12, 0))
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    chosen = view.selection()
    assert chosen is not None
    assert chosen.text == "delta epsilon.\nPatients were"
    assert len(chosen.quads) == 2
    # The selection is painted: the grabbed word looks blue-tinted.
    image = viewport.grab().toImage()
    colour = image.pixelColor(start.x(), start.y() - 6)
    assert colour.blue() > colour.red() + 20


class PrimarySelection:
    """The X11 clipboard as seen by the reader: it keeps what is offered for middle-click."""

    def __init__(self) -> None:
        self.offered: list[str] = []

    def supportsSelection(self) -> bool:
        return True

    def setText(self, text: str, mode: QClipboard.Mode = QClipboard.Mode.Clipboard) -> None:
        if mode == QClipboard.Mode.Selection:
            self.offered.append(text)


def test_selected_text_is_offered_for_middle_click_pasting(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The offscreen platform has no primary selection; X11 has one. Stand in for it.
    x11 = PrimarySelection()
    monkeypatch.setattr(pointer.QGuiApplication, "clipboard", staticmethod(lambda: x11))
    view = make_view(reading_pdf)
    viewport = view.canvas().viewport()
    start = word_point(qtbot, view, 1, "delta")
    end = word_point(qtbot, view, 1, "were")
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, start + QPoint(12, 0))
    qtbot.mouseMove(viewport, end)
    assert x11.offered == []  # not while the mouse is still dragging
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    assert x11.offered == ["delta epsilon.\nPatients were"]
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=word_point(qtbot, view, 1, "gamma"))
    assert x11.offered[-1] == "gamma"


# A popup menu on the offscreen platform: it cannot raise windows or grab the keyboard.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_right_click_offers_copy_and_search_the_library(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    viewport = view.canvas().viewport()
    spot = word_point(qtbot, view, 1, "epsilon.")
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=spot)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse,
        spot,
        viewport.mapToGlobal(spot),
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    labels = [a.text() for a in menu.actions()]
    assert labels == ["Copy", "Search the Library for This"]
    with qtbot.waitSignal(view.search_requested, timeout=WAIT) as blocker:
        menu.actions()[1].trigger()
    assert blocker.args == ["epsilon."]
    menu.close()


def test_others_can_take_over_the_right_click_menu(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    viewport = view.canvas().viewport()
    spot = word_point(qtbot, view, 1, "Alpha")
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse,
        spot,
        viewport.mapToGlobal(spot),
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(view.page_context_menu, timeout=WAIT) as blocker:
        QApplication.sendEvent(viewport, event)
    page, point, _global = blocker.args
    assert page == 1 and 72 <= point.x() <= 120 and 100 <= point.y() <= 125
    assert QApplication.activePopupWidget() is None


def test_a_plain_click_reports_the_pdf_point(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    spot = pdf_point(view, 1, 400, 700)
    with qtbot.waitSignal(view.page_clicked, timeout=WAIT) as blocker:
        qtbot.mouseClick(view.canvas().viewport(), Qt.MouseButton.LeftButton, pos=spot)
    page, point = blocker.args
    assert page == 1 and abs(point.x() - 400) < 2 and abs(point.y() - 700) < 2


def test_internal_links_jump_and_back_forward_return(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    words_of(qtbot, view, 1)
    spot = word_point(qtbot, view, 1, "three")
    qtbot.mouseClick(view.canvas().viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert view.current_page() == 3
    qtbot.keyClick(view.canvas(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.current_page() == 1
    qtbot.keyClick(view.canvas(), Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert view.current_page() == 3


def test_web_links_are_shown_not_opened_and_can_be_copied(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url))
    view = make_view(reading_pdf)
    spot = word_point(qtbot, view, 1, "web")
    qtbot.mouseClick(view.canvas().viewport(), Qt.MouseButton.LeftButton, pos=spot)
    notice = view.link_notice
    assert notice.isVisible()
    assert notice.message() == OFFLINE_LINK
    copy = next(b for b in notice.findChildren(QPushButton) if b.text() == "Copy link")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "https://example.org/flow"
    assert not notice.isVisible()
    assert opened == []
    assert view.current_page() == 1


def test_launch_links_are_never_run(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[object] = []
    monkeypatch.setattr("subprocess.Popen", lambda *a, **k: started.append(a))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: started.append(url))
    view = make_view(reading_pdf)
    spot = word_point(qtbot, view, 1, "program")
    qtbot.mouseClick(view.canvas().viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert view.link_notice.message() == PROGRAM_LINK
    assert started == []
    qtbot.keyClick(view.link_notice, Qt.Key.Key_Escape)
    assert not view.link_notice.isVisible()


def test_links_to_other_library_documents_ask_the_window_to_open_them(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    spot = word_point(qtbot, view, 1, "other")
    with qtbot.waitSignal(view.open_document_requested, timeout=WAIT) as blocker:
        qtbot.mouseClick(view.canvas().viewport(), Qt.MouseButton.LeftButton, pos=spot)
    path, page = blocker.args
    assert Path(path) == reading_pdf.parent / "other.pdf" and page == 2


def test_link_targets_outside_the_library_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "notes.txt").write_text("x")
    current = tmp_path / "current.pdf"
    assert library_document(current, "a.pdf") == tmp_path / "a.pdf"
    assert library_document(current, "../../etc/a.pdf") == tmp_path / "a.pdf"  # the name only
    assert library_document(current, "notes.txt") is None
    assert library_document(current, "missing.pdf") is None
    assert library_document(current, "C:\\\\Windows\\\\calc.exe") is None


def test_history_forgets_forward_places_after_a_new_jump() -> None:
    history = PlaceHistory()
    history.jumped_from((0, 0.0))
    history.jumped_from((4, 0.5))
    assert history.back((9, 0.0)) == (4, 0.5)
    assert history.forward((4, 0.5)) == (9, 0.0)
    assert history.back((9, 0.0)) == (4, 0.5)
    history.jumped_from((4, 0.5))
    assert history.forward((7, 0.0)) is None


def test_shift_and_the_arrows_select_text_without_the_mouse(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    canvas = view.canvas()
    canvas.setFocus(Qt.FocusReason.OtherFocusReason)
    shift = Qt.KeyboardModifier.ShiftModifier

    def selected() -> str:
        chosen = view.selection()
        return chosen.text if chosen is not None else ""

    qtbot.keyClick(canvas, Qt.Key.Key_Right, shift)  # the first word in view
    qtbot.waitUntil(lambda: selected() == "Chapter", timeout=WAIT)
    qtbot.keyClick(canvas, Qt.Key.Key_Right, shift)
    assert selected() == "Chapter 1"
    qtbot.keyClick(canvas, Qt.Key.Key_Down, shift)  # a line down, to the word below "1"
    assert selected() == "Chapter 1\nAlpha beta gamma"
    qtbot.keyClick(canvas, Qt.Key.Key_Right, shift)
    qtbot.keyClick(canvas, Qt.Key.Key_Right, shift)
    assert selected() == "Chapter 1\nAlpha beta gamma delta epsilon."
    qtbot.keyClick(canvas, Qt.Key.Key_Left, shift)
    assert selected() == "Chapter 1\nAlpha beta gamma delta"
    qtbot.keyClick(canvas, Qt.Key.Key_Up, shift)  # back on the first line
    assert selected() == "Chapter 1"
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(canvas, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "Chapter 1"

    # A selection made with the mouse is carried on from its end.
    view.clear_selection()
    qtbot.mouseDClick(
        canvas.viewport(), Qt.MouseButton.LeftButton, pos=word_point(qtbot, view, 1, "gamma")
    )
    assert selected() == "gamma"
    qtbot.keyClick(canvas, Qt.Key.Key_Right, shift)
    assert selected() == "gamma delta"
    # Without Shift the arrows still scroll.
    bar = canvas.verticalScrollBar()
    before = bar.value()
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    assert bar.value() > before and selected() == "gamma delta"


def test_shift_and_an_arrow_on_a_page_without_text_selects_nothing(
    qtbot: QtBot, make_view: ViewMaker, tmp_path: Path
) -> None:
    blank = tmp_path / "blank.pdf"
    with pymupdf.open() as doc:
        doc.new_page(width=595, height=842).draw_rect(pymupdf.Rect(100, 100, 300, 300))
        doc.save(blank)
    view = make_view(blank)
    canvas = view.canvas()
    canvas.setFocus(Qt.FocusReason.OtherFocusReason)
    asked: list[int] = []
    view._remote.text_ready.connect(lambda page, _text: asked.append(page))
    qtbot.keyClick(canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.wait(300)  # the page's (empty) words come back once; nothing more is asked
    assert view.selection() is None
    assert len(asked) <= 1
