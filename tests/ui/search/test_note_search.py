"""The main search finds the reader's own notes and highlighted passages ("your note")."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.notes.integration import NotesFeature
from ecip_reader.ui.search.results import HtmlRole, PageRole
from ecip_reader.ui.tasks import TaskRunner
from ecip_reader.userdata import AnnotationKind, DocumentRef, TextAnchor, UserDataStore
from tests.support.window import WAIT, Session, open_session

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support activ")


def ready_session(qtbot: QtBot, paths: AppPaths, library: Catalogue) -> Session:
    session = open_session(qtbot, paths, library, tasks=TaskRunner(max_threads=2))
    host = session.services.search
    qtbot.waitUntil(lambda: host.state != "preparing", timeout=WAIT * 2)
    assert host.state == "ready", host.text
    return session


def highlight_with_note(feature: NotesFeature, library: Catalogue) -> None:
    entry = library.get("perfect-week")
    document = DocumentRef(entry.sha256, entry.id, entry.title)
    feature.annotator.add_markup(
        document,
        2,
        AnnotationKind.HIGHLIGHT,
        [(72.0, 90.0, 300.0, 110.0)],
        TextAnchor("Ward teams review every patient"),
        note="Ask the matron about the huddle checklist",
    )


def rows_of(session: Session) -> list[tuple[str, list[str]]]:
    model = session.window.search_panel.model
    rows = []
    for row in range(model.rowCount()):
        doc = model.index(row, 0)
        pages = [str(model.index(r, 0, doc).data()) for r in range(model.rowCount(doc))]
        rows.append((str(doc.data(HtmlRole)), pages))
    return rows


def search(qtbot: QtBot, session: Session, text: str) -> None:
    panel = session.window.search_panel
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT):
        panel.set_query(text)
        panel.search_now()


def test_a_word_of_my_note_finds_it_and_opens_its_page(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = ready_session(qtbot, app_paths, small_library)
    window = session.window
    feature = NotesFeature.create(window)
    try:
        panel = window.search_panel
        assert panel.only_notes.isVisibleTo(panel)
        highlight_with_note(feature, small_library)
        search(qtbot, session, "huddle")  # only in the note, not in any document
        ((doc_html, pages),) = rows_of(session)
        assert "your note" in doc_html and "Making every week a Perfect Week" in doc_html
        assert pages == ["Page 2 (your note): Ask the matron about the huddle checklist"]
        assert "1 of them your note" in panel.status.text()
        note_row = panel.model.index(0, 0, panel.model.index(0, 0))
        assert note_row.data(PageRole) == 2
        panel.tree.clicked.emit(note_row)
        tab = window.tabs.current_tab()
        assert tab is not None and tab.doc_id == "perfect-week" and tab.view is not None
        view = tab.view
        qtbot.waitUntil(lambda: view.page_count() > 0 and view.current_page() == 2, timeout=WAIT)
        # A word of the highlighted passage finds the note and the documents' pages.
        search(qtbot, session, "ward")
        rows = rows_of(session)
        assert "your note" in rows[0][0]
        assert len(rows) > 1 and all("your note" not in html for html, _ in rows[1:])
    finally:
        session.close()
        feature.close()


def test_only_my_notes_hides_the_documents_hits(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = ready_session(qtbot, app_paths, small_library)
    window = session.window
    feature = NotesFeature.create(window)
    try:
        panel = window.search_panel
        highlight_with_note(feature, small_library)
        search(qtbot, session, "patient")
        assert len(rows_of(session)) > 1  # the documents' pages and the note
        with qtbot.waitSignal(panel.results_shown, timeout=WAIT):
            panel.only_notes.click()
        ((doc_html, pages),) = rows_of(session)
        assert "your note" in doc_html and pages[0].startswith("Page 2 (your note)")
        search(qtbot, session, "escalation")  # in a document, in no note
        assert rows_of(session) == []
        assert "None of your notes mention" in panel.status.text()
        with qtbot.waitSignal(panel.results_shown, timeout=WAIT):
            panel.only_notes.click()
        assert len(rows_of(session)) == 1 and "your note" not in rows_of(session)[0][0]
    finally:
        session.close()
        feature.close()
    # Without the notes feature the option is not offered.
    assert not panel.only_notes.isVisibleTo(panel)


def test_a_search_among_hundreds_of_notes_gives_the_best_fifty(app_paths: AppPaths) -> None:
    with UserDataStore.open(app_paths) as store:
        from ecip_reader.userdata import Annotator

        annotator = Annotator(store, "Timing")
        document = DocumentRef("f" * 64, "timing", "Timing")
        for number in range(300):
            annotator.add_markup(
                document,
                1 + number % 20,
                AnnotationKind.HIGHLIGHT,
                [(72.0, 90.0, 300.0, 110.0)],
                TextAnchor(f"passage {number} about patient flow and discharge"),
                note=f"note {number}: follow up with the ward sister",
            )
        found = store.search_text("ward sister", 50)
        assert len(found) == 50
        assert all("ward sister" in hit.annotation.note for hit in found)
