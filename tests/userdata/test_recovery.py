"""Damaged databases, backups, restores and schema migrations."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ecip_reader.errors import StorageError
from ecip_reader.paths import AppPaths
from ecip_reader.userdata import Annotator, UserDataStore
from ecip_reader.userdata.backups import KEEP, list_backups
from ecip_reader.userdata.schema import CURRENT_VERSION
from tests.userdata.helpers import DOC, highlight


def _fill(app_paths: AppPaths, count: int = 3) -> list[str]:
    """Save ``count`` highlights with notes, close the store; returns their notes."""
    with UserDataStore.open(app_paths) as store:
        annotator = Annotator(store, "Alice")
        notes = [f"note number {i}" for i in range(count)]
        for i, note in enumerate(notes):
            highlight(annotator, quote=f"passage {i}", note=note)
        annotator.history.close()
    return notes


def _backup_names(app_paths: AppPaths) -> list[str]:
    return sorted(p.name for p in (app_paths.data / "backups").glob("*.sqlite3"))


def test_a_file_that_is_not_a_database_is_set_aside_and_the_backup_comes_back_at_once(
    app_paths: AppPaths,
) -> None:
    notes = _fill(app_paths)
    with UserDataStore.open(app_paths) as store:
        made = store.backup_now()
    backups_before = _backup_names(app_paths)
    app_paths.database.write_bytes(b"this is certainly not an SQLite database\n" * 200)

    with UserDataStore.open(app_paths) as store:
        assert store.recovery is not None
        assert store.read_only_reason is None
        newest = list_backups(app_paths.data / "backups")[0]
        assert newest.path == made
        assert store.recovery.message == (
            "Your notes database was damaged and has been set aside; all 3 notes and "
            f"bookmarks were recovered (from the backup of {newest.display_date})."
        )
        assert (store.recovery.recovered, store.recovery.lost) == (3, 0)
        assert store.recovery.newest_backup is None  # nothing left to restore by hand
        damaged = store.recovery.damaged_copy
        assert damaged is not None and damaged.name.startswith("userdata.sqlite3.damaged-")
        assert damaged.read_bytes().startswith(b"this is certainly not")
        assert set(backups_before) <= set(_backup_names(app_paths))  # backups are kept
        assert sorted(a.note for a in store.annotations()) == notes
        assert store.search_text("number")  # the full-text index came back too
        assert store.query("PRAGMA journal_mode") == [("wal",)]
        highlight(Annotator(store, "Alice"), quote="written after the damage")
        # A backup can still be restored by hand.
        store.restore_backup(made)
        assert sorted(a.note for a in store.annotations()) == notes
    with UserDataStore.open(app_paths) as reopened:
        assert sorted(a.note for a in reopened.annotations()) == notes
        assert reopened.integrity_ok()


def test_a_malformed_database_is_set_aside_and_every_readable_note_recovered(
    app_paths: AppPaths,
) -> None:
    notes = _fill(app_paths, count=200)
    data = bytearray(app_paths.database.read_bytes())
    assert len(data) > 8 * 4096
    data[4096 * 2 : 4096 * 6] = random.Random(6).randbytes(4096 * 4)  # keep the header
    app_paths.database.write_bytes(bytes(data))

    with UserDataStore.open(app_paths) as store:
        recovery = store.recovery
        assert recovery is not None
        assert recovery.message.startswith("Your notes database was damaged and has been set")
        recovered = sorted(a.note for a in store.annotations())
        assert recovery.recovered == len(recovered)
        assert recovery.recovered + recovery.lost == 200  # every note is accounted for
        assert set(recovered) <= set(notes)
        assert store.integrity_ok()


def test_opening_read_only_reports_damage_without_touching_the_file(app_paths: AppPaths) -> None:
    _fill(app_paths)
    with UserDataStore.open(app_paths) as store:
        backup = store.backup_now()
    app_paths.database.write_bytes(b"ruined" * 1000)
    with UserDataStore.open(app_paths, read_only=True) as store:
        assert store.recovery is not None
        assert store.recovery.message == (
            "Your notes database is damaged; start the reader to recover the notes that can "
            "still be read from it and from the backups."
        )
        assert store.recovery.newest_backup == backup
    assert app_paths.database.read_bytes() == b"ruined" * 1000


def test_damage_without_any_backup_says_a_new_database_was_started(app_paths: AppPaths) -> None:
    app_paths.database.write_bytes(b"\x00garbage" * 1000)
    with UserDataStore.open(app_paths) as store:
        assert store.recovery is not None
        assert store.recovery.newest_backup is None
        assert "no backup was found" in store.recovery.message


def test_backups_roll_over_keeping_the_newest_seven(app_paths: AppPaths) -> None:
    _fill(app_paths)
    made: list[Path] = []
    with UserDataStore.open(app_paths) as store:
        for _ in range(KEEP + 4):
            made.append(store.backup_now())
        kept = [b.path for b in store.backups()]
    assert len(kept) == KEEP
    assert kept == list(reversed(made))[:KEEP]
    # Each backup is a complete database in its own right.
    with sqlite3.connect(kept[0]) as copy:
        assert copy.execute("SELECT COUNT(*) FROM annotations").fetchone() == (3,)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()


def test_a_daily_backup_is_taken_on_open_when_the_newest_is_older_than_a_day(
    app_paths: AppPaths,
) -> None:
    _fill(app_paths)  # the first open of an empty database needs no backup
    assert _backup_names(app_paths) == []
    UserDataStore.open(app_paths).close()
    (first,) = list_backups(app_paths.data / "backups")
    assert first.reason == "daily"
    UserDataStore.open(app_paths).close()
    assert len(list_backups(app_paths.data / "backups")) == 1  # not twice the same day
    old = datetime.now(UTC) - timedelta(days=1, minutes=5)
    first.path.rename(
        first.path.with_name(f"userdata-{old.strftime('%Y%m%dT%H%M%S%fZ')}-daily.sqlite3")
    )
    UserDataStore.open(app_paths).close()
    backups = list_backups(app_paths.data / "backups")
    assert len(backups) == 2
    assert datetime.now(UTC) - backups[0].created < timedelta(minutes=1)


def test_restoring_a_damaged_backup_is_refused_with_a_sentence(
    store: UserDataStore, tmp_path: Path
) -> None:
    bogus = tmp_path / "userdata-20250101T000000000000Z-manual.sqlite3"
    bogus.write_bytes(b"not a backup at all" * 50)
    with pytest.raises(StorageError) as caught:
        store.restore_backup(bogus)
    assert str(caught.value) == (
        f"The backup {bogus.name} cannot be restored: it is damaged or is not a notes database."
    )
    with pytest.raises(StorageError, match="cannot be found"):
        store.restore_backup(tmp_path / "missing.sqlite3")


# The first released schema, written out by hand as a user's disk would hold it.
SCHEMA_V1 = """
CREATE TABLE documents (hash TEXT PRIMARY KEY, doc_id TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '');
CREATE TABLE palette (key TEXT PRIMARY KEY, rgb TEXT NOT NULL, label TEXT NOT NULL,
    position INTEGER NOT NULL);
