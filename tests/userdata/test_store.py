"""Every annotation and bookmark operation through the core API, and what is on disk."""

from __future__ import annotations

import sqlite3

import pytest

from ecip_reader.paths import AppPaths
from ecip_reader.settings import Settings, load_policy
from ecip_reader.userdata import (
    AnchorStatus,
    AnnotationKind,
    Annotator,
    Quad,
    StoreEvent,
    TextAnchor,
    UserDataStore,
)
from ecip_reader.userdata.models import COLOUR_KEYS
from ecip_reader.userdata.schema import CURRENT_VERSION
from tests.userdata.helpers import DOC, OTHER_DOC, highlight


def test_database_is_wal_with_foreign_keys_and_a_schema_version(
    store: UserDataStore, app_paths: AppPaths
) -> None:
    assert store.path == app_paths.database
    assert store.query("PRAGMA journal_mode") == [("wal",)]
    assert store.query("PRAGMA foreign_keys") == [(1,)]
    assert store.query("PRAGMA user_version") == [(CURRENT_VERSION,)]
    assert app_paths.database.is_file()


@pytest.mark.parametrize(
    "kind", [AnnotationKind.HIGHLIGHT, AnnotationKind.UNDERLINE, AnnotationKind.STRIKE_THROUGH]
)
def test_markup_from_a_selection_is_saved_with_everything_needed_to_anchor_it(
    annotator: Annotator, app_paths: AppPaths, kind: AnnotationKind
) -> None:
    quads = [Quad(72, 100, 300, 100, 72, 114, 300, 114), (72.0, 116.0, 150.0, 130.0)]
    anchor = TextAnchor("concentrates senior attention", "A Perfect Week", "on patient flow")
    made = annotator.add_markup(DOC, 2, kind, quads, anchor, "green", "Line one\r\nLine two")
    annotator.store.close()

    with UserDataStore.open(app_paths) as reopened:
        (saved,) = reopened.annotations(DOC.hash)
        assert saved == made
        assert saved.kind is kind
        assert saved.page == 2
        assert saved.quads == (quads[0], Quad(72.0, 116.0, 150.0, 116.0, 72.0, 130.0, 150.0, 130.0))
        assert saved.anchor == anchor
        assert saved.note == "Line one\nLine two"
        assert saved.author == "Alice Example"
        assert saved.colour == "green"
        assert saved.status is AnchorStatus.ATTACHED
        assert saved.is_own and saved.is_drawable
        assert reopened.document(DOC.hash) == DOC


def test_sticky_note_anywhere_on_a_page(annotator: Annotator) -> None:
    note = annotator.add_sticky_note(DOC, 3, (420.5, 610.0), "Bring this up\nat the huddle", "pink")
    (saved,) = annotator.store.annotations(DOC.hash, page=3)
    assert saved == note
    assert saved.kind is AnnotationKind.STICKY_NOTE
    assert saved.point == (420.5, 610.0)
    assert saved.quads == ()
    assert saved.note == "Bring this up\nat the huddle"
    moved = annotator.move_sticky_note(note.uuid, (10.0, 20.0))
    assert annotator.store.annotation(note.uuid) == moved
    assert moved.point == (10.0, 20.0)


def test_edit_colour_and_note_then_delete(annotator: Annotator) -> None:
    made = highlight(annotator)
    recoloured = annotator.set_colour(made.uuid, "blue")
    assert annotator.store.annotation(made.uuid) == recoloured
    assert recoloured.colour == "blue"
    assert recoloured.modified >= made.modified
    noted = annotator.set_note(made.uuid, "Evidence for the\nboard paper")
    assert annotator.store.annotation(made.uuid) == noted
    assert noted.note == "Evidence for the\nboard paper" and noted.colour == "blue"
    annotator.delete(made.uuid)
    assert annotator.store.annotation(made.uuid) is None
    assert annotator.store.annotations() == []


def test_annotations_come_back_in_reading_order_and_filtered(annotator: Annotator) -> None:
    lower = annotator.add_sticky_note(DOC, 1, (72.0, 700.0), "bottom")
    upper = annotator.add_sticky_note(DOC, 1, (72.0, 80.0), "top")
    second = highlight(annotator, page=2)
    elsewhere = highlight(annotator, doc=OTHER_DOC)
    store = annotator.store
    assert [a.uuid for a in store.annotations(DOC.hash)] == [upper.uuid, lower.uuid, second.uuid]
    assert [a.uuid for a in store.annotations(DOC.hash, page=2)] == [second.uuid]
    assert [a.uuid for a in store.annotations(OTHER_DOC.hash)] == [elsewhere.uuid]
    assert len(store.annotations()) == 4


