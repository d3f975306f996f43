"""The database schema and its migrations.

``PRAGMA user_version`` holds the schema version. Version 0 is an empty file.
Each migration takes the database one version up inside its own transaction,
so a crash mid-migration leaves the previous version intact (and a backup of
it is taken first by the caller).

History:

* 1 — documents, palette, annotations, bookmarks.
* 2 — imported layers (``layers`` and a ``layer_id`` on annotations and
  bookmarks) and full-text search over quoted text and notes (FTS5).
* 3 — drawings: the kind ``ink`` and the ``ink`` (JSON strokes) and ``ink_width``
  columns of annotations. SQLite cannot change a CHECK constraint in place, so
  the table is rebuilt (row ids kept, so the text index stays valid).
* 4 — session plans (``sessions`` and their ordered ``session_stops``), and the
  pack a layer came from (``pack_id``, ``author``): one layer per pack, not per
  author. Layers made before were named after the pack's author, so each gets
  the id of that author's pack without a name of its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ecip_reader.userdata.models import DEFAULT_PALETTE
from ecip_reader.userdata.names import pack_identity

CURRENT_VERSION = 4

_V1 = """
CREATE TABLE documents (
    hash TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT ''
);
CREATE TABLE palette (
    key TEXT PRIMARY KEY,
    rgb TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE TABLE annotations (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    doc_hash TEXT NOT NULL REFERENCES documents(hash),
    page INTEGER NOT NULL CHECK (page >= 1),
    kind TEXT NOT NULL
        CHECK (kind IN ('highlight', 'underline', 'strike-through', 'sticky-note')),
    colour TEXT NOT NULL REFERENCES palette(key),
    quads TEXT NOT NULL DEFAULT '[]',
    point_x REAL,
    point_y REAL,
    quote TEXT NOT NULL DEFAULT '',
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'attached' CHECK (status IN ('attached', 'detached'))
);
CREATE INDEX annotations_by_page ON annotations(doc_hash, page);
CREATE TABLE bookmarks (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    doc_hash TEXT NOT NULL REFERENCES documents(hash),
    page INTEGER NOT NULL CHECK (page >= 1),
    label TEXT NOT NULL,
    author TEXT NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX bookmarks_by_page ON bookmarks(doc_hash, page);
"""

_TEXT_TRIGGERS = """
CREATE TRIGGER annotations_text_insert AFTER INSERT ON annotations BEGIN
    INSERT INTO annotation_text(rowid, quote, note) VALUES (new.id, new.quote, new.note);
END;
CREATE TRIGGER annotations_text_delete AFTER DELETE ON annotations BEGIN
    INSERT INTO annotation_text(annotation_text, rowid, quote, note)
        VALUES ('delete', old.id, old.quote, old.note);
END;
CREATE TRIGGER annotations_text_update AFTER UPDATE OF quote, note ON annotations BEGIN
    INSERT INTO annotation_text(annotation_text, rowid, quote, note)
        VALUES ('delete', old.id, old.quote, old.note);
    INSERT INTO annotation_text(rowid, quote, note) VALUES (new.id, new.quote, new.note);
END;
"""

_V2 = (
    """
CREATE TABLE layers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    visible INTEGER NOT NULL DEFAULT 1
);
ALTER TABLE annotations ADD COLUMN layer_id INTEGER REFERENCES layers(id) ON DELETE CASCADE;
ALTER TABLE bookmarks ADD COLUMN layer_id INTEGER REFERENCES layers(id) ON DELETE CASCADE;
CREATE INDEX annotations_by_layer ON annotations(layer_id);
CREATE INDEX bookmarks_by_layer ON bookmarks(layer_id);
CREATE VIRTUAL TABLE annotation_text USING fts5(
    quote, note, content='annotations', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
"""
    + _TEXT_TRIGGERS
    + """
INSERT INTO annotation_text(annotation_text) VALUES ('rebuild');
"""
)

_V3 = (
    """
DROP TRIGGER annotations_text_insert;
DROP TRIGGER annotations_text_delete;
DROP TRIGGER annotations_text_update;
CREATE TABLE annotations_v3 (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    doc_hash TEXT NOT NULL REFERENCES documents(hash),
    page INTEGER NOT NULL CHECK (page >= 1),
    kind TEXT NOT NULL
        CHECK (kind IN ('highlight', 'underline', 'strike-through', 'sticky-note', 'ink')),
    colour TEXT NOT NULL REFERENCES palette(key),
    quads TEXT NOT NULL DEFAULT '[]',
    point_x REAL,
    point_y REAL,
    quote TEXT NOT NULL DEFAULT '',
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'attached' CHECK (status IN ('attached', 'detached')),
    layer_id INTEGER REFERENCES layers(id) ON DELETE CASCADE,
    ink TEXT NOT NULL DEFAULT '[]',
    ink_width REAL NOT NULL DEFAULT 0
);
INSERT INTO annotations_v3 (id, uuid, doc_hash, page, kind, colour, quads, point_x, point_y,
        quote, prefix, suffix, note, author, created, modified, status, layer_id)
    SELECT id, uuid, doc_hash, page, kind, colour, quads, point_x, point_y,
        quote, prefix, suffix, note, author, created, modified, status, layer_id
    FROM annotations;
DROP TABLE annotations;
ALTER TABLE annotations_v3 RENAME TO annotations;
CREATE INDEX annotations_by_page ON annotations(doc_hash, page);
CREATE INDEX annotations_by_layer ON annotations(layer_id);
"""
    + _TEXT_TRIGGERS
    + """
INSERT INTO annotation_text(annotation_text) VALUES ('rebuild');
"""
)

_V4 = """
ALTER TABLE layers ADD COLUMN pack_id TEXT;
ALTER TABLE layers ADD COLUMN author TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX layers_by_pack ON layers(pack_id);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    layer_id INTEGER REFERENCES layers(id) ON DELETE CASCADE
);
CREATE INDEX sessions_by_layer ON sessions(layer_id);
CREATE TABLE session_stops (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    uuid TEXT NOT NULL,
    doc_hash TEXT NOT NULL REFERENCES documents(hash),
    page INTEGER NOT NULL CHECK (page >= 1),
    region TEXT,
    label TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, position)
);
CREATE INDEX session_stops_by_document ON session_stops(doc_hash);
"""


def _to_v1(conn: sqlite3.Connection) -> None:
    _run_script(conn, _V1)
    conn.executemany(
        "INSERT INTO palette(key, rgb, label, position) VALUES (?, ?, ?, ?)",
        [(key, rgb, label, i) for i, (key, rgb, label) in enumerate(DEFAULT_PALETTE)],
    )


def _to_v2(conn: sqlite3.Connection) -> None:
    _run_script(conn, _V2)


def _to_v3(conn: sqlite3.Connection) -> None:
    _run_script(conn, _V3)
    problems = conn.execute("PRAGMA foreign_key_check(annotations)").fetchall()
    if problems:
        raise sqlite3.IntegrityError(f"annotations refer to missing rows: {problems[:3]!r}")


def _to_v4(conn: sqlite3.Connection) -> None:
    _run_script(conn, _V4)
    for layer_id, name in conn.execute("SELECT id, name FROM layers").fetchall():
        conn.execute(
            "UPDATE layers SET pack_id = ?, author = ? WHERE id = ?",
            (pack_identity(name, ""), name, layer_id),
        )


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _to_v1,
    2: _to_v2,
    3: _to_v3,
    4: _to_v4,
}


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``script`` statement by statement (``executescript`` would commit first)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement!r}")


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, before: Callable[[int], None] | None = None) -> int:
    """Bring the database up to :data:`CURRENT_VERSION`; returns the version it had.

    ``before(version)`` is called once before the first migration of a database
    that already holds a schema (the caller takes a backup there). ``conn`` must
    be in autocommit mode; each step runs in its own ``BEGIN IMMEDIATE``.
    """
    start = schema_version(conn)
    if start >= CURRENT_VERSION:
        return start
    if start > 0 and before is not None:
        before(start)
    for target in range(start + 1, CURRENT_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another copy of the reader may have migrated while this one waited.
            if schema_version(conn) < target:
                MIGRATIONS[target](conn)
                conn.execute(f"PRAGMA user_version = {target:d}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return start


def name_colours_by_purpose(conn: sqlite3.Connection) -> None:
    """Give colours still called by their colour ("Yellow") the name of their purpose.

    Notes saved before colours were named by purpose kept the plain colour names.
    This runs once: when any colour already carries a purpose name, nothing is
    changed, so a name the user chooses later ("Yellow" again) is left alone.
    """
    purposes = [purpose for _key, _rgb, purpose in DEFAULT_PALETTE]
    marks = ",".join("?" * len(purposes))
    named = conn.execute(f"SELECT 1 FROM palette WHERE label IN ({marks}) LIMIT 1", purposes)
    if named.fetchone() is not None:
        return
    for key, _rgb, purpose in DEFAULT_PALETTE:
        conn.execute(
            "UPDATE palette SET label = ? WHERE key = ? AND label = ?",
            (purpose, key, key.capitalize()),
        )
