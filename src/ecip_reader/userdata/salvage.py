"""Recovering notes from a damaged database before anything is restored.

A database with a few ruined pages usually still holds most of its rows. When
the notes database fails its check, :mod:`ecip_reader.userdata.database` sets
it aside and starts a new one; :func:`salvage` then fills the new one with
every row that can still be read from the set-aside copy, merged with the
newest backup:

* each table is read in row order, stepping over pages that cannot be read;
  the table's indexes (which hold the ids, and the uuid of every note) tell
  which rows were there, so the rows lost with a ruined page are counted;
* a note is known by its uuid: one found in both places is taken once, in its
  most recently modified version, and a note that could not be read from the
  damaged copy is taken from the backup when it is there;
* imported layers are matched by name, documents by hash and colours by key.

The set-aside file is never written: it is copied (with its write-ahead log)
into a temporary folder and read there.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecip_reader.userdata.models import DEFAULT_COLOUR, AnnotationKind
from ecip_reader.userdata.sqlite_pages import Value, missing_pages, table_rows

log = logging.getLogger(__name__)

NOTE_TABLES = ("annotations", "bookmarks")
PLAN_TABLES = ("sessions", "session_stops")
TABLES = ("documents", "palette", "layers", *NOTE_TABLES, *PLAN_TABLES)
MAX_GAP = 1 << 40  # the largest jump over unreadable pages when looking for the next row

Row = dict[str, Any]


@dataclass
class TableRows:
    """What could be read of one table."""

    rows: dict[int, Row] = field(default_factory=dict)  # by rowid
    known: dict[int, str | None] = field(default_factory=dict)  # rowid -> uuid when known

    @property
    def unreadable(self) -> dict[int, str | None]:
        return {rowid: uuid for rowid, uuid in self.known.items() if rowid not in self.rows}


@dataclass
class SalvageReport:
    """How many notes and bookmarks the new database holds, and how many were lost."""

    recovered: int
    from_damaged: int
    only_in_backup: int
    lost: int
    used_backup: bool
    pages_missing: int = 0  # pages cut off the end of the damaged file: what they held is unknown


# -- reading what can be read -------------------------------------------------------------


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [str(row[1]) for row in db.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return []


def _indexes(db: sqlite3.Connection, table: str) -> list[tuple[str, list[str]]]:
    """(name, columns) of every index of ``table`` that can be read."""
    found = []
    try:
        names = [str(row[1]) for row in db.execute(f"PRAGMA index_list({table})")]
        for name in names:
            columns = [str(row[2]) for row in db.execute(f"PRAGMA index_info({name})")]
            found.append((name, columns))
    except sqlite3.DatabaseError:
        pass
    return found


def _rows(cursor: sqlite3.Cursor) -> Iterator[tuple[Any, ...]]:
    """The rows of ``cursor`` until the first one that cannot be read."""
    with contextlib.suppress(sqlite3.DatabaseError):
        yield from cursor


def _known_ids(db: sqlite3.Connection, table: str, into: dict[int, str | None]) -> None:
    """Collect rowids (and uuids) from the table's indexes, which live on their own pages."""
    for name, columns in _indexes(db, table):
        wanted = "rowid, uuid" if "uuid" in columns else "rowid, NULL"
        query = f'SELECT {wanted} FROM {table} INDEXED BY "{name}"'
        try:
            cursor = db.execute(query)
        except sqlite3.DatabaseError:
            continue
        for rowid, uuid in _rows(cursor):
            if into.get(int(rowid)) is None:
                into[int(rowid)] = None if uuid is None else str(uuid)


def _next_rowid(db: sqlite3.Connection, table: str, after: int) -> int | None:
    """The first rowid above ``after`` that can be reached, jumping over unreadable pages
    in ever larger steps; None when there is none."""
    gap = 0
    while gap <= MAX_GAP:
        try:
            row = db.execute(
                f"SELECT rowid FROM {table} NOT INDEXED WHERE rowid > ? ORDER BY rowid LIMIT 1",
                (after + gap,),
            ).fetchone()
        except sqlite3.DatabaseError:
            gap = gap * 2 or 1
            continue
        return None if row is None else int(row[0])
    return None


