"""Rolling backups of the notes database, made with SQLite's online backup API.

Backups live in ``AppPaths.data / "backups"`` as
``userdata-<UTC timestamp>-<reason>.sqlite3``; the newest :data:`KEEP` are kept.
One is taken before every schema migration, once a day when the store opens,
before a restore, and whenever :meth:`UserDataStore.backup_now` is called.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

KEEP = 7
DAILY = timedelta(days=1)
_NAME = re.compile(r"^userdata-(\d{8}T\d{12}Z)-([a-z0-9-]+)\.sqlite3$")
_STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class Backup:
    path: Path
    created: datetime  # UTC
    reason: str

    @property
    def display_date(self) -> str:
        """Local date and time for people, e.g. "3 May 2025, 14:02"."""
        local = self.created.astimezone()
        return f"{local.day} {local:%B %Y, %H:%M}"


def list_backups(folder: Path) -> list[Backup]:
    """The backups in ``folder``, newest first (none when the folder is missing)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found: list[Backup] = []
    for name in names:
        match = _NAME.match(name)
        if match:
            created = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
            found.append(Backup(folder / name, created, match.group(2)))
    found.sort(key=lambda b: b.created, reverse=True)
    return found


def backup_due(folder: Path, now: datetime | None = None) -> bool:
    """True when there is no backup younger than a day."""
    backups = list_backups(folder)
    moment = now or datetime.now(UTC)
    return not backups or moment - backups[0].created >= DAILY


def make_backup(conn: sqlite3.Connection, folder: Path, reason: str) -> Path:
    """Copy the database behind ``conn`` into a new backup file; keep the newest :data:`KEEP`.

    The copy is written under a temporary name and renamed when complete, so a
    crash never leaves a half-written backup with a backup's name. Raises
    :class:`OSError` or :class:`sqlite3.Error` when the copy cannot be written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    moment = datetime.now(UTC)
    name = f"userdata-{moment.strftime(_STAMP)}-{reason}.sqlite3"
    while (folder / name).exists():  # two backups within one microsecond
        moment += timedelta(microseconds=1)
        name = f"userdata-{moment.strftime(_STAMP)}-{reason}.sqlite3"
    final = folder / name
    partial = folder / f".{name}.partial"
    try:
        target = sqlite3.connect(partial)
        try:
            conn.backup(target)
            # A backup is a plain single file: no -wal beside it.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        os.replace(partial, final)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    prune(folder)
    return final


def prune(folder: Path, keep: int = KEEP) -> None:
    """Delete all but the newest ``keep`` backups."""
    for old in list_backups(folder)[keep:]:
        with contextlib.suppress(OSError):
            old.path.unlink()
