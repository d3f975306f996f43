"""The reflow reading view: the text wrapped to the window, at any size, where the pages were."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ecip_reader.pdf.reflow_text import ReflowNote
from ecip_reader.ui import theme
from ecip_reader.ui.reader.links import OFFLINE_LINK
from ecip_reader.ui.reader.reflow import ReflowView
from ecip_reader.ui.reader.view import DocumentView
from tests.support.reading import WAIT, ViewMaker


def reflowed(qtbot: QtBot, view: DocumentView) -> ReflowView:
    """Switch ``view`` to reflowed text with its shortcut and wait for the text."""
    qtbot.keyClick(
        view.canvas(),
        Qt.Key.Key_T,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    assert view.is_reflowed()
    reflow = view.findChild(ReflowView)
    assert reflow is not None
    qtbot.waitUntil(lambda: reflow.ready, timeout=WAIT)
    return reflow


def test_the_shortcut_shows_the_text_at_the_same_page_and_back(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    view.go_to_page(3)
    reflow = reflowed(qtbot, view)
    assert not view.canvas().isVisible()
    assert reflow.isVisible() and reflow.hasFocus()
    text = reflow.toPlainText()
    assert "Chapter 1" in text and "Patients were discharged home early." in text
    qtbot.waitUntil(lambda: view.current_page() == 3, timeout=WAIT)
    action = view.reflow_action
    assert action is not None and action.isChecked()
    # The page box moves the reflowed text, and the text tells the page box where it is.
    view.go_to_page(2)
    qtbot.waitUntil(lambda: view.current_page() == 2, timeout=WAIT)
    assert view.state() == {"page": 2, "zoom": "fit-width", "offset": 0.0, "reflow": True}
    qtbot.keyClick(
        reflow, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    assert not view.is_reflowed() and view.canvas().isVisible()
    qtbot.waitUntil(lambda: view.current_page() == 2, timeout=WAIT)
    assert "reflow" not in view.state()


def test_larger_text_with_ctrl_plus_and_search_words_marked(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    view.go_to_page(2, ["discharge"])
    reflow = reflowed(qtbot, view)
    size = reflow.document().defaultFont().pointSizeF()
    qtbot.keyClick(reflow, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(reflow, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert reflow.document().defaultFont().pointSizeF() > size * 1.3
    view.zoom_out()  # the bar's zoom buttons work on the text too
    assert reflow.document().defaultFont().pointSizeF() < size * 1.3
    assert "background-color:" in reflow.toHtml()
    marked = [
        fragment
        for fragment in reflow.toHtml().split("<span")
        if "background-color" in fragment and "Discharge" in fragment
    ]
    assert marked, "the search word is marked in the reflowed text"


def test_links_in_the_text_behave_as_on_the_page(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    reflow = reflowed(qtbot, view)
    reflow.anchorClicked.emit(QUrl("page:3"))
    qtbot.waitUntil(lambda: view.current_page() == 3, timeout=WAIT)
    reflow.anchorClicked.emit(QUrl("uri:https://example.org/flow"))
    assert view.link_notice.isVisible()
    assert view.link_notice.message() == OFFLINE_LINK  # shown, never opened
    with qtbot.waitSignal(view.open_document_requested, timeout=WAIT) as opened:
        reflow.anchorClicked.emit(QUrl("file:other.pdf#2"))
    assert opened.args == [str(reading_pdf.parent / "other.pdf"), 2]


def test_notes_show_in_the_reflowed_text(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    view.set_reflow_notes(
        [ReflowNote(1, "Patients were discharged", "Check the weekend", "#b3e5a1")]
    )
    reflow = reflowed(qtbot, view)
    html = reflow.toHtml()
    assert "Check the weekend" in reflow.toPlainText()
    assert "#b3e5a1" in html


def test_a_document_whose_text_cannot_be_read_goes_back_to_pages_with_a_sentence(
    qtbot: QtBot, make_view: ViewMaker, tmp_path: Path, reading_pdf: Path
) -> None:
    copy = tmp_path / "gone.pdf"
    copy.write_bytes(reading_pdf.read_bytes())
    view = make_view(copy)
    copy.unlink()
    with qtbot.waitSignal(view.reflow_failed, timeout=WAIT) as failed:
        view.set_reflow(True)
    assert "gone.pdf" in failed.args[0]
    assert not view.is_reflowed() and view.canvas().isVisible()


def test_the_reflow_choice_is_restored_with_the_position(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    view.restore_state({"page": 4, "zoom": "fit-width", "offset": 0.0, "reflow": True})
    assert view.is_reflowed()
    reflow = view.findChild(ReflowView)
    assert reflow is not None
    qtbot.waitUntil(lambda: reflow.ready and view.current_page() == 4, timeout=WAIT)


def test_the_reflowed_text_follows_the_theme(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    view = make_view(reading_pdf)
    reflow = reflowed(qtbot, view)
    try:
        theme.apply(app, "dark")
        view.refresh_look()
        assert theme.DARK.text in reflow.toHtml()
    finally:
        theme.apply(app, "light")
    view.refresh_look()
    assert theme.LIGHT.text in reflow.toHtml()
