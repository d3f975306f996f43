"""The annotations and bookmarks store: one SQLite database, one transaction per action.

:class:`UserDataStore` reads and writes the user's highlights, underlines,
strike-throughs, sticky notes, bookmarks, colour names and imported layers.
Every call that changes something commits before it returns, so what it
confirmed survives a crash. Undoable editing goes through
:class:`ecip_reader.userdata.editing.Annotator`, which records each action in a
:class:`ecip_reader.userdata.undo.UndoHistory`.

The store may be shared between the GUI thread and one worker thread (for
searches): every call holds an internal lock. It never imports PyMuPDF.

When writing fails for a lasting reason (a full disk, a read-only folder,
no permission) the store remembers the sentence in :attr:`write_problem`
(:attr:`writable` turns false) until a write works again; the window keeps
write actions off meanwhile and calls :meth:`try_writes_again` now and then.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from ecip_reader.errors import StorageError
from ecip_reader.paths import AppPaths
from ecip_reader.userdata import maintenance, ops, reattaching, rows, session_store, textsearch
from ecip_reader.userdata.anchoring import FindQuads
from ecip_reader.userdata.applying import apply_op, layer_hashes
from ecip_reader.userdata.backups import Backup, list_backups
from ecip_reader.userdata.database import Recovery, open_database
from ecip_reader.userdata.errors import is_lasting, storage_error
from ecip_reader.userdata.models import (
    Annotation,
    Bookmark,
    Colour,
    DocumentRef,
    Layer,
    NoteHit,
)
from ecip_reader.userdata.reattaching import ReattachReport
from ecip_reader.userdata.schema import CURRENT_VERSION
from ecip_reader.userdata.session_plans import SessionPlan

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoreEvent:
    """What a committed change touched, for listeners that redraw or refresh."""

    doc_hashes: frozenset[str] = frozenset()  # documents whose notes or bookmarks changed
    palette: bool = False
    layers: bool = False
    external: bool = False  # not an undoable edit (import, restore, re-attach): clears undo
    reset: bool = False  # anything may have changed (a backup was restored)
    sessions: bool = False  # a session plan was added, changed or removed


Listener = Callable[[StoreEvent], None]


def backup_folder(paths: AppPaths) -> Path:
    return paths.data / "backups"


class UserDataStore:
    """Open with :meth:`open`; close with :meth:`close` (or use it as a context manager)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        backups: Path,
        read_only_reason: str | None = None,
        recovery: Recovery | None = None,
        reopen_later: bool = False,
    ) -> None:
        self._conn = conn
        self.path = path
        self.backup_folder = backups
        self._read_only_reason = read_only_reason
        self.recovery = recovery  # set when a damaged database was set aside at open
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self._write_problem: str | None = None
        # opened read-only only because the folder could not be written: worth another try
        self._reopen_later = reopen_later and read_only_reason is not None

    @classmethod
    def open(cls, paths: AppPaths, read_only: bool = False) -> UserDataStore:
        """Open the database at ``paths.database``; never raises for a bad file or folder.

        Check :attr:`recovery` (a damaged database was set aside) and
        :attr:`read_only_reason` (writes will fail with that sentence) afterwards.
        """
        folder = backup_folder(paths)
        opened = open_database(paths.database, folder, read_only=read_only)
        # read-only only because the folder or disk refused (not a newer or damaged database)
        retry = (
            not read_only and opened.recovery is None and opened.migrated_from <= CURRENT_VERSION
        )
        return cls(
            opened.conn,
            paths.database,
            folder,
            opened.read_only_reason,
            opened.recovery,
            reopen_later=retry,
        )

    # -- life cycle ---------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> UserDataStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        return self._read_only_reason is not None

    @property
    def read_only_reason(self) -> str | None:
        """The sentence every write raises, or ``None`` when the store is writable."""
        return self._read_only_reason

    @property
    def write_problem(self) -> str | None:
        """Why the last write failed, while writes keep failing (a full disk …)."""
        return self._write_problem

    @property
    def writable(self) -> bool:
        """Whether a write can be expected to work now."""
        return self._read_only_reason is None and self._write_problem is None

    @property
    def not_writable_reason(self) -> str | None:
        return self._read_only_reason or self._write_problem

    @property
    def can_become_writable(self) -> bool:
        """Whether :meth:`try_writes_again` may help (not open read-only on purpose)."""
        return self._write_problem is not None or self._reopen_later

    def try_writes_again(self) -> bool:
        """Find out whether writing works now; ``True`` when the store is writable again.

        Slow (it writes to the disk): call it off the GUI thread. A store opened
        read-only because its folder could not be written is opened again for
        writing; listeners hear an event when the store becomes writable.
        """
        if self.writable:
            return True
        if self._read_only_reason is not None:
            if not self._reopen_later or not self._reopen():
                return False
        elif not self._probe():
            return False
        self._notify(StoreEvent(reset=True))
        return True

    def _probe(self) -> bool:
        """One real write into the database, committed; clears the write problem on success."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    (version,) = self._conn.execute("PRAGMA user_version").fetchone()
                    self._conn.execute(f"PRAGMA user_version = {int(version):d}")
                    self._conn.execute("COMMIT")
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                log.info("notes still cannot be saved: %s", exc)
                return False
            self._write_problem = None
            return True

    def _reopen(self) -> bool:
        """Open the database for writing in place of the read-only copy in memory."""
        opened = open_database(self.path, self.backup_folder)
        if opened.read_only_reason is not None or opened.recovery is not None:
            opened.conn.close()
            return False
        with self._lock:
            old, self._conn = self._conn, opened.conn
            self._read_only_reason = None
            self._write_problem = None
            self._reopen_later = False
        old.close()
        return True

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` after every committed change; returns an unsubscribe.

        Listeners run on the thread that made the change, after the commit.
        """
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, event: StoreEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("a user-data listener failed")

    # -- low-level access (used by the modules of this package) ----------------

    def _fail(self, exc: BaseException) -> StorageError:
        return storage_error(exc, self.path)

    def _write_failed(self, exc: BaseException) -> StorageError:
        """The error for a failed write; remembered while writes keep failing for its reason."""
        error = self._fail(exc)
        if is_lasting(exc, self.path):
            self._write_problem = str(error)
        return error

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement outside any transaction and return its rows (reads, PRAGMAs)."""
        with self._lock:
            try:
                return list(self._conn.execute(sql, params).fetchall())
            except sqlite3.Error as exc:
                raise self._fail(exc) from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any error."""
        if self._read_only_reason is not None:
            raise StorageError(self._read_only_reason)
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._write_failed(exc) from exc
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    try:
                        self._conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        log.exception("rollback failed")
                if isinstance(exc, sqlite3.Error):
                    raise self._write_failed(exc) from exc
                raise
            self._write_problem = None

    # -- reading --------------------------------------------------------------

    def annotations(
        self,
        doc_hash: str | None = None,
        page: int | None = None,
        *,
        include_hidden: bool = False,
        own_only: bool = False,
        layer_id: int | None = None,
    ) -> list[Annotation]:
        """Annotations in reading order (by document hash, then page and position).

        ``own_only`` keeps the user's own notes; ``layer_id`` keeps one imported
        layer. Hidden layers are left out unless ``include_hidden``.
        """
        sql, params = rows.filtered(
            rows.SELECT_ANNOTATIONS, "a", doc_hash, page, include_hidden, own_only, layer_id
        )
        found = [rows.annotation_from_row(r) for r in self.query(sql, params)]
        return sorted(found, key=lambda a: (a.doc_hash, *rows.reading_order(a)))

    def annotation(self, uuid: str) -> Annotation | None:
        found = self.query(rows.SELECT_ANNOTATIONS + " WHERE a.uuid = ?", (uuid,))
        return rows.annotation_from_row(found[0]) if found else None

    def bookmarks(
        self,
        doc_hash: str | None = None,
        *,
        include_hidden: bool = False,
        own_only: bool = False,
        layer_id: int | None = None,
    ) -> list[Bookmark]:
        """Bookmarks ordered by document and page (same filters as :meth:`annotations`)."""
        sql, params = rows.filtered(
            rows.SELECT_BOOKMARKS, "b", doc_hash, None, include_hidden, own_only, layer_id
        )
        found = [rows.bookmark_from_row(r) for r in self.query(sql, params)]
        return sorted(found, key=lambda b: (b.doc_hash, b.page, b.created))

    def bookmark(self, uuid: str) -> Bookmark | None:
        found = self.query(rows.SELECT_BOOKMARKS + " WHERE b.uuid = ?", (uuid,))
        return rows.bookmark_from_row(found[0]) if found else None

    def documents(self) -> dict[str, DocumentRef]:
        """Every document hash the store knows, with the id and title recorded for it."""
        found = self.query("SELECT hash, doc_id, title FROM documents")
        return {r[0]: rows.document_from_row(r) for r in found}

    def document(self, doc_hash: str) -> DocumentRef | None:
        found = self.query("SELECT hash, doc_id, title FROM documents WHERE hash = ?", (doc_hash,))
        return rows.document_from_row(found[0]) if found else None

    def palette(self) -> list[Colour]:
        found = self.query("SELECT key, rgb, label, position FROM palette ORDER BY position")
        return [rows.colour_from_row(r) for r in found]

    def colour(self, key: str) -> Colour:
        for colour in self.palette():
            if colour.key == key:
                return colour
        raise KeyError(key)

    def layers(self) -> list[Layer]:
        found = self.query(rows.SELECT_LAYERS + " ORDER BY id")
        return [rows.layer_from_row(r) for r in found]

    def layer(self, layer_id: int) -> Layer | None:
        return next((la for la in self.layers() if la.id == layer_id), None)

    def layer_named(self, name: str) -> Layer | None:
        return next((la for la in self.layers() if la.name == name), None)

    def sessions(
        self,
        *,
        include_hidden: bool = False,
        own_only: bool = False,
        layer_id: int | None = None,
    ) -> list[SessionPlan]:
        """Session plans with their stops: the user's own first, then imported ones."""
        return session_store.read_plans(
            self.query,
            include_hidden=include_hidden,
            own_only=own_only,
            layer_id=layer_id,
        )

    def session(self, uuid: str) -> SessionPlan | None:
        found = session_store.read_plans(self.query, uuid=uuid, include_hidden=True)
        return found[0] if found else None

    def layer_sizes(self) -> dict[int, tuple[int, int]]:
        """Layer id -> (annotations, bookmarks)."""
        sizes: dict[int, tuple[int, int]] = {}
        for layer_id, count in self.query(
            "SELECT layer_id, COUNT(*) FROM annotations WHERE layer_id IS NOT NULL GROUP BY 1"
        ):
            sizes[int(layer_id)] = (int(count), 0)
        for layer_id, count in self.query(
            "SELECT layer_id, COUNT(*) FROM bookmarks WHERE layer_id IS NOT NULL GROUP BY 1"
        ):
            sizes[int(layer_id)] = (sizes.get(int(layer_id), (0, 0))[0], int(count))
        return sizes

    def search_text(
        self,
        query: str,
        limit: int = 50,
        *,
        doc_hash: str | None = None,
        include_hidden: bool = False,
    ) -> list[NoteHit]:
        """Notes and highlighted passages matching ``query`` (every word, prefixes too).

        For the main search ("your note" results) and for a search limited to
        annotations. Each hit carries the annotation, its document and snippet
        segments shaped like the search package's ``PageHit.segments``.
        """
        return textsearch.search_annotations(self, query, limit, doc_hash, include_hidden)

    # -- writing --------------------------------------------------------------

    def apply(self, changes: Sequence[ops.Op], *, external: bool = False) -> StoreEvent:
        """Make ``changes`` in one transaction, then tell the listeners.

        Raises :class:`StorageError` (one sentence) when nothing could be saved;
        then nothing of ``changes`` was saved and everything confirmed before is intact.
        """
        touched: set[str] = set()
        flags = {"palette": False, "layers": False, "sessions": False}
        with self.transaction() as conn:
            for change in changes:
                apply_op(conn, change, touched, flags)
        event = StoreEvent(
            frozenset(touched),
            flags["palette"],
            flags["layers"],
            external=external,
            sessions=flags["sessions"],
        )
        self._notify(event)
        return event

    def set_layer_visible(self, layer_id: int, visible: bool) -> None:
        """Show or hide an imported layer (a view setting, not an undoable edit)."""
        with self.transaction() as conn:
            conn.execute("UPDATE layers SET visible = ? WHERE id = ?", (int(visible), layer_id))
            hashes = layer_hashes(conn, layer_id)
        self._notify(StoreEvent(frozenset(hashes), layers=True, sessions=True))

    # -- backups --------------------------------------------------------------

    def backups(self) -> list[Backup]:
        """The rolling backups, newest first."""
        return list_backups(self.backup_folder)

    def backup_now(self, reason: str = "manual") -> Path:
        return maintenance.backup_now(self, self._conn, self._lock, reason)

    def restore_backup(self, backup: Path) -> None:
        """Replace the notes with those of ``backup`` (the current ones are backed up first)."""
        maintenance.restore_backup(self, self._conn, self._lock, backup)
        self.recovery = None
        self._notify(
            StoreEvent(layers=True, palette=True, external=True, reset=True, sessions=True)
        )

    def integrity_ok(self) -> bool:
        return self.query("PRAGMA integrity_check(1)") == [("ok",)]

    def reattach(
        self,
        old_hash: str,
        new_hash: str,
        page_texts: Sequence[str],
        find_quads: FindQuads | None = None,
    ) -> ReattachReport:
        """Move the notes of a re-issued document to its new hash by their quoted text.

        See :func:`ecip_reader.userdata.reattaching.reattach`.
        """
        return reattaching.reattach(self, old_hash, new_hash, page_texts, find_quads)
