"""Backing up and restoring the live notes database."""

from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path

from ecip_reader.errors import StorageError
from ecip_reader.userdata.access import BackedUp
from ecip_reader.userdata.backups import make_backup
from ecip_reader.userdata.database import DamagedDatabase, check_integrity
from ecip_reader.userdata.errors import WHAT, storage_error
from ecip_reader.userdata.schema import CURRENT_VERSION, migrate, schema_version

_REASON = re.compile(r"^[a-z0-9-]+$")


def backup_now(
    store: BackedUp, conn: sqlite3.Connection, lock: threading.RLock, reason: str
) -> Path:
    """Write a backup now; raises :class:`StorageError` when it cannot be written."""
    if not _REASON.match(reason):
        raise ValueError(f"backup reason must be lower-case words and hyphens: {reason!r}")
    with lock:
        try:
            return make_backup(conn, store.backup_folder, reason)
        except (OSError, sqlite3.Error) as exc:
            raise storage_error(exc, store.backup_folder, f"a backup of {WHAT}") from exc


def _load_backup(backup: Path) -> sqlite3.Connection:
    """Copy a validated backup into memory (so pruning cannot remove it mid-restore)."""
    unusable = StorageError(
        f"The backup {backup.name} cannot be restored: it is damaged or is not a notes database."
    )
    if not backup.is_file():
        raise StorageError(f"The backup {backup.name} cannot be found.")
    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        source = sqlite3.connect(backup.as_uri() + "?mode=ro", uri=True)
        try:
            check_integrity(source)
            version = schema_version(source)
            if not 1 <= version <= CURRENT_VERSION:
                raise unusable
            source.backup(memory)
        finally:
            source.close()
    except (sqlite3.Error, DamagedDatabase) as exc:
        memory.close()
        raise unusable from exc
    except BaseException:
        memory.close()
        raise
    return memory


def restore_backup(
    store: BackedUp, conn: sqlite3.Connection, lock: threading.RLock, backup: Path
) -> None:
    """Replace the live database's content with ``backup``'s, migrating it if it is older.

    The current notes are backed up first ("before-restore"), so a restore can
    itself be undone by restoring that backup.
    """
    if store.read_only_reason is not None:
        raise StorageError(store.read_only_reason)
    memory = _load_backup(backup)
    try:
        with lock:
            backup_now(store, conn, lock, "before-restore")
            try:
                memory.backup(conn)
                migrate(conn)
            except sqlite3.Error as exc:
                raise storage_error(exc, store.path) from exc
    finally:
        memory.close()
