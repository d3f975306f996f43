"""The library model and its filters: what the user sees when narrowing the library."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from ecip_reader.library.catalogue import Catalogue, CatalogueEntry
from ecip_reader.ui.library.model import (
    DocIdRole,
    LibraryFilter,
    LibraryModel,
    ProgressRole,
    SortRole,
    describe_last_read,
)


def entries(small_library: Catalogue) -> list[CatalogueEntry]:
    base = list(small_library)
    # A fourth entry that shares an organisation with no one and a topic with another.
    extra = replace(
        base[1],
        id="extra",
        title="Trusted Assessor in care homes",
        organisation="Sample Care Home Partnership",
        programme="Other programme",
        kind="supporting-document",
        topics=("discharge", "care homes"),
    )
    return [*base, extra]


@pytest.fixture
def proxy(small_library: Catalogue) -> LibraryFilter:
    model = LibraryModel(entries(small_library))
    proxy = LibraryFilter()
    proxy.setSourceModel(model)
    return proxy


def shown_ids(proxy: LibraryFilter) -> list[str]:
    return sorted(str(proxy.index(r, 0).data(DocIdRole)) for r in range(proxy.rowCount()))


def test_models_pass_the_model_tester(qtmodeltester: ModelTester, proxy: LibraryFilter) -> None:
    qtmodeltester.check(proxy.sourceModel())
    proxy.set_facet("kind", "case-study")
    proxy.set_text("discharge")
    qtmodeltester.check(proxy)


def test_columns_show_what_a_reader_looks_for(small_library: Catalogue) -> None:
    model = LibraryModel(list(small_library))
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Title",
        "Organisation",
        "Kind",
        "Programme",
        "Pages",
        "Last read",
    ]
    row = model.row_of("breaking-the-cycle")
    assert model.index(row, LibraryModel.KIND).data() == "Presentation"
    assert model.index(row, LibraryModel.PAGES).data() == 2
    assert model.index(row, LibraryModel.LAST_READ).data() == ""


def test_facets_combine_and_counts_follow(proxy: LibraryFilter) -> None:
    assert proxy.rowCount() == 4
    proxy.set_facet("topic", "discharge")
    assert shown_ids(proxy) == ["discharge-to-assess", "extra"]
    # Counts of another facet honour the topic filter already chosen.
    assert dict(proxy.facet_counts("kind")) == {
        "case-study": 1,
        "supporting-document": 1,
        "presentation": 0,
    }
    proxy.set_facet("kind", "supporting-document")
    assert shown_ids(proxy) == ["extra"]
    # Counts of the topic facet ignore the topic choice itself, so other topics stay reachable.
    topics = dict(proxy.facet_counts("topic"))
    assert topics["discharge"] == 1 and topics["care homes"] == 1 and topics["escalation"] == 0
    proxy.set_facet("kind", None)
    assert shown_ids(proxy) == ["discharge-to-assess", "extra"]


def test_text_filter_matches_every_word_anywhere(proxy: LibraryFilter) -> None:
    proxy.set_text("perfect")
    assert shown_ids(proxy) == ["perfect-week"]
    proxy.set_text("england cycle")
    assert shown_ids(proxy) == ["breaking-the-cycle"]
    proxy.set_text("PARTNERSHIP care")
    assert shown_ids(proxy) == ["extra"]
    proxy.set_text("nowhere-to-be-found")
    assert shown_ids(proxy) == []


def test_filters_round_trip_as_a_setting(proxy: LibraryFilter) -> None:
    proxy.set_facet("kind", "case-study")
    proxy.set_text("  week ")
    saved = proxy.filters()
    assert saved == {"kind": "case-study", "text": "week"}
    proxy.clear()
    assert proxy.rowCount() == 4
    proxy.set_filters({**saved, "unknown": "x", "programme": 3})
    assert shown_ids(proxy) == ["perfect-week"]
    assert proxy.filters() == saved


def test_sorting_by_pages_is_numeric(proxy: LibraryFilter) -> None:
    proxy.sort(LibraryModel.PAGES, Qt.SortOrder.DescendingOrder)
    first = proxy.index(0, LibraryModel.PAGES)
    assert first.data() == 3
    assert isinstance(first.data(SortRole), int)


def test_reading_progress_and_last_read(small_library: Catalogue) -> None:
    model = LibraryModel(list(small_library))
    now = time.time()
    model.set_reading({"perfect-week": now}, {"perfect-week": 2 / 3})
    row = model.row_of("perfect-week")
    assert model.index(row, LibraryModel.LAST_READ).data() == "Today"
    assert model.index(row, 0).data(ProgressRole) == pytest.approx(2 / 3)
    other = model.row_of("discharge-to-assess")
    assert model.index(other, 0).data(ProgressRole) is None


def test_last_read_wording() -> None:
    day = 86_400.0
    now = 1_700_000_000.0
    assert describe_last_read(None, now) == ""
    assert describe_last_read(now - 60, now) == "Today"
    assert describe_last_read(now - day, now) == "Yesterday"
    assert describe_last_read(now - 3 * day, now) == "3 days ago"
    assert describe_last_read(now - 30 * day, now).endswith("2023")


def test_a_document_with_no_organisation_is_no_organisation_value(
    small_library: Catalogue,
) -> None:
    """ "Not named" is shown as such, never offered as if it were an organisation."""
    unnamed = replace(small_library.entries[0], organisation="", angle="the wards")
    model = LibraryModel([unnamed, *list(small_library)[1:]])
    proxy = LibraryFilter()
    proxy.setSourceModel(model)
    organisations = [value for value, _count in proxy.facet_counts("organisation")]
    assert "" not in organisations
    assert len(organisations) == len(small_library) - 1
    row = model.row_of(unnamed.id)
    assert model.index(row, LibraryModel.ORGANISATION).data() == "Organisation not named"
    assert model.index(row, LibraryModel.TITLE).data() == (
        f"{unnamed.title} — editorial angle of this summary edition: the wards"
    )


def test_the_filter_text_finds_an_organisation_by_another_spelling(
    small_library: Catalogue,
) -> None:
    first = replace(small_library.entries[0], organisation_aliases=("Sample Hospital NHS FT",))
    proxy = LibraryFilter()
    proxy.setSourceModel(LibraryModel([first, *list(small_library)[1:]]))
    proxy.set_text("sample hospital")
    assert shown_ids(proxy) == [first.id]
