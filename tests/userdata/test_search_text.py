"""Searching the user's notes and highlighted passages."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecip_reader.userdata import AnnotationKind, Annotator
from ecip_reader.userdata.pack_format import Pack
from ecip_reader.userdata.packs import import_pack, write_pack
from ecip_reader.userdata.textsearch import fts_query
from tests.userdata.helpers import DOC, OTHER_DOC, highlight


def test_notes_and_quoted_text_are_found_with_document_and_page(annotator: Annotator) -> None:
    on_note = highlight(
        annotator, quote="board rounds", page=2, note="Escalation needs a named lead"
    )
    on_quote = highlight(annotator, quote="escalation plan for the wards", page=3, doc=OTHER_DOC)
    highlight(annotator, quote="nothing relevant", note="unrelated")

    hits = annotator.store.search_text("escalation")
    assert {h.annotation.uuid for h in hits} == {on_note.uuid, on_quote.uuid}
    by_uuid = {h.annotation.uuid: h for h in hits}
    note_hit = by_uuid[on_note.uuid]
    assert (note_hit.document, note_hit.page, note_hit.source) == (DOC, 2, "note")
    assert note_hit.layer_name is None  # the user's own note
    assert ("Escalation", True) in note_hit.segments
    assert note_hit.snippet == "Escalation needs a named lead"
    assert by_uuid[on_quote.uuid].document.doc_id == "discharge-to-assess"
    assert by_uuid[on_quote.uuid].page == 3


def test_every_word_must_match_and_words_match_as_prefixes(annotator: Annotator) -> None:
    made = highlight(annotator, quote="discharge to assess", note="Home first")
    assert [h.annotation.uuid for h in annotator.store.search_text("disch home")] == [made.uuid]
    assert annotator.store.search_text("discharge hospital") == []
    assert [h.annotation.uuid for h in annotator.store.search_text('"to assess"')] == [made.uuid]
    assert annotator.store.search_text('"assess to"') == []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('flow"', 1),
        ("NEAR(flow", 0),
        ("(flow)", 1),
        ("patient AND OR", 0),
        ("patient OR nothing", 0),
        ("*", 0),
        ("-", 0),
        ("quote:flow", 0),
        ("PATIENT", 1),
        ("pätïent", 1),
        ("  ", 0),
        ("((", 0),
    ],
)
def test_typed_text_never_breaks_the_query(annotator: Annotator, query: str, found: int) -> None:
    """FTS5 operators and punctuation are plain words to the user, never syntax errors."""
    highlight(annotator, quote="patient flow")
    assert len(annotator.store.search_text(query)) == found


def test_search_sees_edits_deletions_and_undo(annotator: Annotator) -> None:
    made = highlight(annotator, note="first thoughts")
    annotator.set_note(made.uuid, "second opinion")
    assert annotator.store.search_text("thoughts") == []
    assert len(annotator.store.search_text("opinion")) == 1
    annotator.history.undo()
    assert len(annotator.store.search_text("thoughts")) == 1
    annotator.delete(made.uuid)
    assert annotator.store.search_text("thoughts") == []
    assert annotator.store.search_text("patient") == []


def test_search_can_be_limited_to_one_document(annotator: Annotator) -> None:
    highlight(annotator, note="frailty", doc=DOC)
    other = highlight(annotator, note="frailty", doc=OTHER_DOC)
    hits = annotator.store.search_text("frailty", doc_hash=OTHER_DOC.hash)
    assert [h.annotation.uuid for h in hits] == [other.uuid]
    assert len(annotator.store.search_text("frailty", limit=1)) == 1


def test_a_sticky_note_is_found_by_its_text(annotator: Annotator) -> None:
    sticky = annotator.add_sticky_note(DOC, 4, (100.0, 100.0), "Ask pharmacy about TTOs")
    (hit,) = annotator.store.search_text("pharmacy")
    assert hit.annotation.uuid == sticky.uuid
    assert hit.annotation.kind is AnnotationKind.STICKY_NOTE


def test_hidden_layers_are_left_out_of_search(annotator: Annotator, tmp_path: Path) -> None:
    theirs = highlight(annotator, note="trusted assessor model")
    pack = Pack("Bob Trainer", "2025-05-01T09:00:00Z", {DOC.hash: DOC}, (theirs,), ())
    annotator.delete(theirs.uuid)
    write_pack(pack, tmp_path / "bob.json")
    layer = import_pack(annotator.store, tmp_path / "bob.json").layer
    (hit,) = annotator.store.search_text("assessor")
    assert hit.layer_name == "Bob Trainer"
    annotator.store.set_layer_visible(layer.id, False)
    assert annotator.store.search_text("assessor") == []
    assert len(annotator.store.search_text("assessor", include_hidden=True)) == 1
    annotator.store.set_layer_visible(layer.id, True)
    assert len(annotator.store.search_text("assessor")) == 1


def test_query_building() -> None:
    assert fts_query("patient flow") == '"patient"* "flow"*'
    assert fts_query('say "to assess" now') == '"to assess" "say"* "now"*'
    assert fts_query(" -*() ") is None
