"""Plain sentences for SQLite and file-system failures of the notes database."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from ecip_reader.errors import StorageError, describe_os_error

WHAT = "your notes"
MIN_FREE_BYTES = 64 * 1024  # less room than this is a full disk for the notes database

_ERRNO_OF = {
    "SQLITE_FULL": errno.ENOSPC,
    "SQLITE_PERM": errno.EPERM,
    "SQLITE_AUTH": errno.EACCES,
    "SQLITE_IOERR": errno.EIO,
}


def _base_name(exc: sqlite3.Error) -> str:
    """``SQLITE_READONLY_DBMOVED`` -> ``SQLITE_READONLY``."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    return "_".join(name.split("_")[:2])


def is_damage(exc: BaseException) -> bool:
    """True when SQLite says the file is not a database or is malformed."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    if _base_name(exc) in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        return True
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def _folder_is_read_only(path: Path) -> bool:
    try:
        return bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


def _folder_is_full(path: Path) -> bool:
    """Whether the disk holding ``path``'s folder has no room left for this user."""
    try:
        info = os.statvfs(path.parent)
    except (OSError, AttributeError):
        return False
    return info.f_bavail * info.f_frsize < MIN_FREE_BYTES


def folder_cause(path: Path) -> int | None:
    """The errno that explains a vague I/O failure in ``path``'s folder, if the folder does.

    SQLite reports a full disk or a read-only medium met while setting up its
    shared-memory or journal files as a plain "disk I/O error".
    """
    if _folder_is_read_only(path):
        return errno.EROFS
    if _folder_is_full(path):
        return errno.ENOSPC
    return None


def describe_sqlite_error(exc: sqlite3.Error, path: Path, what: str = WHAT) -> str:
    """One sentence for a failed read or write of ``what`` (the notes database at ``path``)."""
    base = _base_name(exc)
    if base in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return (
            f"Cannot save {what}: the notes database is in use by another copy of the "
            "reader. Close it and try again."
        )
    if is_damage(exc):
        return (
            f"Cannot save {what}: the notes database is damaged. Restart the reader "
            "to set it aside and start a new one."
        )
    code = _ERRNO_OF.get(base)
    if base in ("SQLITE_CANTOPEN", "SQLITE_READONLY"):
        # SQLite says the same whether the medium is read-only, full, or the user may
        # not write there; only the first is "read-only" to the person reading this.
        code = folder_cause(path) or errno.EACCES
    elif base == "SQLITE_IOERR" or code is None:
        code = folder_cause(path) or code
    if code is None and "disk is full" in str(exc).lower():
        code = errno.ENOSPC
    if code is not None:
        return describe_os_error(OSError(code, os.strerror(code), str(path)), what)
    return f"Cannot save {what}: {exc}."


_LASTING_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}
_LASTING_SQLITE = {
    "SQLITE_FULL",
    "SQLITE_READONLY",
    "SQLITE_PERM",
    "SQLITE_AUTH",
    "SQLITE_CANTOPEN",
}


def is_lasting(exc: BaseException, path: Path) -> bool:
    """Whether ``exc`` will keep every write failing until something changes on the disk
    (room is made, the folder becomes writable), as opposed to a one-off or a damaged file."""
    if isinstance(exc, sqlite3.Error):
        base = _base_name(exc)
        if base in _LASTING_SQLITE:
            return True
        return base == "SQLITE_IOERR" and folder_cause(path) is not None
    if isinstance(exc, OSError):
        return exc.errno in _LASTING_ERRNOS | {getattr(errno, "EDQUOT", errno.ENOSPC)}
    return False


def storage_error(exc: BaseException, path: Path, what: str = WHAT) -> StorageError:
    """A :class:`StorageError` with one plain sentence for ``exc`` while saving ``what``."""
    if isinstance(exc, sqlite3.Error):
        return StorageError(describe_sqlite_error(exc, path, what))
    if isinstance(exc, OSError):
        return StorageError(describe_os_error(exc, what))
    return StorageError(f"Cannot save {what}: {exc}.")
