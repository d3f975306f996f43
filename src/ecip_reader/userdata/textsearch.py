"""Turning a typed query into an FTS5 query, and FTS5 snippets into segments.

People type words, perhaps a "quoted phrase", never FTS5 syntax; every word
becomes a quoted prefix term, so punctuation or operators cannot break the query.
"""

from __future__ import annotations

import re
from typing import Any

from ecip_reader.userdata import rows
from ecip_reader.userdata.access import Queryable
from ecip_reader.userdata.models import DocumentRef, NoteHit, normalise_text

MARK_START = "\x02"
MARK_END = "\x03"
_WORD = re.compile(r"\w+")
_PHRASE = re.compile(r'"([^"]*)"')


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for ``text``, or ``None`` when it holds no word."""
    text = normalise_text(text)
    terms: list[str] = []
    for phrase in _PHRASE.findall(text):
        words = _WORD.findall(phrase)
        if words:
            terms.append('"' + " ".join(words) + '"')
    for word in _WORD.findall(_PHRASE.sub(" ", text)):
        terms.append(f'"{word}"*')
    return " ".join(terms) if terms else None


def snippet_segments(snippet: str) -> tuple[tuple[str, bool], ...]:
    """Split an FTS5 snippet marked with :data:`MARK_START`/:data:`MARK_END` into pieces."""
    segments: list[tuple[str, bool]] = []
    rest = snippet
    while rest:
        start = rest.find(MARK_START)
        if start < 0:
            segments.append((rest, False))
            break
        if start:
            segments.append((rest[:start], False))
        end = rest.find(MARK_END, start)
        if end < 0:
            segments.append((rest[start + 1 :], True))
            break
        segments.append((rest[start + 1 : end], True))
        rest = rest[end + 1 :]
    return tuple((text.replace("\n", " "), matched) for text, matched in segments if text)


_SEARCH = (
    rows.SELECT_ANNOTATIONS.replace(" FROM annotations AS a", "")
    + ", snippet(annotation_text, -1, char(2), char(3), '…', 16), layers.name, "
    "documents.doc_id, documents.title "
    "FROM annotation_text "
    "JOIN annotations AS a ON a.id = annotation_text.rowid "
    "JOIN documents ON documents.hash = a.doc_hash "
    "LEFT JOIN layers ON layers.id = a.layer_id "
    "WHERE annotation_text MATCH ?"
)


def search_annotations(
    store: Queryable,
    query: str,
    limit: int = 50,
    doc_hash: str | None = None,
    include_hidden: bool = False,
) -> list[NoteHit]:
    """Annotations whose quoted text or note matches ``query``, best first."""
    expression = fts_query(query)
    if expression is None:
        return []
    sql = _SEARCH
    params: list[Any] = [expression]
    if doc_hash is not None:
        sql += " AND a.doc_hash = ?"
        params.append(doc_hash)
    if not include_hidden:
        sql += " AND (a.layer_id IS NULL OR layers.visible = 1)"
    sql += " ORDER BY bm25(annotation_text) LIMIT ?"
    params.append(limit)
    hits: list[NoteHit] = []
    width = len(rows.ANNOTATION_COLUMNS)
    for row in store.query(sql, params):
        annotation = rows.annotation_from_row(row)
        snippet, layer_name, doc_id, title = row[width:]
        hits.append(
            NoteHit(
                annotation=annotation,
                document=DocumentRef(annotation.doc_hash, doc_id, title),
                layer_name=layer_name,
                segments=snippet_segments(snippet or ""),
            )
        )
    return hits
