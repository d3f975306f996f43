"""Carrying out one :mod:`~ecip_reader.userdata.ops` change inside an open transaction."""

from __future__ import annotations

import sqlite3
from typing import assert_never

from ecip_reader.userdata import ops, rows


def _ensure_document(conn: sqlite3.Connection, doc_hash: str) -> None:
    conn.execute("INSERT OR IGNORE INTO documents(hash) VALUES (?)", (doc_hash,))


def _hash_of(conn: sqlite3.Connection, table: str, uuid: str) -> str | None:
    row = conn.execute(f"SELECT doc_hash FROM {table} WHERE uuid = ?", (uuid,)).fetchone()
    return None if row is None else str(row[0])


def _layer_hashes(conn: sqlite3.Connection, layer_id: int) -> set[str]:
    return {
        str(r[0])
        for r in conn.execute(
            "SELECT doc_hash FROM annotations WHERE layer_id = ? "
            "UNION SELECT doc_hash FROM bookmarks WHERE layer_id = ?",
            (layer_id, layer_id),
        )
    }


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
        annotation = change.annotation
        previous = _hash_of(conn, "annotations", annotation.uuid)
        _ensure_document(conn, annotation.doc_hash)
        conn.execute(rows.UPSERT_ANNOTATION, rows.annotation_params(annotation))
        touched.update(h for h in (previous, annotation.doc_hash) if h)
    elif isinstance(change, ops.DeleteAnnotation):
        previous = _hash_of(conn, "annotations", change.uuid)
        conn.execute("DELETE FROM annotations WHERE uuid = ?", (change.uuid,))
        if previous:
            touched.add(previous)
    elif isinstance(change, ops.PutBookmark):
        bookmark = change.bookmark
        previous = _hash_of(conn, "bookmarks", bookmark.uuid)
        _ensure_document(conn, bookmark.doc_hash)
        conn.execute(rows.UPSERT_BOOKMARK, rows.bookmark_params(bookmark))
        touched.update(h for h in (previous, bookmark.doc_hash) if h)
    elif isinstance(change, ops.DeleteBookmark):
        previous = _hash_of(conn, "bookmarks", change.uuid)
        conn.execute("DELETE FROM bookmarks WHERE uuid = ?", (change.uuid,))
        if previous:
            touched.add(previous)
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
            "INSERT INTO layers(id, name, source, imported_at, visible) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, source = excluded.source, "
            "imported_at = excluded.imported_at, visible = excluded.visible",
            (layer.id, layer.name, layer.source, layer.imported_at, int(layer.visible)),
        )
        flags["layers"] = True
    elif isinstance(change, ops.DeleteLayer):
        touched.update(_layer_hashes(conn, change.layer_id))
        conn.execute("DELETE FROM layers WHERE id = ?", (change.layer_id,))
        flags["layers"] = True
    else:
        assert_never(change)
