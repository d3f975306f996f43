"""A trainer's pen drawing kept as an annotation, and sticky notes moved by dragging."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.notes.ink import paint_ink
from ecip_reader.ui.notes.panel import AnnotationsPanel
from ecip_reader.ui.present.tools import KEEP_QUESTION, PEN, PEN_WIDTH, UNDO_HINT, paint_stroke
from ecip_reader.ui.present.window import PresentationWindow
from ecip_reader.userdata import Annotation, AnnotationKind, UserDataStore
from ecip_reader.userdata.models import DEFAULT_PALETTE
from tests.support.notes import WAIT, Desk, colour_share, desk, first_line_box, mouse

# Full-screen windows and menus on the offscreen platform: it cannot raise or activate them.
pytestmark = pytest.mark.qt_log_ignore(
    "does not support raise", "does not support activ", "does not support grabbing"
)

PALETTE_RGB = {key: rgb for key, rgb, _name in DEFAULT_PALETTE}


def red_share(d: Desk, box: tuple[float, float, float, float]) -> float:
    """How much of ``box`` on page 1 is in the pen's colour."""
    return colour_share(d.pixels(1, box), PEN.name(), 40)


def present(qtbot: QtBot, d: Desk) -> PresentationWindow:
    d.view.start_presentation()
    window = d.view.presentation()
    assert isinstance(window, PresentationWindow)
    qtbot.waitExposed(window)
    return window


