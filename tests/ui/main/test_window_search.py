"""Searching from the main window with the real index: results, opening hits, F3."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.search.results import HtmlRole
from ecip_reader.ui.tasks import TaskRunner
from tests.support.window import WAIT, Session, open_session


def ready_session(qtbot: QtBot, paths: AppPaths, library: Catalogue) -> Session:
    session = open_session(qtbot, paths, library, tasks=TaskRunner(max_threads=2))
    host = session.services.search
    qtbot.waitUntil(lambda: host.state != "preparing", timeout=WAIT * 2)
    assert host.state == "ready", host.text
    return session


def search(qtbot: QtBot, session: Session, text: str) -> None:
    panel = session.window.search_panel
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT):
        qtbot.keyClicks(panel.field, text)


def test_search_is_prepared_in_the_background_with_progress(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, tasks=TaskRunner(max_threads=2), start=False
    )
    window = session.window
    states: list[str] = []
    session.services.search.state_changed.connect(lambda state, _text: states.append(state))
    window.start_background_work()
    # the window answers while the index is built
    assert window.search_panel.index_state == "preparing"
    assert "Search is being prepared" in window.work.text()
    window.search_panel.field.setText("discharge")
    window.search_panel.search_now()
    assert "Search is being prepared" in window.search_panel.status.text()
    with qtbot.waitSignal(window.search_panel.results_shown, timeout=WAIT * 2):
        pass  # the waiting query runs by itself once the index is ready
    assert states[-1] == "ready"
    assert window.search_panel.model.rowCount() >= 1
    qtbot.waitUntil(lambda: "Search is being prepared" not in window.work.text(), timeout=WAIT)
    session.close()


def test_results_are_grouped_and_a_hit_opens_at_its_page_and_f3_moves_on(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = ready_session(qtbot, app_paths, small_library)
    window = session.window
    assert window.search_dock.isHidden()
    search(qtbot, session, "ward")
    assert window.search_dock.isVisible()
    panel = window.search_panel
    model = panel.model
    # "ward" is on page 2 of three documents of the test library
    documents = {
        model.index(r, 0).data(HtmlRole).split("</div>")[0] for r in range(model.rowCount())
    }
    assert len(documents) == model.rowCount() >= 2
    assert all(
        "<b>" in model.index(0, 0, model.index(r, 0)).data(HtmlRole)
        for r in range(model.rowCount())
    )

    first_doc = model.index(0, 0)
    hit = model.index(0, 0, first_doc)
    doc_id, page = panel.model.hits[0]
    rect = panel.tree.visualRect(hit)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    tab = window.tabs.current_tab()
    assert tab is not None and tab.doc_id == doc_id
    view = tab.view
    assert view is not None
    qtbot.waitUntil(lambda: view.page_count() > 0 and view.current_page() == page, timeout=WAIT)

    window.action_map["next_hit"].trigger()
    next_doc, next_page = panel.model.hits[1]
    current = window.tabs.current_tab()
    assert current is not None and current.doc_id == next_doc
    next_view = current.view
    assert next_view is not None
    qtbot.waitUntil(
        lambda: next_view.page_count() > 0 and next_view.current_page() == next_page, timeout=WAIT
    )
    window.action_map["previous_hit"].trigger()
    back = window.tabs.current_tab()
    assert back is not None and back.doc_id == doc_id
    session.close()


def test_f3_through_hits_in_several_documents_reuses_one_tab_unless_kept(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = ready_session(qtbot, app_paths, small_library)
    window = session.window
    tabs = window.tabs
    window.open_document("discharge-to-assess")  # a document the user opened themselves
    search(qtbot, session, "ward")
    panel = window.search_panel
    hits = panel.model.hits
    documents = {doc for doc, _page in hits}
    assert len(documents) >= 2
    for _ in range(len(hits) + 2):  # F3 round every hit and further
        window.action_map["next_hit"].trigger()
        current = tabs.current_tab()
        assert current is not None and current.doc_id == hits[panel.current_hit][0]
    # One tab for the hits, beside the document the user opened: not one per document.
    ids = [t.doc_id for t in tabs.document_tabs()]
    assert len(ids) <= 2 and ids[0] == "discharge-to-assess"
    hit_tab = tabs.hit_tab
    assert hit_tab is not None and tabs.tabToolTip(tabs.indexOf(hit_tab)).endswith(
        "Double-click the tab to keep it open."
    )
    # Kept (a double-click on the tab): the next hit in another document gets a tab of its own.
    bar = tabs.tabBar()
    kept = hit_tab.doc_id
    tabs.tabBarDoubleClicked.emit(tabs.indexOf(hit_tab))
    assert tabs.hit_tab is None
    while True:
        window.action_map["next_hit"].trigger()
        if hits[panel.current_hit][0] not in (kept, "discharge-to-assess"):
            break
    assert kept in [t.doc_id for t in tabs.document_tabs()]
    assert tabs.hit_tab is tabs.current_tab()
    assert bar.count() == len(tabs.document_tabs()) + 1
    session.close()


def test_clearing_the_search_takes_its_marks_off_the_open_pages(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = ready_session(qtbot, app_paths, small_library)
    window = session.window
    panel = window.search_panel
    search(qtbot, session, "ward")
    doc_id, page = panel.model.hits[0]
    window.action_map["next_hit"].trigger()  # F3: the first hit, marked on its page
    tab = window.tabs.tab_of(doc_id)
    assert tab is not None and tab.view is not None
    view = tab.view
    canvas = view.canvas()
    qtbot.waitUntil(lambda: bool(canvas.highlight_rects(page - 1)), timeout=WAIT)
    assert view.search_terms()
    panel.field.clear()  # the clear button in the field, or Escape
    assert view.search_terms() == ()
    assert canvas.highlight_rects(page - 1) == []
    session.close()


def test_a_misspelt_query_is_corrected_in_plain_view_and_can_be_searched_as_typed(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = ready_session(qtbot, app_paths, small_library)
    panel = session.window.search_panel
    search(qtbot, session, "dischage")
    assert panel.suggestion.isVisible()
    assert "Showing results for <i>discharge</i>" in panel.suggestion.text()
    assert panel.model.rowCount() >= 1
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT):
        panel.suggestion.linkActivated.emit("as-typed")
    assert panel.field.text() == '"dischage"'
    assert panel.model.rowCount() == 0
    assert "Did you mean" in panel.suggestion.text() and "discharge" in panel.suggestion.text()
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT):
        panel.suggestion.linkActivated.emit("suggest")
    assert panel.field.text() == "discharge"
    assert not panel.suggestion.isVisible()
    assert panel.model.rowCount() >= 1
    session.close()


def test_more_like_this_comes_from_the_index(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = ready_session(qtbot, app_paths, small_library)
    window = session.window
    window.library.select("perfect-week")
    details = window.library.details
    qtbot.waitUntil(lambda: "doc:" in details.more_like_this.text(), timeout=WAIT)
    assert "Breaking the Cycle Together" in details.more_like_this.text()
    assert "doc:perfect-week" not in details.more_like_this.text()
    session.close()


def test_escape_clears_the_search_then_returns_to_the_page(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = ready_session(qtbot, app_paths, small_library)
    window = session.window
    search(qtbot, session, "ward")
    field = window.search_panel.field
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == ""
    assert window.search_dock.isHidden()
    assert window.search_panel.model.rowCount() == 0
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=WAIT)
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not field.hasFocus()
    session.close()
