"""The SQLite FTS5 reference: the same pages, the same queries, the stdlib only.

Titles are weighted 4:1 over body text in BM25, as in our index. A query asks
for the ten best pages with a snippet each, then for the number of documents
that match (our response carries that total too); both parts are timed.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

TOP = """
SELECT doc, page, snippet(pages, 1, '[', ']', '…', 24)
FROM pages WHERE pages MATCH ? ORDER BY bm25(pages, 4.0, 1.0) LIMIT 10
"""
COUNT = "SELECT count(DISTINCT doc) FROM pages WHERE pages MATCH ?"


class Fts5Reference:
    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE VIRTUAL TABLE pages USING fts5("
            "title, body, doc UNINDEXED, page UNINDEXED, tokenize = 'porter unicode61')"
        )

    def add(self, rows: Iterable[tuple[str, str, str, int]]) -> int:
        """Add (title, body, doc, page) rows; returns how many."""
        count = 0
        with self._db:
            for row in rows:
                self._db.execute("INSERT INTO pages VALUES (?, ?, ?, ?)", row)
                count += 1
        self._db.execute("INSERT INTO pages(pages) VALUES ('optimize')")
        self._db.commit()
        return count

    def query(self, text: str) -> tuple[float, float, int]:
        """(ms for the top ten with snippets, ms including the document count, hits)."""
        began = time.perf_counter()
        try:
            rows = self._db.execute(TOP, (text,)).fetchall()
        except sqlite3.OperationalError:
            rows = []
        top_ms = (time.perf_counter() - began) * 1000
        with contextlib.suppress(sqlite3.OperationalError):
            self._db.execute(COUNT, (text,)).fetchone()
        return top_ms, (time.perf_counter() - began) * 1000, len(rows)

    def close(self) -> None:
        self._db.close()
