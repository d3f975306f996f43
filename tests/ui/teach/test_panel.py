"""The session plan's models and keys, and a broken pack imported from the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.main.actions import COMMANDS
from ecip_reader.ui.notes.commands import ANNOTATE_COMMANDS
from ecip_reader.ui.notes.integration import NotesFeature
from ecip_reader.ui.present.console_parts import StripItem, StripModel
from ecip_reader.ui.render.client import RenderClient
from ecip_reader.ui.teach.commands import TEACH_COMMANDS
from ecip_reader.ui.teach.feature import SessionFeature, stop_for
from ecip_reader.ui.teach.model import StopsModel, stop_text
from ecip_reader.userdata import AnnotationKind, DocumentRef, TextAnchor
from ecip_reader.userdata.session_plans import new_plan, new_stop
from tests.support.pdfs import write_slides_pdf
from tests.support.window import WAIT, library_only_search, open_session

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support activ")

DOC = DocumentRef("ab" * 32, "perfect-week", "Perfect Week")


def test_the_stops_model_passes_the_model_checks(qtmodeltester: ModelTester) -> None:
    plan = new_plan("Checked", "T").with_stops(
        [new_stop(DOC.hash, 1), new_stop(DOC.hash, 3, (10, 10, 200, 100), "the chart", "Ask")]
    )
    model = StopsModel(lambda: {DOC.hash: DOC})
    model.set_plan(plan)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert stop_text(2, plan.stops[1], DOC) == (
        "2. Perfect Week — page 3\n    enlarged region · “the chart” · Ask"
    )
    assert stop_text(1, plan.stops[0], None) == f"1. {DOC.hash[:12]} — page 1"


def test_the_strip_model_passes_the_model_checks(
    qtmodeltester: ModelTester, qtbot: QtBot, client: RenderClient, tmp_path: Path
) -> None:
    remote = client.open_document(write_slides_pdf(tmp_path / "s.pdf", count=4))
    with qtbot.waitSignal(remote.opened, timeout=WAIT):
        pass
    model = StripModel()
    model.set_items([StripItem(remote, p, str(p + 1)) for p in range(4)], 1)
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.dataChanged, timeout=WAIT):
        model.request(0, 3)
    assert model.rowCount() == 4
    remote.close()


def test_teach_keys_clash_with_no_other_command() -> None:
    every = (*COMMANDS, *ANNOTATE_COMMANDS, *TEACH_COMMANDS)
    keys = [QKeySequence(k).toString() for c in every for k in c.shortcuts]
    assert len(keys) == len(set(keys))
    assert {QKeySequence(k).toString() for c in TEACH_COMMANDS for k in c.shortcuts} == {
        "Shift+F5",
        "Ctrl+J",
        "Ctrl+Shift+J",
    }


def test_a_stop_made_from_a_highlight_enlarges_it_with_some_room_around() -> None:
    from ecip_reader.userdata import Annotation, Quad

    highlight = Annotation(
        uuid="2b1d3c4e-5f60-4a7b-8c9d-0e1f2a3b4c5d",
        doc_hash=DOC.hash,
        page=2,
        kind=AnnotationKind.HIGHLIGHT,
        colour="yellow",
        author="T",
        created="2025-05-01T09:30:00Z",
        modified="2025-05-01T09:30:00Z",
        quads=(Quad.from_rect(100, 200, 300, 214),),
        anchor=TextAnchor("the weekend rota " * 8),
    )
    region, label = stop_for(highlight)
    # The passage with a margin, grown to a projector's 16:9 around it.
    assert region == (76.0, 137.25, 324.0, 276.75)
    assert len(label) == 80 and label.endswith("…")


def test_a_pack_with_broken_text_imported_in_the_window_gives_one_sentence(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, tmp_path: Path
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    notes = NotesFeature.create(session.window)
    plans = SessionFeature(session.window, notes)
    try:
        broken = tmp_path / "broken.json"
        broken.write_text(
            '{"format": "ecip-notes-pack", "version": 1, "author": "A\\ud800", '
            '"created": "2025-05-01T09:30:00Z", "documents": {}}',
            encoding="utf-8",
        )
        notes.import_pack(broken)
        bar = session.window.message_bar
        qtbot.waitUntil(lambda: bar.text() != "", timeout=WAIT)
        assert bar.text() == (
            "The notes pack broken.json is not valid: the text at author is not valid Unicode "
            "(it holds a lone surrogate)."
        )
        assert notes.store.layers() == []
    finally:
        plans.close()
        session.close()
        notes.close()
