"""Session plans: stops across documents, edited with undo, stored, carried in packs."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecip_reader.errors import UserError
from ecip_reader.paths import AppPaths
from ecip_reader.userdata import Annotator, DocumentRef
from ecip_reader.userdata.names import pack_identity
from ecip_reader.userdata.pack_format import PackError
from ecip_reader.userdata.packs import build_pack, import_pack, write_pack
from ecip_reader.userdata.reattaching import reattach
from ecip_reader.userdata.schema import MIGRATIONS
from ecip_reader.userdata.session_editing import IMPORTED_PLAN, SessionEditor
from ecip_reader.userdata.store import StoreEvent, UserDataStore
from tests.userdata.helpers import DOC, OTHER_DOC

THIRD = DocumentRef("c3" * 32, "single-point-of-access", "A Single Point of Access")


@pytest.fixture
def editor(annotator: Annotator) -> SessionEditor:
    return SessionEditor(annotator)


def _stops(editor: SessionEditor, uuid: str) -> list[tuple[str, int, str]]:
    return [(s.doc_hash[:2], s.page, s.note) for s in editor.plan(uuid).stops]


def test_a_plan_is_built_reordered_and_every_step_undone(
    editor: SessionEditor, annotator: Annotator, store: UserDataStore
) -> None:
    events: list[StoreEvent] = []
    store.subscribe(events.append)
    plan = editor.create("Ward 7 — session 2")
    first = editor.add_stop(plan.uuid, DOC, 3, note="Open with the weekend gap")
    editor.add_stop(plan.uuid, OTHER_DOC, 1, region=(300, 400, 100, 200), label="the rota")
    editor.add_stop(plan.uuid, THIRD, 2, index=0)
    assert events[-1].sessions and THIRD.hash in events[-1].doc_hashes
    assert _stops(editor, plan.uuid) == [
        (THIRD.hash[:2], 2, ""),
        (DOC.hash[:2], 3, "Open with the weekend gap"),
        (OTHER_DOC.hash[:2], 1, ""),
    ]
    region_stop = editor.plan(plan.uuid).stops[2]
    assert (region_stop.region, region_stop.label) == ((100.0, 200.0, 300.0, 400.0), "the rota")
    assert store.document(THIRD.hash) == THIRD  # the stop's document is recorded

    editor.move_stop(plan.uuid, first.uuid, 0)
    editor.set_stop_note(plan.uuid, first.uuid, "Start here\r\nthen ask")
    editor.remove_stop(plan.uuid, region_stop.uuid)
    assert _stops(editor, plan.uuid) == [
        (DOC.hash[:2], 3, "Start here\nthen ask"),
        (THIRD.hash[:2], 2, ""),
    ]
    history = annotator.history
    assert history.undo_label == "Remove stop"
    history.undo()
    assert len(editor.plan(plan.uuid).stops) == 3
    assert editor.plan(plan.uuid).stops[2] == region_stop
    history.undo()
    history.undo()
    assert _stops(editor, plan.uuid)[0] == (THIRD.hash[:2], 2, "")
    editor.rename(plan.uuid, "  Ward 7\n— session 3 ")
    assert editor.plan(plan.uuid).name == "Ward 7 — session 3"
    editor.delete(plan.uuid)
    assert store.sessions() == []
    history.undo()
    assert store.sessions()[0].name == "Ward 7 — session 3"


def test_a_plan_survives_closing_and_reopening_the_store(
    editor: SessionEditor, app_paths: AppPaths
) -> None:
    plan = editor.create("Kept")
    editor.add_stop(plan.uuid, DOC, 4, region=(10, 20, 110, 220), note="Zoom on the chart")
    editor.store.close()
    with UserDataStore.open(app_paths) as reopened:
        (kept,) = reopened.sessions()
        assert (kept.name, kept.author) == ("Kept", "Alice Example")
        assert [(s.page, s.region, s.note) for s in kept.stops] == [
            (4, (10.0, 20.0, 110.0, 220.0), "Zoom on the chart")
        ]


def test_bad_stops_are_refused_with_a_sentence(editor: SessionEditor) -> None:
    plan = editor.create("Checked")
    with pytest.raises(UserError, match=r"^A region must lie on a page"):
        editor.add_stop(plan.uuid, DOC, 1, region=(0, 0, 99_999, 10))
    with pytest.raises(UserError, match=r"^A region must be at least 4 points on each side"):
        editor.add_stop(plan.uuid, DOC, 1, region=(10, 10, 11, 11))
    assert editor.plan(plan.uuid).stops == ()


def test_a_version_3_database_gets_sessions_and_its_layers_keep_their_pack(
    app_paths: AppPaths,
) -> None:
    conn = sqlite3.connect(app_paths.database, isolation_level=None)
    try:
        for version in (1, 2, 3):
            conn.execute("BEGIN")
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        conn.execute(
            "INSERT INTO layers(id, name, source, imported_at, visible) "
            "VALUES (1, 'Dr A. Trainer', 'old.json', '2025-01-01T00:00:00Z', 1)"
        )
    finally:
        conn.close()
    with UserDataStore.open(app_paths) as store:
        assert store.query("PRAGMA user_version") == [(4,)]
        (layer,) = store.layers()
        assert layer.pack_id == pack_identity("Dr A. Trainer", "")
        assert layer.author == "Dr A. Trainer"
        assert store.sessions() == []
        assert store.query("PRAGMA foreign_key_check") == []


def test_stops_follow_a_reissued_document(editor: SessionEditor, store: UserDataStore) -> None:
    plan = editor.create("Moves")
    editor.add_stop(plan.uuid, DOC, 5)
    editor.add_stop(plan.uuid, OTHER_DOC, 2)
    new_hash = "d4" * 32
    reattach(store, DOC.hash, new_hash, ["page one", "page two", "page three"])
    assert [(s.doc_hash, s.page) for s in editor.plan(plan.uuid).stops] == [
        (new_hash, 3),
        (OTHER_DOC.hash, 2),
    ]


# -- in a notes pack -----------------------------------------------------------------------


@pytest.fixture
def attendee(tmp_path: Path) -> Iterator[Annotator]:
    paths = AppPaths.from_environment(tmp_path / "attendee-home")
    paths.ensure()
    store = UserDataStore.open(paths)
    annotator = Annotator(store, "Attendee")
    yield annotator
    annotator.history.close()
    store.close()


def test_a_plan_of_six_stops_across_three_documents_reaches_an_attendee_in_a_pack(
    editor: SessionEditor, attendee: Annotator, tmp_path: Path
) -> None:
    plan = editor.create("Ward 7 — session 2")
    for doc, page, region, note in (
        (DOC, 1, None, "Welcome"),
        (DOC, 3, (72, 300, 520, 420), "The weekend gap"),
        (OTHER_DOC, 2, None, ""),
        (THIRD, 1, (50, 50, 300, 200), "One number to call"),
        (OTHER_DOC, 4, None, "Discharge by noon"),
        (DOC, 6, None, "Questions"),
    ):
        editor.add_stop(plan.uuid, doc, page, region=region, note=note)
    trainer_plan = editor.plan(plan.uuid)
    path = tmp_path / "ward7.json"
    pack = build_pack(
        editor.store, "Dr A. Trainer", name="Ward 7 — session 2", sessions=[trainer_plan]
    )
    write_pack(pack, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 3  # session plans need version 3; older packs stay older
    assert set(data["documents"]) == {DOC.hash, OTHER_DOC.hash, THIRD.hash}

    result = import_pack(attendee.store, path)
    assert result.summary == ("Imported “Ward 7 — session 2” from Dr A. Trainer: 1 session plan.")
    (theirs,) = attendee.store.sessions()
    assert result.layer is not None and theirs.layer_id == result.layer.id
    assert theirs.stops == trainer_plan.stops
    assert (theirs.name, theirs.author) == ("Ward 7 — session 2", "Alice Example")

    # The attendee cannot change the trainer's plan, but can copy it and change the copy.
    theirs_editor = SessionEditor(attendee)
    with pytest.raises(UserError) as caught:
        theirs_editor.remove_stop(theirs.uuid, theirs.stops[0].uuid)
    assert str(caught.value) == IMPORTED_PLAN
    copy = theirs_editor.copy(theirs.uuid)
    assert copy.is_own and [s.page for s in copy.stops] == [1, 3, 2, 1, 4, 6]
    theirs_editor.remove_stop(copy.uuid, copy.stops[0].uuid)

    # Importing the pack again changes nothing; removing the layer takes its plan, undo brings it.
    again = import_pack(attendee.store, path)
    assert (again.added, again.unchanged) == (0, 1)
    attendee.remove_layer(result.layer.id)
    assert [p.name for p in attendee.store.sessions()] == ["Ward 7 — session 2 (copy)"]
    attendee.history.undo()
    assert len(attendee.store.sessions()) == 2


def test_hiding_a_layer_hides_its_plans(
    editor: SessionEditor, attendee: Annotator, tmp_path: Path
) -> None:
    plan = editor.create("Hidden with its layer")
    editor.add_stop(plan.uuid, DOC, 2)
    path = tmp_path / "p.json"
    write_pack(build_pack(editor.store, "T", name="P", sessions=[editor.plan(plan.uuid)]), path)
    layer = import_pack(attendee.store, path).layer
    assert layer is not None
    attendee.store.set_layer_visible(layer.id, False)
    assert attendee.store.sessions() == []
    assert len(attendee.store.sessions(include_hidden=True)) == 1


def _plan_pack(stop: dict[str, object], version: int = 3) -> str:
    stamp = "2025-05-01T09:30:00.000Z"
    return json.dumps(
        {
            "format": "ecip-notes-pack",
            "version": version,
            "author": "T",
            "created": stamp,
            "documents": {DOC.hash: {"id": "d", "title": "D"}},
            "sessions": [
                {
                    "uuid": "0f4e9a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
                    "name": "Plan",
                    "created": stamp,
                    "modified": stamp,
                    "stops": [
                        {"uuid": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "doc": DOC.hash, **stop}
                    ],
                }
            ],
        }
    )


@pytest.mark.parametrize(
    ("stop", "version", "problem"),
    [
        ({"page": 0}, 3, "session plan 1: stop 1: 'page' must be a whole number from 1"),
        (
            {"page": 1, "region": [0, 0, 10]},
            3,
            "session plan 1: stop 1: a region must be four numbers: x0, y0, x1, y1",
        ),
        ({"page": 1, "region": "all"}, 3, "'region' must be null or a list of 4 numbers"),
        ({"page": 1}, 2, "session plans need pack version 3"),
    ],
)
def test_bad_plans_in_a_pack_are_refused_with_a_sentence(
    store: UserDataStore, tmp_path: Path, stop: dict[str, object], version: int, problem: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(_plan_pack(stop, version), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        import_pack(store, path)
    assert problem in str(caught.value)
    assert str(caught.value).startswith("The notes pack plan.json is not valid: ")
    assert store.layers() == [] and store.sessions(include_hidden=True) == []
