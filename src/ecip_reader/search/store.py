"""The side store of an index: document details, page text and the vocabulary.

Page text lives here once, zlib-compressed, instead of inside Whoosh; snippets
are cut from it. The vocabulary maps every index term to the words that
produced it (``discharg`` → ``discharge``, ``discharged``…), so snippets can mark
the words on a page and "did you mean" can offer a real word. The lexicon lists
every term of the searchable fields with the number of pages holding it, for
prefixes and spelling corrections without walking Whoosh's term tables.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from ecip_reader.library.catalogue import CatalogueEntry

STORE_FILE = "pages.sqlite3"

_SCHEMA = """
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY, title TEXT NOT NULL, organisation TEXT NOT NULL,
    region TEXT NOT NULL, programme TEXT NOT NULL, kind TEXT NOT NULL,
    topics TEXT NOT NULL, file TEXT NOT NULL, pages INTEGER NOT NULL
);
CREATE TABLE pages (
    doc_id TEXT NOT NULL, page INTEGER NOT NULL, text BLOB NOT NULL,
    PRIMARY KEY (doc_id, page)
);
CREATE TABLE vocab (
    term TEXT NOT NULL, surface TEXT NOT NULL, freq INTEGER NOT NULL,
    PRIMARY KEY (term, surface)
) WITHOUT ROWID;
CREATE TABLE lexicon (
    term TEXT PRIMARY KEY, pages INTEGER NOT NULL, fields INTEGER NOT NULL
) WITHOUT ROWID;
"""


class Store:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @classmethod
    def create(cls, path: Path) -> Store:
        db = sqlite3.connect(path, check_same_thread=False)
        db.executescript(_SCHEMA)
        return cls(db)

    @classmethod
    def open(cls, path: Path, writable: bool = False, immutable: bool = False) -> Store:
        """Open an existing store; read-only unless ``writable``.

        ``immutable`` is for stores in a read-only install folder: SQLite then
        creates no journal or lock files next to it.
        """
        if not path.is_file():
            raise sqlite3.OperationalError(f"no store at {path}")
        if writable:
            db = sqlite3.connect(path, check_same_thread=False)
        else:
            mode = "ro&immutable=1" if immutable else "ro"
            db = sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True, check_same_thread=False)
        return cls(db)

    def close(self) -> None:
        self._db.close()

    def commit(self) -> None:
        self._db.commit()

    # Writing

    def put_document(self, meta: CatalogueEntry) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                meta.id,
                meta.title,
                meta.organisation,
                meta.region,
                meta.programme,
                meta.kind,
                json.dumps(list(meta.topics)),
                meta.file,
                meta.pages,
            ),
        )

    def put_pages(self, doc_id: str, first_page: int, texts: Sequence[bytes]) -> None:
        """Store compressed page texts; ``first_page`` is 1-based."""
        self._db.executemany(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?)",
            ((doc_id, first_page + i, blob) for i, blob in enumerate(texts)),
        )

    def delete_document(self, doc_id: str) -> None:
        self._db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        self._db.execute("DELETE FROM pages WHERE doc_id = ?", (doc_id,))

    def add_vocabulary(self, rows: Iterable[tuple[str, str, int]]) -> None:
        """Add (term, surface, count) rows, summing counts of rows already there."""
        self._db.executemany(
            "INSERT INTO vocab VALUES (?, ?, ?) ON CONFLICT (term, surface) "
            "DO UPDATE SET freq = freq + excluded.freq",
            rows,
        )

    def replace_lexicon(self, rows: Iterable[tuple[str, int, int]]) -> None:
        """Replace the lexicon with (term, pages holding it, bit mask of fields) rows."""
        self._db.execute("DELETE FROM lexicon")
        self._db.executemany("INSERT INTO lexicon VALUES (?, ?, ?)", rows)

    # Reading

    def documents(self) -> dict[str, CatalogueEntry]:
        rows = self._db.execute("SELECT * FROM documents ORDER BY doc_id").fetchall()
        return {
            row[0]: CatalogueEntry(
                id=row[0],
                title=row[1],
                organisation=row[2],
                region=row[3],
                programme=row[4],
                kind=row[5],
                topics=tuple(json.loads(row[6])),
                file=row[7],
                pages=row[8],
            )
            for row in rows
        }

    def page_text(self, doc_id: str, page: int) -> str:
        row = self._db.execute(
            "SELECT text FROM pages WHERE doc_id = ? AND page = ?", (doc_id, page)
        ).fetchone()
        return decompress(row[0]) if row else ""

    def document_text(self, doc_id: str, max_chars: int) -> str:
        """The document's text from its first page on, up to about ``max_chars``."""
        parts: list[str] = []
        size = 0
        for (blob,) in self._db.execute(
            "SELECT text FROM pages WHERE doc_id = ? ORDER BY page", (doc_id,)
        ):
            text = decompress(blob)
            parts.append(text)
            size += len(text)
            if size >= max_chars:
                break
        return "\n".join(parts)[:max_chars]

    def surfaces(self, term: str) -> list[str]:
        """The words that produced ``term``, most frequent first."""
        rows = self._db.execute(
            "SELECT surface FROM vocab WHERE term = ? ORDER BY freq DESC LIMIT 40", (term,)
        ).fetchall()
        return [row[0] for row in rows]

    def lexicon_row(self, term: str) -> tuple[int, int]:
        """(pages, field mask) of ``term``; (0, 0) when the index does not hold it."""
        row = self._db.execute(
            "SELECT pages, fields FROM lexicon WHERE term = ?", (term,)
        ).fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def lexicon_terms(self) -> list[str]:
        """Every term of the lexicon in code-point order."""
        return [str(term) for (term,) in self._db.execute("SELECT term FROM lexicon ORDER BY term")]

    def lexicon_prefix(self, prefix: str, limit: int) -> list[str]:
        """Up to ``limit`` terms starting with ``prefix``, those in most pages first."""
        rows = self._db.execute(
            "SELECT term FROM lexicon WHERE term >= ? AND term < ? "
            "ORDER BY pages DESC, term LIMIT ?",
            (prefix, prefix + "\U0010ffff", limit),
        )
        return [str(term) for (term,) in rows]


def compress(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 3)


def decompress(blob: bytes) -> str:
    try:
        return zlib.decompress(blob).decode("utf-8", errors="replace")
    except zlib.error:
        return ""