def draw_line(qtbot: QtBot, window: PresentationWindow, share_y: float) -> tuple[QPoint, QPoint]:
    """Drag the pen from a quarter to half the page's width, ``share_y`` of the way down."""
    page = window.page_rect()
    y = round(page.height() * share_y)
    start = page.topLeft() + QPoint(page.width() // 4, y)
    end = page.topLeft() + QPoint(page.width() // 2, y)
    qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=start)
    for share in (0.3, 0.6, 1.0):
        qtbot.mouseMove(window, start + QPoint(round((end.x() - start.x()) * share), 0))
    qtbot.mouseRelease(window, Qt.MouseButton.LeftButton, pos=end)
    return start, end


def ask_to_leave(qtbot: QtBot, window: PresentationWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_P)  # pen off
    assert not window.asking_to_keep()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.asking_to_keep() and window.isVisible()


def test_a_drawing_kept_on_leaving_is_stored_listed_and_drawn_in_the_document(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        panel = AnnotationsPanel(d.store)
        qtbot.addWidget(panel)
        panel.set_document(d.document)
        window = present(qtbot, d)
        qtbot.keyClick(window, Qt.Key.Key_P)
        draw_line(qtbot, window, 1 / 3)
        qtbot.keyClick(window, Qt.Key.Key_Space)  # page 2
        draw_line(qtbot, window, 0.5)
        rect = window.page_rect()
        ask_to_leave(qtbot, window)
        assert window.keep_bar.message.text() == f"{KEEP_QUESTION} {UNDO_HINT}"
        assert window.keep_bar.keep_button.isVisible()
        assert d.store.annotations() == []  # nothing is saved before the answer

        with qtbot.waitSignal(window.finished, timeout=WAIT):
            qtbot.keyClick(window, Qt.Key.Key_K)
        assert d.view.presentation() is None
        drawings = d.store.annotations(d.document.hash)
        assert [(a.page, a.kind, a.colour) for a in drawings] == [
            (1, AnnotationKind.INK, "red"),
            (2, AnnotationKind.INK, "red"),
        ]
        first = drawings[0]
        page_w, page_h = d.view.canvas().transform(0).width, d.view.canvas().transform(0).height
        (stroke,) = first.strokes
        assert abs(stroke[0][0] - page_w / 4) < 3 and abs(stroke[0][1] - page_h / 3) < 3
        assert abs(stroke[-1][0] - page_w / 2) < 3
        assert first.width == pytest.approx(PEN_WIDTH * page_w / rect.width(), abs=0.05)

        # The document view draws it, and the notes panel lists it as a drawing.
        d.view.go_to_page(1)
        box = (page_w * 0.3, page_h / 3 - 1, page_w * 0.45, page_h / 3 + 1)
        qtbot.waitUntil(lambda: red_share(d, box) > 0.3, timeout=WAIT)
        assert first in d.overlay.annotations(1)
        qtbot.waitUntil(lambda: len(panel.visible_annotations()) == 2, timeout=WAIT)
        assert panel.proxy.index(0, 0).data().startswith("Page 1 · Drawing · Concern")

        # One undo takes back the whole drawing, on both pages.
        assert d.annotator.history.undo_label == "Add drawing"
        d.controller.undo()
        assert d.store.annotations() == []
        qtbot.waitUntil(lambda: red_share(d, box) < 0.05, timeout=WAIT)


def test_esc_never_throws_a_drawing_away_and_a_discarded_one_comes_back_with_undo(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        told: list[str] = []
        d.controller.told.connect(told.append)
        window = present(qtbot, d)
        qtbot.keyClick(window, Qt.Key.Key_P)
        draw_line(qtbot, window, 0.25)
        # The usual "get me out": Esc, Esc, Esc — the drawing is still there.
        for _press in range(3):
            qtbot.keyClick(window, Qt.Key.Key_Escape)
        assert window.isVisible() and len(window.strokes()) == 1
        assert not window.asking_to_keep()  # the third Esc went back to the slides
        qtbot.keyClick(window, Qt.Key.Key_Escape)
        assert window.asking_to_keep()
        qtbot.keyClick(window, Qt.Key.Key_Space)  # changed my mind: on with the talk
        assert not window.asking_to_keep() and window.current_page() == 1
        qtbot.keyClick(window, Qt.Key.Key_Escape)
        with qtbot.waitSignal(window.finished, timeout=WAIT):
            qtbot.keyClick(window, Qt.Key.Key_D)
        assert d.store.annotations() == []
        assert told == [
            "Discarded the presentation drawing on 1 page. "
            "Annotate → Undo (Ctrl+Z) brings it back as a drawing."
        ]
        assert d.annotator.history.undo_label == "Discard drawing"
        d.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        (back,) = d.store.annotations(d.document.hash)
        assert (back.page, back.kind, back.colour) == (1, AnnotationKind.INK, "red")

        # A click on Discard is the same as D.
        window = present(qtbot, d)
        qtbot.keyClick(window, Qt.Key.Key_P)
        draw_line(qtbot, window, 0.25)
        ask_to_leave(qtbot, window)
        with qtbot.waitSignal(window.finished, timeout=WAIT):
            qtbot.mouseClick(window.keep_bar.discard_button, Qt.MouseButton.LeftButton)
        assert len(d.store.annotations()) == 1
        assert d.annotator.history.undo_label == "Discard drawing"


def test_closing_the_document_while_presenting_ends_the_talk_and_undo_keeps_the_drawing(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        window = present(qtbot, d)
        qtbot.keyClick(window, Qt.Key.Key_P)
        draw_line(qtbot, window, 0.25)
        with qtbot.waitSignal(window.finished, timeout=WAIT):
            d.view.close_document()
        assert d.view.presentation() is None
        assert d.store.annotations() == []
        assert d.annotator.history.undo_label == "Discard drawing"
        d.controller.undo()
        assert [a.kind for a in d.store.annotations()] == [AnnotationKind.INK]


def test_a_read_only_notes_store_says_why_the_drawing_cannot_be_kept(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with (
        UserDataStore.open(app_paths, read_only=True) as store,
        desk(qtbot, app_paths, small_library, store=store) as d,
    ):
        window = present(qtbot, d)
        qtbot.keyClick(window, Qt.Key.Key_P)
        draw_line(qtbot, window, 0.25)
        ask_to_leave(qtbot, window)
        assert window.keep_bar.message.text() == (
            "This drawing cannot be kept. Notes cannot be saved: they are open read-only. "
            "D discards it for good; Esc goes back to the slides."
        )
        assert not window.keep_bar.keep_button.isVisible()
        qtbot.keyClick(window, Qt.Key.Key_K)  # keeping is off: the question stays
        assert window.asking_to_keep()
        with qtbot.waitSignal(window.finished, timeout=WAIT):
            qtbot.keyClick(window, Qt.Key.Key_D)
        assert store.annotations() == []


def test_drag_a_sticky_note_to_move_it_and_undo_the_move(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        note = d.annotator.add_sticky_note(d.document, 1, (100.0, 120.0), "Move me")
        qtbot.waitUntil(lambda: d.overlay.find(note.uuid) is not None, timeout=WAIT)
        viewport = d.view.canvas().viewport()
        grab = d.to_view(1, 109.0, 129.0)
        drop = d.to_view(1, 309.0, 229.0)
        mouse(viewport, QEvent.Type.MouseButtonPress, grab, Qt.MouseButton.LeftButton)
        assert d.overlay.selected() == note
        for share in (0.1, 0.5, 1.0):
            where = QPointF(
                grab.x() + (drop.x() - grab.x()) * share, grab.y() + (drop.y() - grab.y()) * share
            )
            mouse(viewport, QEvent.Type.MouseMove, where, Qt.MouseButton.NoButton)
        assert d.store.annotation(note.uuid) == note  # nothing is saved mid-drag
        mouse(viewport, QEvent.Type.MouseButtonRelease, drop, Qt.MouseButton.LeftButton)
        moved = d.store.annotation(note.uuid)
        assert moved is not None and moved.point is not None
        assert abs(moved.point[0] - 300.0) < 1.5 and abs(moved.point[1] - 220.0) < 1.5
        assert d.view.selection() is None  # the drag selected no text
        assert d.overlay.annotation_at(1, 305.0, 225.0) == moved
        assert d.overlay.annotation_at(1, 105.0, 125.0) is None
        assert d.annotator.history.undo_label == "Move sticky note"
        d.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        back = d.store.annotation(note.uuid)
        assert back is not None and back.point == (100.0, 120.0)

        # A click without a drag only selects the note.
        d.overlay.select(None)
        d.click(1, 105.0, 125.0)
        assert d.overlay.selected() == back
        assert d.store.annotation(note.uuid) == back


def test_a_kept_drawing_is_drawn_as_the_pen_drew_it(qtbot: QtBot) -> None:
    """Same colour, same width, and corners where the pen turned (no smoothing)."""
    vee = Annotation(
        uuid="5d0c7b1a-1111-4222-8333-944455556666",
        doc_hash="ab" * 32,
        page=1,
        kind=AnnotationKind.INK,
        colour="red",
        author="T",
        created="2025-05-01T09:30:00Z",
        modified="2025-05-01T09:30:00Z",
        strokes=(((20.0, 20.0), (60.0, 100.0), (100.0, 20.0)),),
        width=PEN_WIDTH,
    )
    kept = QImage(120, 120, QImage.Format.Format_RGB32)
    kept.fill(QColor("white"))
    painter = QPainter(kept)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)  # as the overlay draws
    paint_ink(painter, vee, QColor(PALETTE_RGB["red"]), lambda x, y: QPointF(x, y))
    painter.end()
    drawn = QImage(120, 120, QImage.Format.Format_RGB32)
    drawn.fill(QColor("white"))
    painter = QPainter(drawn)
    points = [QPointF(x, y) for x, y in vee.strokes[0]]
    paint_stroke(painter, points, PEN, PEN_WIDTH)
    painter.end()
    assert kept.pixelColor(60, 98) == drawn.pixelColor(60, 98) == PEN  # the tip of the V
    assert kept == drawn


def test_highlights_are_on_the_slides_as_in_the_document_and_in_a_zoom(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        d.select_words(1, 9, 11)
        d.key(Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        (highlight,) = d.store.annotations(d.document.hash)
        colour = PALETTE_RGB[highlight.colour]
        box = first_line_box(d.words(1), 9, 11)
        window = present(qtbot, d)
        clip = window.region_clip(box)  # the words, as fractions of the slide

        def share_over(area: QRect) -> float:
            return colour_share(window.grab(area).toImage(), colour, 40)

        page = window.page_rect()
        words_on_slide = QRect(
            QPoint(
                round(page.x() + clip[0] * page.width()), round(page.y() + clip[1] * page.height())
            ),
            QPoint(
                round(page.x() + clip[2] * page.width()), round(page.y() + clip[3] * page.height())
            ),
        )
        assert share_over(words_on_slide) > 0.4  # the paper under the words is highlighted
        elsewhere = words_on_slide.translated(0, words_on_slide.height() * 3)
        assert share_over(elsewhere) < 0.05

        pad = 0.02
        window.zoom_to((clip[0] - pad, clip[1] - pad, clip[2] + pad, clip[3] + pad))
        qtbot.waitUntil(window.zoomed, timeout=WAIT)
        middle = QRect(0, 0, window.width() // 3, window.height() // 8)
        middle.moveCenter(window.rect().center())
        assert share_over(middle) > 0.4  # enlarged, the highlight is still there
        window.finish()
