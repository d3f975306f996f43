"""Opening the notes database: WAL, foreign keys, migrations, recovery, read-only fallback.

:func:`open_database` always returns a usable connection:

* normally the file at ``AppPaths.database``, writable, migrated to the current
  schema (with a backup taken first) and backed up once a day;
* when the file is not a database or fails ``PRAGMA integrity_check``, it is
  renamed aside with a timestamp, a fresh database is started and filled with
  every note that can still be read from the set-aside file, merged with the
  newest backup (:mod:`ecip_reader.userdata.salvage`); :class:`Recovery`
  carries one sentence for the user saying how many notes came back and how
  many could not be read (the backups are kept);
* when the folder or file cannot be written (read-only medium, permissions,
  full disk during a migration), a read-only copy of the notes is loaded into
  memory and ``read_only_reason`` holds the sentence every write will raise.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ecip_reader.errors import describe_os_error
from ecip_reader.userdata.backups import backup_due, list_backups, make_backup
from ecip_reader.userdata.errors import WHAT, is_damage, storage_error
from ecip_reader.userdata.salvage import SalvageReport, salvage
from ecip_reader.userdata.schema import (
    CURRENT_VERSION,
    migrate,
    name_colours_by_purpose,
    schema_version,
)

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 5.0


class DamagedDatabase(Exception):
    """``PRAGMA integrity_check`` did not answer "ok"."""


@dataclass(frozen=True)
class Recovery:
    """What happened to a damaged database, in one sentence, and what can be restored.

    ``newest_backup`` is None once the notes were recovered (restoring would
    only lose the ones recovered from the damaged file).
    """

    message: str
    damaged_copy: Path | None
    newest_backup: Path | None
    recovered: int = 0  # notes and bookmarks put back into the new database
    lost: int = 0  # notes and bookmarks known to have been there that could not be read


@dataclass
class OpenedDatabase:
    conn: sqlite3.Connection
    read_only_reason: str | None  # None when writes are possible
    recovery: Recovery | None
    migrated_from: int


def check_integrity(conn: sqlite3.Connection) -> None:
    rows = conn.execute("PRAGMA integrity_check(1)").fetchall()
    if rows != [("ok",)]:
        raise DamagedDatabase(str(rows[0][0]) if rows else "no answer")


def _connect_writable(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S
    )
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        # FULL: a committed change survives a power cut too, not only a crash.
        conn.execute("PRAGMA synchronous = FULL")
        check_integrity(conn)
        version = schema_version(conn)
        # Prove that writing works (a read-only file opens without complaint).
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(f"PRAGMA user_version = {version:d}")
        finally:
            conn.execute("ROLLBACK")
    except BaseException:
        conn.close()
        raise
    return conn


def _damage_message(newest: Path | None) -> str:
    if newest is None:
        return (
            "Your notes database was damaged and has been set aside; no backup was found, "
            "so a new, empty one has been started."
        )
    found = [b for b in list_backups(newest.parent) if b.path == newest]
    when = found[0].display_date if found else newest.name
    return (
        "Your notes database was damaged and has been set aside; "
        f"the newest backup from {when} can be restored."
    )


def set_aside(path: Path, backup_folder: Path) -> Recovery:
    """Rename a damaged database (and its -wal) with a timestamp; backups stay where they are."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    damaged = path.with_name(f"{path.name}.damaged-{stamp}")
    os.replace(path, damaged)
    wal = Path(f"{path}-wal")
    if wal.exists():
        os.replace(wal, Path(f"{damaged}-wal"))
    with contextlib.suppress(FileNotFoundError):
        Path(f"{path}-shm").unlink()
    backups = list_backups(backup_folder)
    newest = backups[0].path if backups else None
    log.warning("notes database damaged; moved to %s", damaged)
    return Recovery(_damage_message(newest), damaged, newest)


def _has_content(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT EXISTS(SELECT 1 FROM annotations) OR EXISTS(SELECT 1 FROM bookmarks)"
    ).fetchone()
    return bool(row[0])


def _daily_backup(conn: sqlite3.Connection, backup_folder: Path) -> None:
    try:
        if _has_content(conn) and backup_due(backup_folder):
            make_backup(conn, backup_folder, "daily")
    except (OSError, sqlite3.Error) as exc:
        log.warning("daily backup of the notes database failed: %s", exc)


def _has_content_file(path: Path) -> bool:
    """Whether ``path`` is a non-empty file (False when it cannot even be looked at)."""
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False


def open_read_only(path: Path, reason: str, recovery: Recovery | None) -> OpenedDatabase:
    """Load what can be read of ``path`` into memory; every write will fail with ``reason``."""
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    memory.execute("PRAGMA foreign_keys = ON")
    if recovery is None and _has_content_file(path):
        # "immutable" reads a WAL database in a folder where no -shm can be created.
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                source = sqlite3.connect(path.as_uri() + query, uri=True)
                try:
                    check_integrity(source)
                    source.backup(memory)
                finally:
                    source.close()
                break
            except (sqlite3.Error, DamagedDatabase) as exc:
                log.warning("reading the notes database read-only failed (%s): %s", query, exc)
                if isinstance(exc, DamagedDatabase) or is_damage(exc):
                    recovery = _damaged_in_place(path)
                    break
    version = schema_version(memory)
    if version <= CURRENT_VERSION:
        migrate(memory)
        name_colours_by_purpose(memory)
    memory.execute("PRAGMA query_only = ON")
    return OpenedDatabase(memory, reason, recovery, version)


