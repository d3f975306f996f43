"""The library start view, driven through the real main window."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue, CatalogueEntry
from ecip_reader.paths import AppPaths
from ecip_reader.settings import Settings
from ecip_reader.ui import theme
from ecip_reader.ui.library.details import DetailsPane
from ecip_reader.ui.library.model import DocIdRole
from tests.support.notes import colour_share
from tests.support.window import WAIT, library_only_search, open_session


def visible_ids(window) -> list[str]:  # type: ignore[no-untyped-def]
    proxy = window.library_filter
    return sorted(str(proxy.index(r, 0).data(DocIdRole)) for r in range(proxy.rowCount()))


def test_start_view_is_the_library_with_every_document(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library), start=False
    )
    window = session.window
    assert window.tabs.currentWidget() is window.library
    assert window.library.count.text() == "3 documents"
    assert window.library.current_view() is window.library.grid
    assert window.library.continue_strip.isHidden()
    session.close()


def test_filters_combine_show_counts_and_survive_a_restart(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    search = library_only_search(small_library)
    session = open_session(qtbot, app_paths, small_library, search=search, start=False)
    window = session.window
    panel = window.library.filters
    assert panel.count_of("kind", "case-study") == 2
    assert panel.count_of("kind", "presentation") == 1

    panel.choose("kind", "case-study")
    assert visible_ids(window) == ["discharge-to-assess", "perfect-week"]
    assert window.library.count.text() == "2 of 3 documents"
    # the other facets now count within the case studies only
    assert panel.count_of("topic", "escalation") == 0
    assert panel.count_of("topic", "discharge") == 1

    qtbot.keyClicks(panel.text, "home")
    assert visible_ids(window) == ["discharge-to-assess"]
    assert panel.count_of("kind", "presentation") == 0

    session.close()  # closing writes the settings at once
    saved = Settings(app_paths.settings_file).get("library_filters")
    assert saved == {"kind": "case-study", "text": "home"}

    again = open_session(qtbot, app_paths, small_library, search=search, start=False)
    assert visible_ids(again.window) == ["discharge-to-assess"]
    assert again.window.library.filters.text.text() == "home"
    again.window.library_filter.clear()
    assert visible_ids(again.window) == [
        "breaking-the-cycle",
        "discharge-to-assess",
        "perfect-week",
    ]
    again.close()


def test_clicking_a_facet_value_toggles_it(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library), start=False
    )
    panel = session.window.library.filters
    item = panel._items[("kind", "presentation")]
    rect = panel.tree.visualItemRect(item)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert visible_ids(session.window) == ["breaking-the-cycle"]
    rect = panel.tree.visualItemRect(panel._items[("kind", "presentation")])
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(visible_ids(session.window)) == 3
    session.close()


def test_facet_rows_explain_themselves_and_leave_no_highlight_after_clearing(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library), start=False
    )
    library = session.window.library
    panel = library.filters
    item = panel._items[("organisation", "South Warwickshire NHS Foundation Trust")]
    item.parent().setExpanded(True)
    # A cut-off name is readable in full from its tooltip, with its count.
    assert item.toolTip(0) == "South Warwickshire NHS Foundation Trust: 1 document"
    assert item.toolTip(1) == item.toolTip(0)
    rect = panel.tree.visualItemRect(item)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert visible_ids(session.window) == ["discharge-to-assess"]
    assert item.toolTip(0).endswith("(chosen; click again to show every document)")
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert len(visible_ids(session.window)) == 3
    assert panel.tree.selectedItems() == []  # no row is left looking chosen
    assert not item.font(0).bold()
    # The filters' side can be widened: its splitter handle is wide enough to grab.
    assert library.splitter.handleWidth() >= 5
    session.close()


def test_nothing_matching_says_so_and_offers_to_clear(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library), start=False
    )
    library = session.window.library
    qtbot.keyClicks(library.filters.text, "zebra crossing")
    assert library.stack.currentWidget() is library.empty
    assert library.count.text() == "0 of 3 documents"
    session.window.action_map["clear_filters"].trigger()
    assert library.stack.currentWidget() is library.grid
    session.close()


def test_view_mode_is_remembered(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    search = library_only_search(small_library)
    session = open_session(qtbot, app_paths, small_library, search=search, start=False)
    session.window.action_map["list_view"].trigger()
    library = session.window.library
    assert library.stack.currentWidget() is library.table
    assert library.table.model().rowCount() == 3
    # sorting by a column header of the list
    library.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    assert library.table.model().index(0, 0).data(DocIdRole) == "perfect-week"
    assert library.sort.currentText() == "Sort by pages"
    session.close()
    assert Settings(app_paths.settings_file).get("library_view") == "list"
    again = open_session(qtbot, app_paths, small_library, search=search, start=False)
    assert again.window.library.stack.currentWidget() is again.window.library.table
    assert again.window.action_map["list_view"].isChecked()
    again.close()


def test_details_pane_shows_the_chosen_document(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    window = session.window
    qtbot.waitUntil(lambda: window.services.search.ready, timeout=WAIT)
    window.library.select("discharge-to-assess")
    details = window.library.details
    assert details.title.text() == "Discharge to Assess"
    assert details.angle.isHidden()  # no angle of ours for this document
    assert details.organisation.text() == "South Warwickshire NHS Foundation Trust"
    assert "Case study · 2 pages" in details.meta.text()
    assert "medically fit" in details.summary.text()
    assert details.progress_text.text() == "Not opened yet"
    assert details.open_button.text() == "Open"
    assert "Breaking the Cycle Together" in details.more_like_this.text()
    # clicking a topic filters the library by it
    chip = details.topics_layout.itemAt(0).widget()
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert window.library_filter.facet("topic") == "discharge"
    assert visible_ids(window) == ["discharge-to-assess"]
    session.close()


def test_covers_are_rendered_once_and_cached_by_content(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library), start=False
    )
    window = session.window
    assert window.thumbnails.pixmap("perfect-week") is None  # a title card until it is made
    with qtbot.waitSignal(window.thumbnails.finished, timeout=WAIT):
        window.start_background_work()
    files = sorted(p.name for p in app_paths.thumbnails.glob("*.png"))
    assert files == sorted(f"{e.sha256}.png" for e in small_library)
    cover = window.thumbnails.pixmap("perfect-week")
    assert cover is not None
    image = cover.toImage()
    assert image.width() <= 320 and image.width() * image.height() <= 160_000
    # the page is white with dark text: the cover is not a blank or a placeholder
    assert image.pixelColor(5, 5) == QColor("white")
    session.close()

    again = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library), start=False
    )
    assert again.window.thumbnails.missing() == []
    assert again.window.thumbnails.pixmap("perfect-week") is not None
    again.close()


def test_cards_with_real_covers_still_say_what_kind_of_document_they_are(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library), start=False
    )
    window = session.window
    with qtbot.waitSignal(window.thumbnails.finished, timeout=WAIT):
        window.start_background_work()
    grid = window.library.grid
    kinds = theme.colours().kinds
    for doc_id, kind in (("perfect-week", "case-study"), ("breaking-the-cycle", "presentation")):
        assert window.thumbnails.pixmap(doc_id) is not None  # the first page is the cover
        row = window.library_model.row_of(doc_id)
        index = window.library_filter.mapFromSource(window.library_model.index(row, 0))
        card = grid.viewport().grab(grid.visualRect(index)).toImage()
        top = card.copy(0, 0, card.width(), card.height() // 4)  # the top of the cover
        assert colour_share(top, kinds[kind]) > 0.03, doc_id  # its kind's badge
    session.close()


def test_a_missing_cover_is_looked_for_on_disk_once(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library), start=False
    )
    cache = session.window.thumbnails
    looked: list[str] = []
    file_of = cache.file_of

    def counting(entry: CatalogueEntry) -> Path:
        looked.append(entry.id)
        return file_of(entry)

    cache.file_of = counting  # type: ignore[method-assign]
    for _repaint in range(50):
        assert cache.pixmap("perfect-week") is None
    assert looked.count("perfect-week") == 1
    with qtbot.waitSignal(cache.finished, timeout=WAIT):
        session.window.start_background_work()
    assert cache.pixmap("perfect-week") is not None  # the new cover shows at once
    session.close()


def test_details_pane_marks_our_angle_and_an_unnamed_organisation(
    qtbot: QtBot, small_library: Catalogue
) -> None:
    entry = replace(small_library.entries[0], organisation="", angle="senior leadership")
    pane = DetailsPane(lambda _doc_id: None)
    qtbot.addWidget(pane)
    pane.set_entry(entry)
    pane.show()
    assert pane.title.text() == entry.title
    assert pane.angle.isVisible()
    assert pane.angle.text() == "Editorial angle of this summary edition: senior leadership"
    assert pane.organisation.text() == "Organisation not named"