def read_table(db: sqlite3.Connection, table: str) -> TableRows:
    """Every row of ``table`` that can be read, and the rowids known to exist."""
    result = TableRows()
    columns = _columns(db, table)
    if not columns:
        return result
    _known_ids(db, table, result.known)
    names = ", ".join(f'"{c}"' for c in columns)
    query = f"SELECT rowid, {names} FROM {table} NOT INDEXED WHERE rowid >= ? ORDER BY rowid"
    start: int | None = 1  # the tables' rowids start at 1
    while start is not None:
        last: int | None = None
        with contextlib.suppress(sqlite3.DatabaseError):
            for row in _rows(db.execute(query, (start,))):
                last = int(row[0])
                result.rows[last] = dict(zip(columns, row[1:], strict=True))
        # Read up to ``last``; when not even the row at ``start`` could be, step past it.
        start = _next_rowid(db, table, start if last is None else last)
    # Rows the indexes know of and the scan could not reach: try each on its own.
    for rowid in sorted(set(result.known) - set(result.rows)):
        with contextlib.suppress(sqlite3.DatabaseError):
            found = db.execute(f"SELECT {names} FROM {table} WHERE rowid = ?", (rowid,))
            values = found.fetchone()
            if values is not None:
                result.rows[rowid] = dict(zip(columns, values, strict=True))
    for rowid, read in result.rows.items():
        uuid = read.get("uuid")
        result.known[rowid] = None if uuid is None else str(uuid)
    return result


@contextlib.contextmanager
def _readable_copy(path: Path) -> Iterator[tuple[Path, sqlite3.Connection | None]]:
    """A private copy of ``path`` with its write-ahead log folded in, and a connection
    to it (None when SQLite cannot open it at all)."""
    with tempfile.TemporaryDirectory(prefix="ecip-salvage-") as folder:
        copy = Path(folder) / "damaged.sqlite3"
        shutil.copyfile(path, copy)
        wal = Path(f"{path}-wal")
        if wal.is_file():
            shutil.copyfile(wal, Path(f"{copy}-wal"))
        try:
            db = sqlite3.connect(copy, isolation_level=None)
        except sqlite3.Error as exc:
            log.warning("the damaged notes database cannot be opened: %s", exc)
            yield copy, None
            return
        try:
            with contextlib.suppress(sqlite3.DatabaseError):
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            yield copy, db
        finally:
            db.close()


def read_database(path: Path | None, columns: dict[str, list[str]]) -> dict[str, TableRows]:
    """What can be read of every table of the notes database at ``path``.

    ``columns`` are the tables' columns in the current schema; rows read off the
    pages (:mod:`ecip_reader.userdata.sqlite_pages`) are named by them.
    """
    tables = {table: TableRows() for table in columns}
    if path is None:
        return tables
    try:
        with _readable_copy(path) as (copy, db):
            if db is not None:
                tables = {table: read_table(db, table) for table in columns}
            _add_rows_off_pages(copy, columns, tables)
    except OSError as exc:
        log.warning("the damaged notes database cannot be read at all: %s", exc)
    return tables


def _add_rows_off_pages(
    copy: Path, columns: dict[str, list[str]], tables: dict[str, TableRows]
) -> None:
    """Add the rows SQLite could not reach, read straight off the file's pages."""
    for rowid, values in table_rows(copy):
        table = _table_of(values)
        if table is None or table not in tables or rowid in tables[table].rows:
            continue
        names = columns[table]
        row = dict(zip(names, values, strict=False))
        if names[0] == "id":  # an INTEGER PRIMARY KEY is stored as the rowid
            row["id"] = rowid
        tables[table].rows[rowid] = row
        uuid = row.get("uuid")
        tables[table].known[rowid] = None if uuid is None else str(uuid)


_HEX = frozenset("0123456789abcdef")
_KINDS = frozenset(kind.value for kind in AnnotationKind)