def _damaged_in_place(path: Path, why: str = "") -> Recovery:
    """A damaged database that could not be (or was not to be) renamed aside."""
    backups = list_backups(path.parent / "backups")
    newest = backups[0].path if backups else None
    if not why and os.access(path.parent, os.W_OK):
        message = (
            "Your notes database is damaged; start the reader to recover the notes "
            "that can still be read from it and from the backups."
        )
        return Recovery(message, None, newest)
    because = f" ({why})" if why else ""
    message = (
        f"Your notes database is damaged and could not be set aside{because}; "
        "start the reader with write access to its data folder to recover it."
    )
    return Recovery(message, None, newest)


def _salvaged(conn: sqlite3.Connection, recovery: Recovery) -> Recovery:
    """Fill the new database with what can be read of the damaged one and the newest backup."""
    try:
        report = salvage(recovery.damaged_copy, recovery.newest_backup, conn)
    except Exception:  # a failed rescue must not keep the notes from opening
        log.exception("recovering notes from the damaged database failed")
        return recovery
    if report.recovered == 0 and report.lost == 0:
        return recovery  # there was nothing to recover
    log.warning(
        "notes recovered: %d (%d only in the backup), %d could not be read",
        report.recovered,
        report.only_in_backup,
        report.lost,
    )
    message = _salvage_message(report, recovery.newest_backup)
    return Recovery(message, recovery.damaged_copy, None, report.recovered, report.lost)


def _salvage_message(report: SalvageReport, backup: Path | None) -> str:
    count = report.recovered
    noun = "note or bookmark" if count == 1 else "notes and bookmarks"
    verb = "was" if count == 1 else "were"
    when = ""
    if backup is not None:
        found = [b for b in list_backups(backup.parent) if b.path == backup]
        when = found[0].display_date if found else backup.name
    source = ""
    if report.only_in_backup and when:
        share = "" if report.only_in_backup == count else f"{report.only_in_backup} of them "
        source = f" ({share}from the backup of {when})"
    start = "Your notes database was damaged and has been set aside; "
    if report.lost == 0 and not report.pages_missing:
        every = "the only" if count == 1 else f"all {count}"
        return f"{start}{every} {noun} {verb} recovered{source}."
    text = f"{start}{count} {noun} {verb} recovered{source}"
    if report.lost:
        text += f", and {report.lost} could not be read"
    if report.pages_missing:
        since = "after that backup" if source else f"since the backup of {when}"
        since = since if when else "recently"
        text += f"; part of the file was missing, so notes made {since} may be lost"
    return text + "."


def open_database(path: Path, backup_folder: Path, read_only: bool = False) -> OpenedDatabase:
    """Open (creating, migrating or recovering) the notes database at ``path``."""
    if read_only:
        return open_read_only(path, f"Cannot save {WHAT}: they are open read-only.", None)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return open_read_only(path, describe_os_error(exc, WHAT), None)
    recovery: Recovery | None = None
    while True:
        try:
            conn = _connect_writable(path)
            break
        except (sqlite3.Error, DamagedDatabase) as exc:
            damaged = isinstance(exc, DamagedDatabase) or is_damage(exc)
            if not damaged or recovery is not None:
                return open_read_only(path, str(storage_error(exc, path)), recovery)
            try:
                recovery = set_aside(path, backup_folder)
            except OSError as move_exc:
                reason = describe_os_error(move_exc, WHAT)
                stuck = _damaged_in_place(path, move_exc.strerror or str(move_exc))
                return open_read_only(path, reason, stuck)
    version = schema_version(conn)
    if version > CURRENT_VERSION:
        conn.close()
        reason = (
            f"Cannot save {WHAT}: they were saved by a newer version of the reader, "
            "so they are shown read-only."
        )
        return open_read_only(path, reason, recovery)
    try:
        migrated_from = migrate(
            conn, before=lambda old: _backup_before_migration(conn, backup_folder, old)
        )
        name_colours_by_purpose(conn)
    except (sqlite3.Error, OSError) as exc:
        conn.close()
        return open_read_only(path, str(storage_error(exc, path)), recovery)
    if recovery is not None:
        recovery = _salvaged(conn, recovery)
    _daily_backup(conn, backup_folder)
    return OpenedDatabase(conn, None, recovery, migrated_from)


def _backup_before_migration(conn: sqlite3.Connection, folder: Path, old: int) -> None:
    make_backup(conn, folder, f"before-v{CURRENT_VERSION}-from-v{old}")
