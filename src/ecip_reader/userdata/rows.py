"""Conversions between database rows and the model values."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ecip_reader.userdata.ink import ink_from_json, ink_to_json
from ecip_reader.userdata.models import (
    AnchorStatus,
    Annotation,
    AnnotationKind,
    Bookmark,
    Colour,
    DocumentRef,
    Layer,
    Quad,
    TextAnchor,
)

ANNOTATION_COLUMNS = (
    "uuid",
    "doc_hash",
    "page",
    "kind",
    "colour",
    "quads",
    "point_x",
    "point_y",
    "quote",
    "prefix",
    "suffix",
    "note",
    "author",
    "created",
    "modified",
    "status",
    "layer_id",
    "ink",
    "ink_width",
)
BOOKMARK_COLUMNS = (
    "uuid",
    "doc_hash",
    "page",
    "label",
    "author",
    "created",
    "modified",
    "layer_id",
)


def _select(table: str, columns: tuple[str, ...], alias: str) -> str:
    return f"SELECT {', '.join(f'{alias}.{c}' for c in columns)} FROM {table} AS {alias}"


SELECT_ANNOTATIONS = _select("annotations", ANNOTATION_COLUMNS, "a")
SELECT_BOOKMARKS = _select("bookmarks", BOOKMARK_COLUMNS, "b")


def _upsert(table: str, columns: tuple[str, ...]) -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "uuid")
    marks = ", ".join("?" for _ in columns)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) "
        f"ON CONFLICT(uuid) DO UPDATE SET {updates}"
    )


UPSERT_ANNOTATION = _upsert("annotations", ANNOTATION_COLUMNS)
UPSERT_BOOKMARK = _upsert("bookmarks", BOOKMARK_COLUMNS)


def quads_to_json(quads: tuple[Quad, ...]) -> str:
    return json.dumps([list(q) for q in quads], separators=(",", ":"))


def quads_from_json(text: str) -> tuple[Quad, ...]:
    return tuple(Quad(*(float(v) for v in q)) for q in json.loads(text))


def annotation_from_row(row: tuple[Any, ...] | sqlite3.Row) -> Annotation:
    (
        uuid,
        doc_hash,
        page,
        kind,
        colour,
        quads,
        point_x,
        point_y,
        quote,
        prefix,
        suffix,
        note,
        author,
        created,
        modified,
        status,
        layer_id,
        ink,
        ink_width,
    ) = tuple(row)[: len(ANNOTATION_COLUMNS)]
    point = None if point_x is None or point_y is None else (float(point_x), float(point_y))
    return Annotation(
        uuid=uuid,
        doc_hash=doc_hash,
        page=int(page),
        kind=AnnotationKind(kind),
        colour=colour,
        author=author,
        created=created,
        modified=modified,
        quads=quads_from_json(quads),
        point=point,
        anchor=TextAnchor(quote, prefix, suffix),
        note=note,
        status=AnchorStatus(status),
        layer_id=layer_id,
        strokes=ink_from_json(ink),
        width=float(ink_width),
    )


def annotation_params(a: Annotation) -> tuple[Any, ...]:
    point_x, point_y = a.point if a.point is not None else (None, None)
    return (
        a.uuid,
        a.doc_hash,
        a.page,
        a.kind.value,
        a.colour,
        quads_to_json(a.quads),
        point_x,
        point_y,
        a.anchor.quote,
        a.anchor.prefix,
        a.anchor.suffix,
        a.note,
        a.author,
        a.created,
        a.modified,
        a.status.value,
        a.layer_id,
        ink_to_json(a.strokes),
        a.width,
    )


def bookmark_from_row(row: tuple[Any, ...] | sqlite3.Row) -> Bookmark:
    uuid, doc_hash, page, label, author, created, modified, layer_id = tuple(row)[
        : len(BOOKMARK_COLUMNS)
    ]
    return Bookmark(uuid, doc_hash, int(page), label, author, created, modified, layer_id)


def bookmark_params(b: Bookmark) -> tuple[Any, ...]:
    return (b.uuid, b.doc_hash, b.page, b.label, b.author, b.created, b.modified, b.layer_id)


def colour_from_row(row: tuple[Any, ...]) -> Colour:
    key, rgb, label, position = row
    return Colour(key, rgb, label, int(position))


SELECT_LAYERS = "SELECT id, name, source, imported_at, visible, pack_id, author FROM layers"


def layer_from_row(row: tuple[Any, ...]) -> Layer:
    layer_id, name, source, imported_at, visible, pack_id, author = row
    return Layer(int(layer_id), name, source, imported_at, bool(visible), pack_id or "", author)


def document_from_row(row: tuple[Any, ...]) -> DocumentRef:
    doc_hash, doc_id, title = row
    return DocumentRef(doc_hash, doc_id, title)


def reading_order(a: Annotation) -> tuple[int, float, float, str]:
    """Sort key: page, then top to bottom, left to right, then creation time."""
    if a.quads:
        x0, y0, _x1, _y1 = a.quads[0].rect
    elif a.point is not None:
        x0, y0 = a.point
    elif a.strokes:
        x0, y0 = a.strokes[0][0]
    else:
        x0 = y0 = 0.0
    return (a.page, round(y0, 1), round(x0, 1), a.created)


def filtered(
    select: str,
    alias: str,
    doc_hash: str | None,
    page: int | None,
    include_hidden: bool,
    own_only: bool,
    layer_id: int | None,
) -> tuple[str, list[Any]]:
    """``select`` with the WHERE clause for the filters of ``UserDataStore.annotations``."""
    clauses: list[str] = []
    params: list[Any] = []
    if doc_hash is not None:
        clauses.append(f"{alias}.doc_hash = ?")
        params.append(doc_hash)
    if page is not None:
        clauses.append(f"{alias}.page = ?")
        params.append(page)
    if own_only:
        clauses.append(f"{alias}.layer_id IS NULL")
    if layer_id is not None:
        clauses.append(f"{alias}.layer_id = ?")
        params.append(layer_id)
    if not include_hidden:
        clauses.append(
            f"({alias}.layer_id IS NULL OR {alias}.layer_id IN "
            "(SELECT id FROM layers WHERE visible = 1))"
        )
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return select + where, params
