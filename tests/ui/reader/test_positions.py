"""Where the page view settles: after a jump to a search hit, and when the window changes size."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from ecip_reader.ui.reader.view import DocumentView
from ecip_reader.ui.render.client import RenderClient
from tests.support.pdfs import write_hits_pdf, write_long_pdf
from tests.support.reading import WAIT, ViewMaker


def warm_view(
    qtbot: QtBot, client: RenderClient, path: Path, size: tuple[int, int]
) -> DocumentView:
    """A view made the way a new tab makes it: before it is shown at its final size."""
    view = DocumentView(client, path, path.stem, path.stem)
    qtbot.addWidget(view)
    view.resize(*size)
    return view


def test_a_search_hit_opens_with_its_first_mark_in_view(
    qtbot: QtBot, client: RenderClient, make_view: ViewMaker, tmp_path: Path
) -> None:
    # The render worker is already busy with another document (as in a running reader).
    make_view(write_long_pdf(tmp_path / "long.pdf", 12))
    view = warm_view(qtbot, client, write_hits_pdf(tmp_path / "hits.pdf"), (300, 200))
    view.show()
    view.go_to_page(3, ["escalation"])
    view.resize(640, 560)  # the tab gets its real size after the jump was asked for
    canvas = view.canvas()
    qtbot.waitUntil(lambda: len(canvas.highlight_rects(2)) == 1, timeout=WAIT)
    qtbot.waitUntil(lambda: bool(canvas.highlight_rects(3)), timeout=WAIT)  # page 4's words too
    assert view.current_page() == 3
    (mark,) = canvas.highlight_rects(2)
    viewport = canvas.viewport().rect()
    assert viewport.contains(mark)
    assert mark.top() <= viewport.height() * 2 // 3
    assert canvas.page_rect(2).top() <= mark.top()
    view.close_document()


def test_a_hit_near_the_top_leaves_the_page_top_in_view(
    qtbot: QtBot, client: RenderClient, make_view: ViewMaker, tmp_path: Path
) -> None:
    make_view(write_long_pdf(tmp_path / "long.pdf", 12))
    view = warm_view(qtbot, client, write_hits_pdf(tmp_path / "hits.pdf"), (640, 560))
    view.go_to_page(4, ["escalation"])
    view.show()
    canvas = view.canvas()
    qtbot.waitUntil(lambda: len(canvas.highlight_rects(3)) == 1, timeout=WAIT)
    assert view.current_page() == 4
    assert 0 <= canvas.page_rect(3).top() <= 20
    assert canvas.viewport().rect().contains(canvas.highlight_rects(3)[0])
    view.close_document()


def test_the_reading_place_survives_a_change_of_window_width(
    qtbot: QtBot, make_view: ViewMaker, tmp_path: Path
) -> None:
    view = make_view(write_long_pdf(tmp_path / "long.pdf", 12), size=(640, 560))
    canvas = view.canvas()
    view.go_to_page(2)
    assert abs(view.state()["offset"] + 0.014) < 0.01  # just above the page's top edge
    before = view.state()
    for width in (900, 520, 640):
        view.resize(width, 560)
        state = view.state()
        assert state["page"] == 2 and state["zoom"] == "fit-width"
        assert abs(state["offset"] - before["offset"]) < 0.005, width
    # A place the reader scrolled to by hand is kept too, as a fraction of the page.
    vbar = canvas.verticalScrollBar()
    vbar.setValue(vbar.value() + 300)
    before = view.state()
    assert before["offset"] > 0.2
    for width in (1000, 600):
        view.resize(width, 560)
        state = view.state()
        assert state["page"] == before["page"]
        assert abs(state["offset"] - before["offset"]) < 0.005, width
    # A taller window keeps the same line at the top as well.
    view.resize(600, 800)
    assert abs(view.state()["offset"] - before["offset"]) < 0.005