def test_bookmarks_add_rename_delete(annotator: Annotator, app_paths: AppPaths) -> None:
    first = annotator.add_bookmark(DOC, 4)
    assert first.label == "Page 4"
    renamed = annotator.rename_bookmark(first.uuid, "  Questions   for discussion ")
    assert renamed.label == "Questions for discussion"
    second = annotator.add_bookmark(DOC, 2, "Context")
    assert [b.label for b in annotator.store.bookmarks(DOC.hash)] == [
        "Context",
        "Questions for discussion",
    ]
    annotator.delete_bookmark(second.uuid)
    annotator.store.close()
    with UserDataStore.open(app_paths) as reopened:
        assert [b.label for b in reopened.bookmarks()] == ["Questions for discussion"]


def test_palette_has_named_colours_the_user_can_rename(
    annotator: Annotator, app_paths: AppPaths
) -> None:
    palette = annotator.store.palette()
    assert len(palette) >= 6
    assert [c.key for c in palette] == list(COLOUR_KEYS)
    assert all(c.rgb.startswith("#") and len(c.rgb) == 7 for c in palette)
    # Out of the box, each colour is named by what it marks.
    assert [c.label for c in palette[:2]] == ["To discuss", "Evidence"]
    annotator.rename_colour("yellow", "Yellow")  # a name the user chose, even this one…
    annotator.rename_colour("green", "for the board")
    annotator.store.close()
    with UserDataStore.open(app_paths) as reopened:
        assert reopened.colour("yellow").label == "Yellow"  # …is kept
        assert reopened.colour("green").label == "for the board"
        assert reopened.colour("blue").label == "Good practice"


def test_unknown_colour_and_empty_selection_are_refused(annotator: Annotator) -> None:
    with pytest.raises(KeyError):
        highlight(annotator, colour="turquoise")
    with pytest.raises(ValueError):
        annotator.add_markup(DOC, 1, AnnotationKind.HIGHLIGHT, [], TextAnchor("x"))
    assert annotator.store.annotations() == []
    assert not annotator.history.can_undo


def test_author_comes_from_the_settings_and_the_policy_can_preset_it(
    store: UserDataStore, app_paths: AppPaths
) -> None:
    app_paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    app_paths.policy_file.write_text(
        'author_source = "fixed"\nauthor_name = "Ward 7 trainer"\nlocked = ["author_source"]\n',
        encoding="utf-8",
    )
    settings = Settings(app_paths.settings_file, load_policy(app_paths.policy_file))
    annotator = Annotator(store, settings.author_name())
    assert highlight(annotator).author == "Ward 7 trainer"
    annotator.author = "Someone Else"
    assert highlight(annotator, quote="discharge").author == "Someone Else"
    annotator.history.close()


def test_listeners_hear_which_document_changed(annotator: Annotator) -> None:
    events: list[StoreEvent] = []
    unsubscribe = annotator.store.subscribe(events.append)
    made = highlight(annotator)
    annotator.rename_colour("pink", "questions")
    annotator.delete(made.uuid)
    unsubscribe()
    highlight(annotator)
    assert [e.doc_hashes for e in events] == [{DOC.hash}, frozenset(), {DOC.hash}]
    assert [e.palette for e in events] == [False, True, False]
    assert not any(e.external for e in events)


def test_every_action_is_committed_before_it_returns(annotator: Annotator) -> None:
    """A second connection sees each change at once: nothing waits for a later commit."""
    reader = sqlite3.connect(annotator.store.path)
    try:
        made = highlight(annotator, note="first")
        assert reader.execute("SELECT note FROM annotations").fetchall() == [("first",)]
        annotator.set_note(made.uuid, "second")
        assert reader.execute("SELECT note FROM annotations").fetchall() == [("second",)]
        annotator.add_bookmark(DOC, 1)
        assert reader.execute("SELECT COUNT(*) FROM bookmarks").fetchone() == (1,)
    finally:
        reader.close()
