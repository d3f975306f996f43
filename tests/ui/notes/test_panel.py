"""The notes panel: the open document's notes or the library's, filtered, and click to jump."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.notes.panel import ALL_DOCUMENTS, AnnotationsPanel
from ecip_reader.userdata import AnnotationKind, DocumentRef
from ecip_reader.userdata.anchoring import selection_from_words
from tests.support.notes import WAIT, Desk, desk

# Dialogs, menus and tooltips raise their windows; the offscreen platform cannot.
pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def add_notes(d: Desk, other: DocumentRef) -> dict[str, str]:
    """Four notes on two documents; returns their uuids by a short name."""
    made = {}
    anchor, quads = selection_from_words(d.words(1), 9, 11)
    made["highlight"] = d.annotator.add_markup(
        d.document, 1, AnnotationKind.HIGHLIGHT, quads, anchor, "yellow", "Raise at flow meeting"
    ).uuid
    anchor, quads = selection_from_words(d.words(2), 6, 7)
    made["underline"] = d.annotator.add_markup(
        d.document, 2, AnnotationKind.UNDERLINE, quads, anchor, "green"
    ).uuid
    made["sticky"] = d.annotator.add_sticky_note(
        d.document, 3, (300, 400), "Call the discharge lead", "pink"
    ).uuid
    anchor, quads = selection_from_words(d.words(1), 6, 8)
    made["other"] = d.annotator.add_markup(
        other, 1, AnnotationKind.HIGHLIGHT, quads, anchor, "green", "Compare with our wards"
    ).uuid
    return made


def notes_panel(
    qtbot: QtBot, d: Desk, library: Catalogue
) -> tuple[dict[str, str], AnnotationsPanel]:
    """The notes of :func:`add_notes` and a shown panel on the desk's document."""
    entry = library.get("discharge-to-assess")
    made = add_notes(d, DocumentRef(entry.sha256, entry.id, entry.title))
    panel = AnnotationsPanel(d.store)
    qtbot.addWidget(panel)
    panel.resize(320, 600)
    panel.show()
    panel.set_document(d.document)
    return made, panel


def click_row(qtbot: QtBot, panel: AnnotationsPanel, row: int) -> None:
    index = panel.proxy.index(row, 0)
    panel.list.scrollTo(index)
    rect = panel.list.visualRect(index)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_filters_by_colour_kind_and_text_and_a_click_jumps(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, qtmodeltester: ModelTester
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        made, panel = notes_panel(qtbot, d, small_library)
        d.controller.current_document_changed.connect(panel.set_document)
        panel.jump_requested.connect(
            lambda doc_hash, doc_id, page, uuid: d.controller.go_to(doc_hash, page, uuid, doc_id)
        )
        qtmodeltester.check(panel.model)

        shown = panel.visible_annotations()
        assert [a.uuid for a in shown] == [made["highlight"], made["underline"], made["sticky"]]
        first_line = panel.proxy.index(0, 0).data().splitlines()
        assert first_line[0] == "Page 1 · Highlight · To discuss"
        assert first_line[1] == "“concentrates senior attention”"
        assert first_line[2] == "Raise at flow meeting"
        assert panel.status.text() == "3 notes"

        panel.colour.setCurrentIndex(panel.colour.findData("green"))
        assert [a.uuid for a in panel.visible_annotations()] == [made["underline"]]
        panel.colour.setCurrentIndex(0)
        panel.kind.setCurrentIndex(panel.kind.findData(AnnotationKind.STICKY_NOTE.value))
        assert [a.uuid for a in panel.visible_annotations()] == [made["sticky"]]
        panel.kind.setCurrentIndex(0)
        qtbot.keyClicks(panel.text, "flow meet")
        assert [a.uuid for a in panel.visible_annotations()] == [made["highlight"]]
        assert panel.status.text() == "1 of 3 notes"
        panel.text.clear()

        # Click the sticky note: the view goes to page 3 and the note is selected there.
        click_row(qtbot, panel, 2)
        qtbot.waitUntil(lambda: d.view.current_page() == 3, timeout=WAIT)
        selected = d.overlay.selected()
        assert selected is not None and selected.uuid == made["sticky"]

        # A new note appears in the list without asking.
        d.annotator.add_sticky_note(d.document, 2, (100, 700), "Later")
        qtbot.waitUntil(lambda: len(panel.visible_annotations()) == 4, timeout=WAIT)


def test_the_library_wide_list_and_opening_another_document(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        made, panel = notes_panel(qtbot, d, small_library)
        panel.set_scope(ALL_DOCUMENTS)
        assert len(panel.visible_annotations()) == 4
        texts = [panel.proxy.index(r, 0).data() for r in range(4)]
        assert texts[0].startswith("Discharge to Assess\nPage 1 · Highlight · Evidence")
        qtbot.keyClicks(panel.text, "wards")
        assert [a.uuid for a in panel.visible_annotations()] == [made["other"]]
        panel.jump_requested.connect(
            lambda doc_hash, doc_id, page, uuid: d.controller.go_to(doc_hash, page, uuid, doc_id)
        )
        with qtbot.waitSignal(d.controller.open_requested, timeout=WAIT) as opened:
            click_row(qtbot, panel, 0)
        assert opened.args == ["discharge-to-assess", 1]
