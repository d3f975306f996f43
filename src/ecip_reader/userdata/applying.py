"""Carrying out one :mod:`~ecip_reader.userdata.ops` change inside an open transaction."""

from __future__ import annotations

import sqlite3
from typing import Any, assert_never

from ecip_reader.userdata import ops, rows, session_store
from ecip_reader.userdata.models import Annotation, Bookmark


def _ensure_document(conn: sqlite3.Connection, doc_hash: str) -> None:
    conn.execute("INSERT OR IGNORE INTO documents(hash) VALUES (?)", (doc_hash,))


def _hash_of(conn: sqlite3.Connection, table: str, uuid: str) -> str | None:
    row = conn.execute(f"SELECT doc_hash FROM {table} WHERE uuid = ?", (uuid,)).fetchone()
    return None if row is None else str(row[0])


def layer_hashes(conn: sqlite3.Connection, layer_id: int) -> set[str]:
    """The documents holding notes or bookmarks of the layer ``layer_id``."""
    return {
        str(r[0])
        for r in conn.execute(
            "SELECT doc_hash FROM annotations WHERE layer_id = ? "
            "UNION SELECT doc_hash FROM bookmarks WHERE layer_id = ?",
            (layer_id, layer_id),
        )
    }


def _put(
    conn: sqlite3.Connection,
    table: str,
    upsert: str,
    params: tuple[Any, ...],
    item: Annotation | Bookmark,
    touched: set[str],
) -> None:
    """Insert ``item``'s row, or replace the one with its UUID (perhaps of another document)."""
    previous = _hash_of(conn, table, item.uuid)
    _ensure_document(conn, item.doc_hash)
    conn.execute(upsert, params)
    touched.update(h for h in (previous, item.doc_hash) if h)


def _delete(conn: sqlite3.Connection, table: str, uuid: str, touched: set[str]) -> None:
    previous = _hash_of(conn, table, uuid)
    conn.execute(f"DELETE FROM {table} WHERE uuid = ?", (uuid,))
    if previous:
        touched.add(previous)


def apply_op(
    conn: sqlite3.Connection, change: ops.Op, touched: set[str], flags: dict[str, bool]
) -> None:
    """Make ``change``; add the document hashes it touched to ``touched``."""
    if isinstance(change, ops.PutDocument):
        doc = change.document
        conn.execute(
            "INSERT INTO documents(hash, doc_id, title) VALUES (?, ?, ?) "
            "ON CONFLICT(hash) DO UPDATE SET doc_id = excluded.doc_id, title = excluded.title",
            (doc.hash, doc.doc_id, doc.title),
        )
    elif isinstance(change, ops.PutAnnotation):
        params = rows.annotation_params(change.annotation)
        _put(conn, "annotations", rows.UPSERT_ANNOTATION, params, change.annotation, touched)
    elif isinstance(change, ops.DeleteAnnotation):
        _delete(conn, "annotations", change.uuid, touched)
    elif isinstance(change, ops.PutBookmark):
        params = rows.bookmark_params(change.bookmark)
        _put(conn, "bookmarks", rows.UPSERT_BOOKMARK, params, change.bookmark, touched)
    elif isinstance(change, ops.DeleteBookmark):
        _delete(conn, "bookmarks", change.uuid, touched)
    elif isinstance(change, ops.SetColourLabel):
        cursor = conn.execute(
            "UPDATE palette SET label = ? WHERE key = ?", (change.label, change.key)
        )
        if cursor.rowcount != 1:
            raise KeyError(change.key)
        flags["palette"] = True
    elif isinstance(change, ops.PutLayer):
        layer = change.layer
        conn.execute(
            "INSERT INTO layers(id, name, source, imported_at, visible, pack_id, author) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, source = excluded.source, "
            "imported_at = excluded.imported_at, visible = excluded.visible, "
            "pack_id = excluded.pack_id, author = excluded.author",
            (
                layer.id,
                layer.name,
                layer.source,
                layer.imported_at,
                int(layer.visible),
                layer.pack_id or None,
                layer.author,
            ),
        )
        flags["layers"] = True
    elif isinstance(change, ops.DeleteLayer):
        touched.update(layer_hashes(conn, change.layer_id))
        if conn.execute("SELECT 1 FROM sessions WHERE layer_id = ?", (change.layer_id,)).fetchone():
            flags["sessions"] = True
        conn.execute("DELETE FROM layers WHERE id = ?", (change.layer_id,))
        flags["layers"] = True
    elif isinstance(change, ops.PutSession):
        session_store.put_plan(conn, change.plan, touched)
        flags["sessions"] = True
    elif isinstance(change, ops.DeleteSession):
        session_store.delete_plan(conn, change.uuid, touched)
        flags["sessions"] = True
    else:
        assert_never(change)