def _is_hash(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX


def _is_uuid(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 100


def _table_of(values: list[Value]) -> str | None:
    """Which notes table a record read off a page belongs to, judged by its shape."""
    size = len(values)
    first = values[0] if values else None
    note = size >= 5 and first is None and _is_uuid(values[1]) and _is_hash(values[2])
    if note and 17 <= size <= 20 and isinstance(values[3], int) and values[4] in _KINDS:
        return "annotations"
    if note and 8 <= size <= 9 and isinstance(values[3], int) and isinstance(values[4], str):
        return "bookmarks"
    if size == 3 and _is_hash(first) and all(isinstance(v, str) for v in values[1:]):
        return "documents"
    colour = size == 4 and isinstance(first, str) and isinstance(values[1], str)
    if colour and str(values[1]).startswith("#") and isinstance(values[3], int):
        return "palette"
    strings = size in (5, 7) and first is None and all(isinstance(v, str) for v in values[1:4])
    if strings and values[4] in (0, 1):
        return "layers"  # before schema 4 without its pack id and author
    plan = size == 7 and first is None and _is_uuid(values[1])
    plan = plan and all(isinstance(v, str) for v in values[2:6])
    if plan and (values[6] is None or isinstance(values[6], int)):
        return "sessions"
    stop = size == 8 and isinstance(first, int) and isinstance(values[1], int)
    if stop and _is_uuid(values[2]) and _is_hash(values[3]) and isinstance(values[4], int):
        return "session_stops"
    return None


# -- merging into the new database --------------------------------------------------------


def salvage(damaged: Path | None, backup: Path | None, conn: sqlite3.Connection) -> SalvageReport:
    """Fill the new, empty database behind ``conn`` from ``damaged`` and ``backup``.

    ``conn`` is in autocommit mode and at the current schema version; all rows
    go in in one transaction.
    """
    columns = {table: _columns(conn, table) for table in TABLES}
    broken = read_database(damaged, columns)
    saved = read_database(backup, columns)
    conn.execute("BEGIN IMMEDIATE")
    try:
        report = _merge(broken, saved, conn)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    report.used_backup = backup is not None and any(saved[t].rows for t in NOTE_TABLES)
    report.pages_missing = missing_pages(damaged) if damaged is not None else 0
    return report


def _merge(
    broken: dict[str, TableRows], saved: dict[str, TableRows], conn: sqlite3.Connection
) -> SalvageReport:
    for source in (saved, broken):  # the damaged copy's labels and titles win
        for row in source["palette"].rows.values():
            _put_colour(conn, row)
        for row in source["documents"].rows.values():
            _put_document(conn, row)
    layer_ids = {
        "broken": _put_layers(conn, broken["layers"]),
        "saved": _put_layers(conn, saved["layers"]),
    }
    from_damaged = only_in_backup = lost = 0
    for table in NOTE_TABLES:
        chosen: dict[str, tuple[str, Row]] = {}
        for origin, source in (("broken", broken), ("saved", saved)):
            for row in source[table].rows.values():
                uuid = str(row.get("uuid") or "")
                if not uuid:
                    continue
                held = chosen.get(uuid)
                if held is None or str(row.get("modified", "")) > str(held[1].get("modified", "")):
                    chosen[uuid] = (origin, row)
        saved_ids = set(saved[table].rows)
        for rowid, lost_uuid in broken[table].unreadable.items():
            if (lost_uuid is None or lost_uuid not in chosen) and rowid not in saved_ids:
                lost += 1
        in_damaged = {str(row.get("uuid")) for row in broken[table].rows.values()}
        for origin, row in chosen.values():
            if _put_note(conn, table, row, layer_ids[origin]):
                if row["uuid"] in in_damaged:
                    from_damaged += 1
                else:
                    only_in_backup += 1
            else:
                lost += 1
    _merge_plans(broken, saved, conn, layer_ids)
    return SalvageReport(from_damaged + only_in_backup, from_damaged, only_in_backup, lost, False)


def _merge_plans(
    broken: dict[str, TableRows],
    saved: dict[str, TableRows],
    conn: sqlite3.Connection,
    layer_ids: dict[str, dict[int, int]],
) -> None:
    """Session plans: the newest copy of each, with the stops of that same copy."""
    chosen: dict[str, tuple[str, int, Row]] = {}
    for origin, source in (("broken", broken), ("saved", saved)):
        for rowid, row in source["sessions"].rows.items():
            uuid = str(row.get("uuid") or "")
            held = chosen.get(uuid)
            newer = held is None or str(row.get("modified", "")) > str(held[2].get("modified", ""))
            if uuid and newer:
                chosen[uuid] = (origin, int(row.get("id") or rowid), row)
    new_ids: dict[tuple[str, int], int] = {}
    for origin, old_id, row in chosen.values():
        try:
            layer = _layer_for(conn, row.get("layer_id"), layer_ids[origin])
            cursor = conn.execute(
                "INSERT INTO sessions(uuid, name, author, created, modified, layer_id) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    row["uuid"],
                    str(row.get("name") or "Recovered session plan"),
                    str(row.get("author") or ""),
                    str(row.get("created") or ""),
                    str(row.get("modified") or ""),
                    layer,
                ),
            )
        except (sqlite3.DatabaseError, KeyError, ValueError) as exc:
            log.info("a session plan could not be recovered: %s", exc)
            continue
        new_ids[(origin, old_id)] = int(cursor.lastrowid or 0)
    columns = [c for c in _columns(conn, "session_stops") if c != "session_id"]
    for origin, source in (("broken", broken), ("saved", saved)):
        for row in source["session_stops"].rows.values():
            session = new_ids.get((origin, int(row.get("session_id") or 0)))
            if session is None or any(c not in row for c in columns):
                continue
            with contextlib.suppress(sqlite3.DatabaseError):
                conn.execute("INSERT OR IGNORE INTO documents(hash) VALUES (?)", (row["doc_hash"],))
                conn.execute(
                    f"INSERT OR IGNORE INTO session_stops(session_id, {', '.join(columns)}) "
                    f"VALUES (?, {', '.join('?' for _ in columns)})",
                    [session, *(row[c] for c in columns)],
                )


def _put_colour(conn: sqlite3.Connection, row: Row) -> None:
    key, label = row.get("key"), row.get("label")
    if not isinstance(key, str) or not isinstance(label, str):
        return
    with contextlib.suppress(sqlite3.DatabaseError):
        position = conn.execute("SELECT COUNT(*) FROM palette").fetchone()[0]
        conn.execute(
            "INSERT INTO palette(key, rgb, label, position) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET label = excluded.label",
            (key, str(row.get("rgb") or "#b4b4b4"), label, position),
        )


def _put_document(conn: sqlite3.Connection, row: Row) -> None:
    digest = row.get("hash")
    if not isinstance(digest, str) or not digest:
        return
    doc_id, title = str(row.get("doc_id") or ""), str(row.get("title") or "")
    with contextlib.suppress(sqlite3.DatabaseError):
        conn.execute(
            "INSERT INTO documents(hash, doc_id, title) VALUES (?, ?, ?) ON CONFLICT(hash) DO "
            "UPDATE SET doc_id = COALESCE(NULLIF(excluded.doc_id, ''), doc_id), "
            "title = COALESCE(NULLIF(excluded.title, ''), title)",
            (digest, doc_id, title),
        )


def _put_layers(conn: sqlite3.Connection, layers: TableRows) -> dict[int, int]:
    """Add the layers (matched by name); returns old layer id -> new layer id."""
    mapping: dict[int, int] = {}
    for rowid, row in layers.rows.items():
        name = row.get("name")
        if not isinstance(name, str) or not name:
            continue
        with contextlib.suppress(sqlite3.DatabaseError):
            conn.execute(
                "INSERT OR IGNORE INTO layers(name, source, imported_at, visible, pack_id, author) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    name,
                    str(row.get("source") or ""),
                    str(row.get("imported_at") or ""),
                    int(row.get("visible", 1) or 0),
                    row.get("pack_id") if isinstance(row.get("pack_id"), str) else None,
                    str(row.get("author") or ""),
                ),
            )
            found = conn.execute("SELECT id FROM layers WHERE name = ?", (name,)).fetchone()
            mapping[int(row.get("id", rowid))] = int(found[0])
    return mapping


