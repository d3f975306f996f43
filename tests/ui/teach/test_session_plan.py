"""A trainer builds a session plan from the library, presents it, and hands it to an attendee."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.notes.integration import NotesFeature
from ecip_reader.ui.present.window import PresentationWindow
from ecip_reader.ui.reader.view import DocumentView
from ecip_reader.ui.teach.dialogs import TextDialog
from ecip_reader.ui.teach.feature import SessionFeature
from ecip_reader.userdata import AnnotationKind, DocumentRef, TextAnchor
from tests.support.presenting import Projector
from tests.support.window import WAIT, Session, library_only_search, open_session

pytestmark = pytest.mark.qt_log_ignore(
    "does not support raise", "does not support activ", "does not support grabbing"
)


@dataclass
class Teaching:
    session: Session
    notes: NotesFeature
    plans: SessionFeature

    def view(self, doc_id: str, page: int = 1) -> DocumentView:
        self.session.window.open_document(doc_id, page)
        tab = self.session.window.tabs.tab_of(doc_id)
        assert tab is not None and tab.view is not None
        return tab.view

    def page_menu_entry(
        self, qtbot: QtBot, view: DocumentView, page: int, xy: QPointF, text: str
    ) -> None:
        """Right-click ``xy`` (PDF points) of ``page`` and choose ``text``."""
        at = view.canvas().to_view(page, xy.x(), xy.y()).toPoint()
        view.page_context_menu.emit(page, xy, view.canvas().viewport().mapToGlobal(at))
        menu = self.notes.controller.menu
        assert menu is not None
        entries = {a.text(): a for a in menu.actions() if a.text()}
        entries[text].trigger()
        menu.close()

    def stops(self) -> list[tuple[str, int, bool]]:
        plan = self.plans.panel.plan()
        assert plan is not None
        ids = {h: d.doc_id for h, d in self.plans.documents().items()}
        return [(ids[s.doc_hash], s.page, s.region is not None) for s in plan.stops]


@contextmanager
def teaching(qtbot: QtBot, paths: AppPaths, library: Catalogue) -> Iterator[Teaching]:
    session = open_session(qtbot, paths, library, search=library_only_search(library))
    notes = NotesFeature.create(session.window)
    plans = SessionFeature(session.window, notes)
    try:
        yield Teaching(session, notes, plans)
    finally:
        plans.close()
        session.close()
        notes.close()


def sharp(qtbot: QtBot, view: DocumentView) -> None:
    qtbot.waitUntil(lambda: view.page_count() > 0, timeout=WAIT)


def quads_of(library: Catalogue, doc_id: str, page: int, text: str) -> list[tuple[float, ...]]:
    with pymupdf.open(library.path_of(library.get(doc_id))) as pdf:
        return [tuple(r) for r in pdf[page - 1].search_for(text)]


def drop(qtbot: QtBot, t: Teaching, row: int, on_row: int) -> None:
    """Drag stop ``row`` over the list and drop it above stop ``on_row``."""
    panel = t.plans.panel
    carried = panel.model.mimeData([panel.model.index(row)])
    target = panel.list.visualRect(panel.model.index(on_row)).topLeft() + QPoint(10, 2)
    before = panel.plan()
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    move = Qt.DropAction.MoveAction
    for event in (
        QDragEnterEvent(target, move, carried, buttons, keys),
        QDragMoveEvent(target, move, carried, buttons, keys),
        QDropEvent(QPointF(target), move, carried, buttons, keys),
    ):
        QApplication.sendEvent(panel.list.viewport(), event)
    qtbot.waitUntil(lambda: panel.plan() != before, timeout=WAIT)


def build_six_stops(qtbot: QtBot, t: Teaching, library: Catalogue) -> None:
    entry = library.get("perfect-week")
    week = DocumentRef(entry.sha256, entry.id, entry.title)
    rects = quads_of(library, "perfect-week", 2, "each morning")
    t.notes.annotator.add_markup(
        week, 2, AnnotationKind.HIGHLIGHT, rects, TextAnchor("each morning"), "yellow", "Why?"
    )
    d2a = library.get("discharge-to-assess")
    t.notes.annotator.add_bookmark(DocumentRef(d2a.sha256, d2a.id, d2a.title), 1, "Home first")

    view = t.view("perfect-week")
    sharp(qtbot, view)
    t.page_menu_entry(qtbot, view, 1, QPointF(300, 600), "Add Page to Session Plan")  # 1
    x0, y0, x1, y1 = rects[0]
    middle = QPointF((x0 + x1) / 2, (y0 + y1) / 2)
    t.page_menu_entry(qtbot, view, 2, middle, "Add Highlight to Session Plan")  # 2
    panel_list = t.notes.bookmarks_panel.list
    t.notes.bookmarks_panel.set_scope("library")
    qtbot.waitUntil(lambda: t.notes.bookmarks_panel.proxy.rowCount() == 1, timeout=WAIT)
    index = t.notes.bookmarks_panel.proxy.index(0, 0)
    panel_list.customContextMenuRequested.emit(panel_list.visualRect(index).center())  # 3
    menu = t.plans.last_menu
    assert menu is not None and [a.text() for a in menu.actions()] == ["Add to Session Plan"]
    menu.actions()[0].trigger()
    menu.close()
    cycle = t.view("breaking-the-cycle", 2)
    sharp(qtbot, cycle)
    qtbot.waitUntil(lambda: cycle.current_page() == 2, timeout=WAIT)
    window = t.session.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(cycle.canvas().viewport(), Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    view = t.view("discharge-to-assess", 2)  # 5
    sharp(qtbot, view)
    t.page_menu_entry(qtbot, view, 2, QPointF(300, 600), "Add Page to Session Plan")
    view = t.view("perfect-week", 3)  # 6
    t.page_menu_entry(qtbot, view, 3, QPointF(300, 600), "Add Page to Session Plan")


def test_a_plan_of_six_stops_over_three_documents_is_built_reordered_and_presented(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, projector: Projector
) -> None:
    with teaching(qtbot, app_paths, small_library) as t:
        build_six_stops(qtbot, t, small_library)
        panel = t.plans.panel
        qtbot.waitUntil(lambda: panel.model.rowCount() == 6, timeout=WAIT)
        assert t.stops() == [
            ("perfect-week", 1, False),
            ("perfect-week", 2, True),
            ("discharge-to-assess", 1, False),
            ("breaking-the-cycle", 2, False),
            ("discharge-to-assess", 2, False),
            ("perfect-week", 3, False),
        ]
        assert panel.status.text().startswith("6 stops on 3 documents.")
        second = (
            "2. Making every week a Perfect Week — page 2\n    enlarged region · “each morning”"
        )
        assert str(panel.model.index(1).data()) == f"{second} · Why?"

        # Reorder by dragging, and with the keyboard; Delete and Ctrl+Z.
        drop(qtbot, t, 3, 0)
        assert [s[:2] for s in t.stops()][:2] == [("breaking-the-cycle", 2), ("perfect-week", 1)]
        panel.list.setFocus()
        panel.list.setCurrentIndex(panel.model.index(0))
        qtbot.keyClick(panel.list, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: t.stops()[1][:2] == ("breaking-the-cycle", 2), timeout=WAIT)
        drop(qtbot, t, 1, 4)  # back where it was: before the second Discharge to Assess
        assert [s[:2] for s in t.stops()][3] == ("breaking-the-cycle", 2)
        panel.list.setCurrentIndex(panel.model.index(5))
        qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
        qtbot.waitUntil(lambda: panel.model.rowCount() == 5, timeout=WAIT)
        assert t.notes.annotator.history.undo_label == "Remove stop"
        t.notes.controller.undo()
        qtbot.waitUntil(lambda: panel.model.rowCount() == 6, timeout=WAIT)

        # A note for the first stop.
        panel.list.setCurrentIndex(panel.model.index(0))
        dialog = panel.ask_note()
        assert isinstance(dialog, TextDialog)
        dialog.field.setPlainText("Welcome: what does a perfect week look like?")  # type: ignore[union-attr]
        dialog.accept()
        qtbot.waitUntil(lambda: "Welcome" in (panel.model.index(0).data() or ""), timeout=WAIT)

        # Present on two screens: Space steps from stop to stop across the documents.
        projector.plug()
        panel.list.setCurrentIndex(panel.model.index(0))
        t.plans.actions["present_session"].trigger()
        running = t.plans.running
        assert running is not None
        presenter, _run = running
        window = presenter.window
        qtbot.waitExposed(window)
        assert window.screen().name() == "HDMI-1"
        console = presenter.console
        assert console is not None
        qtbot.waitUntil(lambda: window.page_count() > 0, timeout=WAIT)
        qtbot.waitUntil(lambda: console.caption.full_text().startswith("Stop 1 of 6"), timeout=WAIT)
        assert console.notes_view.toPlainText() == "Welcome: what does a perfect week look like?"
        assert console.strip.strip.rowCount() == 6
        seen = [(window.title, window.current_page() + 1, window.zoomed())]
        for _stop in range(5):
            qtbot.keyClick(console, Qt.Key.Key_Space)
            qtbot.waitUntil(lambda: window.page_count() > 0, timeout=WAIT)
            seen.append((window.title, window.current_page() + 1, window.zoomed()))
        assert seen == [
            ("Making every week a Perfect Week", 1, False),
            ("Making every week a Perfect Week", 2, True),
            ("Discharge to Assess", 1, False),
            ("Breaking the Cycle Together", 2, False),
            ("Discharge to Assess", 2, False),
            ("Making every week a Perfect Week", 3, False),
        ]
        assert console.caption.full_text().startswith("Stop 6 of 6  ·  Making every week")
        assert console.next_view.caption == "The end — nothing comes after this slide."
        qtbot.keyClick(console, Qt.Key.Key_Space)
        assert window.notice() == "That was the last stop of the session plan. Esc ends."
        qtbot.keyClick(console, Qt.Key.Key_Backspace)
        assert window.title == "Discharge to Assess" and window.current_page() == 1
        qtbot.keyClick(console, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: t.plans.running is None, timeout=WAIT)
        qtbot.waitUntil(lambda: not console.isVisible(), timeout=WAIT)
        current = t.session.window.tabs.current_tab()
        assert current is not None and current.doc_id == "discharge-to-assess"
        view = current.view
        assert view is not None
        qtbot.waitUntil(lambda: view.current_page() == 2, timeout=WAIT)

        # Quitting the reader mid-talk takes the slides and the console with it.
        t.plans.actions["present_session"].trigger()
        running = t.plans.running
        assert running is not None
        qtbot.waitExposed(running[0].window)
        t.session.window.close()
        qtbot.waitUntil(lambda: t.plans.running is None, timeout=WAIT)
        talking = [
            w.accessibleName()
            for w in QApplication.topLevelWidgets()
            if w.isVisible() and w.accessibleName() in ("Presentation", "Presenter console")
        ]
        assert talking == []


@pytest.mark.slow
def test_an_attendee_imports_the_pack_and_steps_through_the_same_stops(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, tmp_path: Path
) -> None:
    pack = tmp_path / "ward7.json"
    with teaching(qtbot, app_paths, small_library) as t:
        build_six_stops(qtbot, t, small_library)
        trainer_stops = t.stops()
        t.session.services.settings.set("author_name", "Dr A. Trainer")
        dialog = t.notes.export()
        dialog.set_format("pack")
        dialog.all_documents.setChecked(True)
        assert dialog.pack_name.isVisible() and dialog.pack_plan.count() == 2
        dialog.pack_name.setText("Ward 7 — session 2")
        dialog.pack_plan.setCurrentIndex(1)
        dialog.path.setText(str(pack))
        dialog.start_export()
        qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT)
        assert dialog.status.text() == (
            "Saved a notes pack of 2 notes and bookmarks and 1 session plan as ward7.json."
        )
        dialog.close()
    assert json.loads(pack.read_text(encoding="utf-8"))["name"] == "Ward 7 — session 2"

    attendee = AppPaths.from_environment(tmp_path / "attendee")
    attendee.ensure()
    with teaching(qtbot, attendee, small_library) as a:
        a.notes.import_pack(pack)
        bar = a.session.window.message_bar
        qtbot.waitUntil(lambda: "Imported" in bar.text(), timeout=WAIT)
        assert bar.text() == (
            "Imported “Ward 7 — session 2” from Dr A. Trainer: 2 added; 1 session plan."
        )
        panel = a.plans.panel
        qtbot.waitUntil(lambda: panel.model.rowCount() == 6, timeout=WAIT)
        assert panel.plans.currentText() == "Session 1 (from Ward 7 — session 2)"
        assert a.stops() == trainer_stops
        assert not panel.remove_button.isEnabled()  # the trainer's plan is read-only here
        window = a.plans.present(panel.plan().uuid)  # type: ignore[union-attr]
        assert isinstance(window, PresentationWindow)
        qtbot.waitExposed(window)
        steps = []
        for _stop in range(6):
            qtbot.waitUntil(lambda: window.page_count() > 0, timeout=WAIT)
            steps.append((window.title, window.current_page() + 1))
            qtbot.keyClick(window, Qt.Key.Key_Space)
        titles = {e.id: e.title for e in small_library}
        assert steps == [(titles[doc], page) for doc, page, _region in trainer_stops]
        qtbot.keyClick(window, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: a.plans.running is None, timeout=WAIT)