CREATE TABLE annotations (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,
    doc_hash TEXT NOT NULL REFERENCES documents(hash), page INTEGER NOT NULL,
    kind TEXT NOT NULL, colour TEXT NOT NULL REFERENCES palette(key),
    quads TEXT NOT NULL DEFAULT '[]', point_x REAL, point_y REAL,
    quote TEXT NOT NULL DEFAULT '', prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL, created TEXT NOT NULL, modified TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'attached');
CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,
    doc_hash TEXT NOT NULL REFERENCES documents(hash), page INTEGER NOT NULL,
    label TEXT NOT NULL, author TEXT NOT NULL, created TEXT NOT NULL, modified TEXT NOT NULL);
INSERT INTO palette VALUES ('yellow', '#ffd84d', 'to discuss', 0), ('green', '#7ed87e', 'Green', 1),
    ('blue', '#7ab8f5', 'Blue', 2), ('pink', '#f59ac8', 'Pink', 3),
    ('orange', '#ffac59', 'Orange', 4), ('purple', '#b99cf0', 'Purple', 5),
    ('red', '#f07070', 'Red', 6), ('grey', '#b4b4b4', 'Grey', 7);
INSERT INTO documents VALUES ('{doc}', 'perfect-week', 'Perfect Week');
INSERT INTO annotations (uuid, doc_hash, page, kind, colour, quads, quote, note, author,
    created, modified) VALUES ('6f1c1f5e-2c1a-4f7a-9a57-0b7f8f3a2d11', '{doc}', 2, 'highlight',
    'yellow', '[[72,100,200,100,72,112,200,112]]', 'senior attention', 'Old note',
    'Alice', '2024-01-02T03:04:05.000Z', '2024-01-02T03:04:05.000Z');
