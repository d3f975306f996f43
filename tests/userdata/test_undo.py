"""Undo and redo for every kind of annotation and bookmark change."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ecip_reader.errors import StorageError
from ecip_reader.paths import AppPaths
from ecip_reader.userdata import (
    AnnotationKind,
    Annotator,
    Bookmark,
    UndoHistory,
    UserDataStore,
)
from ecip_reader.userdata.pack_format import Pack
from ecip_reader.userdata.packs import build_pack, import_pack, pack_to_json, write_pack
from tests.userdata.helpers import DOC, highlight


def state(store: UserDataStore) -> tuple[Any, ...]:
    """Everything a user could see: notes, bookmarks, colour names, layers (hidden too)."""
    return (
        store.annotations(include_hidden=True),
        store.bookmarks(include_hidden=True),
        store.palette(),
        store.layers(),
    )


def _import_layer(annotator: Annotator, tmp_path: Path) -> int:
    """A layer of two notes and a bookmark by another author, imported from a pack."""
    other = Annotator(annotator.store, "Bob Trainer", UndoHistory(annotator.store))
    highlight(other, quote="escalation plan", note="Ask about this")
    other.add_bookmark(DOC, 2, "Their bookmark")
    pack = build_pack(annotator.store, "Bob Trainer")
    path = tmp_path / "bob.json"
    write_pack(pack, path)
    for a in pack.annotations:
        other.delete(a.uuid)
    for b in pack.bookmarks:
        other.delete_bookmark(b.uuid)
    other.history.close()
    return import_pack(annotator.store, path).layer.id


def _first_note(a: Annotator) -> str:
    return a.store.annotations()[0].uuid


def _first_bookmark(a: Annotator) -> str:
    return a.store.bookmarks()[0].uuid


def _markup(a: Annotator, _tmp: Path) -> None:
    highlight(a, note="old note")


def _sticky(a: Annotator, _tmp: Path) -> None:
    a.add_sticky_note(DOC, 1, (50.0, 60.0), "note")


def _bookmark(a: Annotator, _tmp: Path) -> None:
    a.add_bookmark(DOC, 3, "Here")


Step = Callable[[Annotator, Path], Any]

# name -> (set-up, the action, the label Undo shows)
ACTIONS: dict[str, tuple[Step | None, Step, str]] = {
    "add highlight": (None, lambda a, _t: highlight(a), "Add highlight"),
    "add underline": (
        None,
        lambda a, _t: highlight(a, kind=AnnotationKind.UNDERLINE),
        "Add underline",
    ),
    "add strike-through": (
        None,
        lambda a, _t: highlight(a, kind=AnnotationKind.STRIKE_THROUGH),
        "Add strike-through",
    ),
    "add sticky note": (None, _sticky, "Add sticky note"),
    "change colour": (
        _markup,
        lambda a, _t: a.set_colour(_first_note(a), "purple"),
        "Change colour",
    ),
    "edit note": (_markup, lambda a, _t: a.set_note(_first_note(a), "new\nnote"), "Edit note"),
    "clear note": (_markup, lambda a, _t: a.set_note(_first_note(a), ""), "Edit note"),
    "move sticky note": (
        _sticky,
        lambda a, _t: a.move_sticky_note(_first_note(a), (300.0, 400.0)),
        "Move sticky note",
    ),
    "delete highlight": (_markup, lambda a, _t: a.delete(_first_note(a)), "Delete highlight"),
    "delete sticky note": (_sticky, lambda a, _t: a.delete(_first_note(a)), "Delete sticky note"),
    "add bookmark": (None, _bookmark, "Add bookmark"),
    "rename bookmark": (
        _bookmark,
        lambda a, _t: a.rename_bookmark(_first_bookmark(a), "There"),
        "Rename bookmark",
    ),
    "delete bookmark": (
        _bookmark,
        lambda a, _t: a.delete_bookmark(_first_bookmark(a)),
        "Delete bookmark",
    ),
    "rename colour": (None, lambda a, _t: a.rename_colour("red", "urgent"), "Rename colour"),
    "remove layer": (
        _import_layer,
        lambda a, _t: a.remove_layer(a.store.layers()[0].id),
        "Remove notes of Bob Trainer",
    ),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_undo_restores_and_redo_repeats_every_change(
    annotator: Annotator, tmp_path: Path, app_paths: AppPaths, name: str
) -> None:
    prepare, act, expected_label = ACTIONS[name]
    if prepare is not None:
        prepare(annotator, tmp_path)
        annotator.history.clear()
    before = state(annotator.store)
    act(annotator, tmp_path)
    after = state(annotator.store)
    assert after != before

    history = annotator.history
    assert history.can_undo and not history.can_redo
    assert history.undo_label == expected_label
    assert history.undo() == expected_label
    assert state(annotator.store) == before
    assert history.can_redo and not history.can_undo
    assert history.redo_label == expected_label
    assert history.redo() == expected_label
    assert state(annotator.store) == after
    # What undo restores is saved, not just remembered: a fresh store sees it too.
    history.undo()
    with UserDataStore.open(app_paths) as fresh:
        assert state(fresh) == before


def test_undo_of_a_layer_removal_brings_back_every_note_of_the_layer(
    annotator: Annotator, tmp_path: Path
) -> None:
    layer_id = _import_layer(annotator, tmp_path)
    annotator.history.clear()
    assert len(annotator.store.annotations(layer_id=layer_id)) == 1
    annotator.remove_layer(layer_id)
    assert annotator.store.annotations() == [] and annotator.store.layers() == []
    assert annotator.store.search_text("escalation") == []
    annotator.history.undo()
    assert [a.note for a in annotator.store.annotations(layer_id=layer_id)] == ["Ask about this"]
    assert [b.label for b in annotator.store.bookmarks(layer_id=layer_id)] == ["Their bookmark"]
    assert [h.annotation.note for h in annotator.store.search_text("escalation")] == [
        "Ask about this"
    ]


def test_undo_steps_back_through_several_actions_in_order(annotator: Annotator) -> None:
    history = annotator.history
    made = highlight(annotator)
    annotator.set_colour(made.uuid, "green")
    annotator.set_note(made.uuid, "why?")
    assert history.undo() == "Edit note"
    assert annotator.store.annotation(made.uuid).note == ""  # type: ignore[union-attr]
    assert history.undo() == "Change colour"
    assert annotator.store.annotation(made.uuid).colour == "yellow"  # type: ignore[union-attr]
    assert history.undo() == "Add highlight"
    assert annotator.store.annotations() == []
    assert history.undo() is None
    assert history.redo() == "Add highlight"
    # A new action after an undo drops what could have been redone.
    annotator.add_bookmark(DOC, 1)
    assert not history.can_redo
    assert history.redo() is None


def test_history_listeners_are_told_when_to_refresh_menus(annotator: Annotator) -> None:
    calls: list[tuple[str | None, str | None]] = []
    history = annotator.history
    history.subscribe(lambda: calls.append((history.undo_label, history.redo_label)))
    highlight(annotator)
    history.undo()
    history.redo()
    assert calls == [("Add highlight", None), (None, "Add highlight"), ("Add highlight", None)]


def test_history_is_bounded(store: UserDataStore) -> None:
    annotator = Annotator(store, "Alice", UndoHistory(store, limit=3))
    for page in range(1, 6):
        annotator.add_bookmark(DOC, page)
    undone = 0
    while annotator.history.undo():
        undone += 1
    assert undone == 3
    assert [b.page for b in store.bookmarks()] == [1, 2]
    annotator.history.close()


def test_an_action_that_cannot_be_saved_is_not_recorded(
    annotator: Annotator, app_paths: AppPaths
) -> None:
    highlight(annotator)
    annotator.store.close()
    with UserDataStore.open(app_paths, read_only=True) as read_only:
        stuck = Annotator(read_only, "Alice")
        with pytest.raises(StorageError):
            highlight(stuck, quote="discharge")
        assert not stuck.history.can_undo
        assert [a.quote for a in read_only.annotations()] == ["patient flow"]
        stuck.history.close()


def test_changes_made_outside_the_history_clear_it(annotator: Annotator, tmp_path: Path) -> None:
    highlight(annotator)
    assert annotator.history.can_undo
    path = tmp_path / "pack.json"
    stamp = "2025-05-01T09:00:00Z"
    theirs = Bookmark(
        "7d1c0a6e-4a8b-4f4e-9d3e-2c6b5a4f3e21", DOC.hash, 2, "Carol's", "Carol", stamp, stamp
    )
    pack = Pack("Carol", stamp, {DOC.hash: DOC}, (), (theirs,))
    path.write_text(json.dumps(pack_to_json(pack)), encoding="utf-8")
    import_pack(annotator.store, path)
    assert not annotator.history.can_undo and not annotator.history.can_redo
