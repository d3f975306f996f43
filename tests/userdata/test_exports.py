"""Markdown and CSV exports, and the policy that can turn exports off."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ecip_reader.paths import AppPaths
from ecip_reader.settings import Settings, load_policy
from ecip_reader.userdata import AnnotationKind, Annotator, DocumentRef
from ecip_reader.userdata.exporting import (
    CSV_COLUMNS,
    ExportNotAllowed,
    collect,
    ensure_export_allowed,
    to_csv,
    to_markdown,
)
from tests.userdata.helpers import DOC, OTHER_DOC, highlight


@pytest.fixture
def notes(annotator: Annotator) -> Annotator:
    annotator.rename_colour("yellow", "to discuss")
    annotator.rename_colour("green", "evidence")
    highlight(annotator, quote="patient flow", page=2, note="Ask the site team\nabout weekends")
    highlight(
        annotator,
        quote="board rounds",
        page=1,
        colour="green",
        kind=AnnotationKind.UNDERLINE,
        note="=HYPERLINK(1)",
    )
    annotator.add_sticky_note(OTHER_DOC, 3, (40.0, 50.0), "# not a heading\n> nor a quote")
    annotator.add_bookmark(DOC, 4, "Questions for discussion")
    return annotator


def test_markdown_groups_by_document_and_page_with_quote_and_note(notes: Annotator) -> None:
    text = to_markdown(notes.store, collect(notes.store))
    lines = text.splitlines()
    assert lines[0] == "# Notes"
    # Documents sorted by title; pages in order within each.
    assert lines.index("## Discharge to Assess") < lines.index(
        "## Making every week a Perfect Week"
    )
    perfect = text[text.index("## Making every week a Perfect Week") :]
    assert "Document id: `perfect-week`" in perfect
    assert perfect.index("### Page 1") < perfect.index("### Page 2")
    assert "- Page 4: Questions for discussion" in perfect
    page2 = perfect[perfect.index("### Page 2") :]
    assert "**Highlight · to discuss · Alice Example ·" in page2
    assert "> patient flow" in page2
    assert "Ask the site team\\\nabout weekends" in page2  # a hard line break
    page1 = perfect[perfect.index("### Page 1") : perfect.index("### Page 2")]
    assert "**Underline · evidence · Alice Example ·" in page1
    assert "> board rounds" in page1
    discharge = text[: text.index("## Making every week")]
    assert "### Page 3" in discharge
    assert "**Sticky note · Yellow" not in discharge  # the renamed colour is used
    assert "**Sticky note · to discuss" in discharge
    assert "\\# not a heading\\" in discharge and "\\> nor a quote" in discharge


def test_markdown_for_one_document_only(notes: Annotator) -> None:
    text = to_markdown(notes.store, collect(notes.store, {OTHER_DOC.hash}))
    assert "## Discharge to Assess" in text
    assert "Perfect Week" not in text and "patient flow" not in text


def test_csv_has_one_row_per_annotation_with_the_agreed_columns(notes: Annotator) -> None:
    data = to_csv(notes.store, collect(notes.store))
    rows = list(csv.DictReader(io.StringIO(data)))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert CSV_COLUMNS == (
        "document id",
        "document title",
        "page",
        "kind",
        "colour name",
        "quoted text",
        "note",
        "author",
        "created",
        "modified",
    )
    assert len(rows) == 4
    by_kind = {r["kind"]: r for r in rows}
    flow = by_kind["highlight"]
    assert flow["document id"] == "perfect-week"
    assert flow["document title"] == "Making every week a Perfect Week"
    assert (flow["page"], flow["colour name"], flow["quoted text"]) == (
        "2",
        "to discuss",
        "patient flow",
    )
    assert flow["note"] == "Ask the site team\nabout weekends"  # line break kept inside the cell
    assert flow["author"] == "Alice Example"
    assert flow["created"].endswith("Z") and flow["modified"] >= flow["created"]
    # A note that looks like a formula cannot run in a spreadsheet.
    assert by_kind["underline"]["note"] == "'=HYPERLINK(1)"
    assert by_kind["sticky-note"]["document id"] == "discharge-to-assess"
    assert by_kind["sticky-note"]["quoted text"] == ""
    assert by_kind["bookmark"]["note"] == "Questions for discussion"
    assert by_kind["bookmark"]["page"] == "4"


def test_catalogue_titles_win_over_the_recorded_ones(notes: Annotator) -> None:
    renamed = {DOC.hash: DocumentRef(DOC.hash, "perfect-week", "A Perfect Week, revised title")}
    rows = list(
        csv.DictReader(io.StringIO(to_csv(notes.store, collect(notes.store, None, renamed))))
    )
    assert {r["document title"] for r in rows} == {
        "A Perfect Week, revised title",
        "Discharge to Assess",
    }


def test_exports_are_refused_when_the_policy_says_so(app_paths: AppPaths, tmp_path: Path) -> None:
    settings = Settings(app_paths.settings_file, load_policy(app_paths.policy_file))
    ensure_export_allowed(settings)  # allowed by default
    app_paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    app_paths.policy_file.write_text("allow_export = false\n", encoding="utf-8")
    locked = Settings(app_paths.settings_file, load_policy(app_paths.policy_file))
    with pytest.raises(ExportNotAllowed) as caught:
        ensure_export_allowed(locked)
    assert str(caught.value) == "Exporting notes has been turned off by your organisation."