def _layer_for(conn: sqlite3.Connection, old: object, layer_ids: dict[int, int]) -> int | None:
    """The new id of an imported layer, or a stand-in layer when its row was lost."""
    if old is None:
        return None
    try:
        return layer_ids[int(str(old))]
    except (KeyError, ValueError):
        pass
    name = f"Recovered notes ({old})"
    conn.execute(
        "INSERT OR IGNORE INTO layers(name, source, imported_at) VALUES (?, '', '')", (name,)
    )
    found = conn.execute("SELECT id FROM layers WHERE name = ?", (name,)).fetchone()
    return int(found[0])


def _put_note(conn: sqlite3.Connection, table: str, row: Row, layer_ids: dict[int, int]) -> bool:
    """Insert one annotation or bookmark; False when its values cannot be stored."""
    columns = [c for c in _columns(conn, table) if c != "id" and c in row]
    values = dict(row)
    try:
        digest = values.get("doc_hash")
        if isinstance(digest, str) and digest:
            conn.execute("INSERT OR IGNORE INTO documents(hash) VALUES (?)", (digest,))
        if table == "annotations" and "colour" in values:
            known = conn.execute(
                "SELECT 1 FROM palette WHERE key = ?", (values["colour"],)
            ).fetchone()
            if known is None:
                values["colour"] = DEFAULT_COLOUR
        if "layer_id" in values:
            values["layer_id"] = _layer_for(conn, values["layer_id"], layer_ids)
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        conn.execute(f"INSERT INTO {table}({names}) VALUES ({marks})", [values[c] for c in columns])
    except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
        log.info("a %s row could not be recovered: %s", table, exc)
        return False
    return True