INSERT INTO bookmarks (uuid, doc_hash, page, label, author, created, modified)
    VALUES ('0d2b7a44-5a1e-4f0e-8d7b-3c2a1b0f9e88', '{doc}', 3, 'Principles', 'Alice',
    '2024-01-02T03:04:05.000Z', '2024-01-02T03:04:05.000Z');
PRAGMA user_version = 1;
"""


def test_a_version_1_database_is_backed_up_then_migrated(app_paths: AppPaths) -> None:
    with sqlite3.connect(app_paths.database) as old:
        old.executescript(SCHEMA_V1.format(doc=DOC.hash))
    old.close()

    with UserDataStore.open(app_paths) as store:
        assert store.query("PRAGMA user_version") == [(CURRENT_VERSION,)]
        (note,) = store.annotations()
        assert (note.page, note.note, note.quote, note.layer_id) == (
            2,
            "Old note",
            "senior attention",
            None,
        )
        assert [b.label for b in store.bookmarks()] == ["Principles"]
        assert store.colour("yellow").label == "to discuss"  # the user's own name is kept
        # Colours still called by their colour get the name of what they mark.
        assert store.colour("green").label == "Evidence"
        assert store.colour("red").label == "Concern"
        assert [h.annotation.uuid for h in store.search_text("attention")] == [note.uuid]
        assert store.layers() == []
    reasons = [b.reason for b in list_backups(app_paths.data / "backups")]
    assert f"before-v{CURRENT_VERSION}-from-v1" in reasons
    backup = next(
        b.path for b in list_backups(app_paths.data / "backups") if b.reason.startswith("before")
    )
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA user_version").fetchone() == (1,)
    copy.close()


def test_an_empty_file_is_a_version_0_database_and_gets_the_whole_schema(
    app_paths: AppPaths,
) -> None:
    app_paths.database.write_bytes(b"")
    with UserDataStore.open(app_paths) as store:
        assert store.recovery is None
        assert store.query("PRAGMA user_version") == [(CURRENT_VERSION,)]
        assert len(store.palette()) >= 6
    assert _backup_names(app_paths) == []  # nothing to back up in an empty file


def test_a_database_from_a_newer_reader_is_shown_read_only(app_paths: AppPaths) -> None:
    _fill(app_paths)
    with sqlite3.connect(app_paths.database) as conn:
        conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    conn.close()
    with UserDataStore.open(app_paths) as store:
        assert store.read_only
        assert store.read_only_reason == (
            "Cannot save your notes: they were saved by a newer version of the reader, "
            "so they are shown read-only."
        )
        assert len(store.annotations()) == 3
        with pytest.raises(StorageError, match="newer version"):
            highlight(Annotator(store, "Alice"))
    with sqlite3.connect(app_paths.database) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (CURRENT_VERSION + 1,)
    conn.close()
