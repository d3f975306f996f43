"""The library list keeps its titles readable: other columns give way first."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.ui.library.columns import ColumnRule, fit_columns
from ecip_reader.ui.library.model import LibraryFilter, LibraryModel
from ecip_reader.ui.library.view import LIST_COLUMNS, LibraryPage

TITLE, ORGANISATION, KIND, PROGRAMME, PAGES, LAST_READ = range(6)


def test_the_title_gets_room_first_and_the_others_are_hidden_in_order() -> None:
    rules = [ColumnRule(200, 400, 0), ColumnRule(100, 200, 2), ColumnRule(100, 150, 1)]
    assert fit_columns(1000, rules) == [650, 200, 150]  # all preferred, the rest to the title
    assert fit_columns(560, rules) == [360, 100, 100]  # minimums, the title grows first
    assert fit_columns(450, rules) == [250, 100, 100]
    assert fit_columns(320, rules) == [220, 100, 0]  # the title has at least half, or its minimum
    assert fit_columns(150, rules) == [150, 0, 0]  # the title is never hidden: it fills the list
    # Another column is hidden before the title gets less than half the room.
    wide = [ColumnRule(100, 400, 0), ColumnRule(150, 200, 1)]
    assert fit_columns(300, wide) == [150, 150]
    assert fit_columns(290, wide) == [290, 0]


def library_page(qtbot: QtBot, library: Catalogue, width: int) -> LibraryPage:
    page = LibraryPage(LibraryModel(list(library)), LibraryFilter(), lambda _doc_id: None)
    qtbot.addWidget(page)
    page.set_view_mode("list")
    page.resize(width, 700)
    page.show()
    qtbot.waitExposed(page)
    page.select("perfect-week")  # the details pane is open beside the list
    return page


def widths(page: LibraryPage) -> list[int]:
    header: QHeaderView = page.table.horizontalHeader()
    return [0 if header.isSectionHidden(c) else header.sectionSize(c) for c in range(6)]


def test_titles_stay_readable_beside_the_details_pane(
    qtbot: QtBot, small_library: Catalogue
) -> None:
    # A maximised window on a 1366-pixel screen, with the filters and the details pane.
    page = library_page(qtbot, small_library, 1366)
    shown = widths(page)
    table = page.table.viewport().width()
    assert shown[TITLE] >= LIST_COLUMNS[TITLE].minimum and shown[TITLE] == max(shown)
    assert sum(shown) <= table  # nothing runs off to the right
    title = page.table.model().index(0, TITLE).data()
    metrics = page.table.fontMetrics()
    assert metrics.horizontalAdvance(title) + 16 <= shown[TITLE]  # the whole title is seen

    # With the search panel open too the list is narrower: columns go, the title stays.
    page.resize(1000, 700)
    qtbot.waitUntil(lambda: widths(page) != shown)
    narrow = widths(page)
    assert narrow[PROGRAMME] == 0  # hidden first
    assert narrow[TITLE] >= LIST_COLUMNS[TITLE].minimum and narrow[TITLE] == max(narrow)
    assert sum(narrow) <= page.table.viewport().width()
    # Room again: the hidden columns come back.
    page.resize(1900, 700)
    qtbot.waitUntil(lambda: all(widths(page)))
