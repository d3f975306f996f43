"""The SQLite FTS5 reference: the same pages, the same queries, the stdlib only.

It gives the answer the reader's search gives: the ten best pages with a
snippet each, and the number of documents that match. The row id of each page
is its document's number times :data:`PAGE_SPAN` plus its page number, so the
documents are counted from the full-text index alone, without reading any
stored row; only the ten pages shown are read, for their snippets. Columns
are weighted as the reader weighs its fields (title and body).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

PAGE_SPAN = 100_000

TOP = """
SELECT rowid, snippet(pages, 1, '[', ']', '…', 24)
FROM pages WHERE pages MATCH ? ORDER BY bm25(pages, ?, 1.0) LIMIT 10
"""
COUNT = f"SELECT count(DISTINCT rowid / {PAGE_SPAN}) FROM pages WHERE pages MATCH ?"


class Fts5Reference:
    def __init__(self, path: Path, title_weight: float = 1.0) -> None:
        path.unlink(missing_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE VIRTUAL TABLE pages USING fts5("
            "title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        self._title_weight = title_weight
        self._docs: dict[str, int] = {}

    def add(self, rows: Iterable[tuple[str, str, str, int]]) -> int:
        """Add (title, body, doc, page) rows; returns how many."""
        count = 0
        with self._db:
            for title, body, doc, page in rows:
                number = self._docs.setdefault(doc, len(self._docs))
                self._db.execute(
                    "INSERT INTO pages (rowid, title, body) VALUES (?, ?, ?)",
                    (number * PAGE_SPAN + page, title, body),
                )
                count += 1
        self._db.execute("INSERT INTO pages(pages) VALUES ('optimize')")
        self._db.commit()
        return count

    def query(self, text: str) -> tuple[float, float, int, int]:
        """(ms for the top ten with snippets, ms including the document count,
        pages shown, documents counted)."""
        began = time.perf_counter()
        try:
            rows = self._db.execute(TOP, (text, self._title_weight)).fetchall()
        except sqlite3.OperationalError:
            rows = []
        top_ms = (time.perf_counter() - began) * 1000
        try:
            documents = int(self._db.execute(COUNT, (text,)).fetchone()[0])
        except sqlite3.OperationalError:
            documents = 0
        return top_ms, (time.perf_counter() - began) * 1000, len(rows), documents

    def close(self) -> None:
        self._db.close()
