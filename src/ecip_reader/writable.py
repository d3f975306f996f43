"""Whether the user's folders can be written, and what to do when they cannot.

The reader must start on a locked-down laptop whatever state its folders are
in: missing, read-only, on a full disk, on the first run or any later one.
:func:`prepare_folders` creates and tries each per-user folder once at
start-up and never raises. What it finds:

* **data** (notes, bookmarks, reading history, My documents) cannot be
  written — the notes open read-only from what is there, the history lives
  in memory; nothing typed can be lost because writing is switched off;
* **config** (settings) cannot be written — settings live in memory;
* **cache** (search indexes, covers) cannot be written — a folder of this
  user's in the system's temporary folder takes its place, and is used again
  on the next start, so a laptop whose home is always read-only does not
  index the library every day.

:func:`unsaved_sentence` turns what was found into the one sentence the window
shows, and :func:`probe` is the check the window repeats until writing works
again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import getpass
import hashlib
import logging
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ecip_reader import APP_NAME
from ecip_reader.paths import AppPaths

log = logging.getLogger(__name__)

PROBE_BYTES = 64 * 1024  # room for a note or a settings file, at least
START_PROBE_BYTES = 4 * 1024  # the cheaper look taken while the window opens

# what each folder holds, as the sentence names it
DATA, CONFIG, CACHE = "data", "config", "cache"
HOLDS = {
    DATA: ("notes", "reading history"),
    CONFIG: ("settings",),
    CACHE: ("covers", "search indexes"),
}


def what(roles: list[str] | tuple[str, ...]) -> str:
    """``your notes, reading history and settings`` for the folders ``roles``."""
    text = _join([name for role in roles for name in HOLDS[role]])
    return text if CACHE in roles else f"your {text}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def reason_of(exc: OSError) -> str:
    """Why a write failed, in a few plain words ("the disk is full")."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the folder is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOTDIR:
        return "a file stands where a folder should be"
    return (exc.strerror or str(exc)).lower()


def probe(folder: Path, size: int = PROBE_BYTES, sync: bool = True) -> None:
    """Create ``folder`` if need be, write ``size`` bytes into a file there and remove it.

    Raises :class:`OSError` when any step fails (a full disk, a read-only medium,
    no permission).
    """
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".write-check-", dir=folder)
    try:
        block = b"\0" * min(size, 64 * 1024)
        written = 0
        while written < size:
            written += os.write(fd, block[: size - written])
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)


@dataclass(frozen=True)
class FolderProblem:
    """A per-user folder that cannot be written, and why."""

    role: str  # DATA, CONFIG or CACHE
    folder: Path  # the folder the operating system named, e.g. the read-only parent
    reason: str  # reason_of(...)


@dataclass(frozen=True)
class PreparedFolders:
    paths: AppPaths  # the folders to use (the cache may be a stand-in)
    problems: tuple[FolderProblem, ...] = ()
    stand_in_cache: Path | None = None  # in the temporary folder, when the cache was unusable

    def sentence(self) -> str | None:
        """What cannot be saved, or ``None`` (a cache with a stand-in loses nothing)."""
        if self.stand_in_cache is not None:
            return unsaved_sentence([p for p in self.problems if p.role != CACHE])
        return unsaved_sentence(self.problems)


def _try(role: str, folder: Path) -> FolderProblem | None:
    try:
        probe(folder, START_PROBE_BYTES, sync=False)
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else folder
        if where.name.startswith(".write-check-"):
            where = where.parent
        log.warning("cannot write to %s: %s", folder, exc)
        return FolderProblem(role, where, reason_of(exc))
    return None


def _own_private_folder(folder: Path) -> bool:
    """Whether ``folder`` is a real folder of this user that nobody else may enter."""
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "getuid"):  # POSIX: the shared /tmp must not hand us someone else's folder
        return info.st_uid == os.getuid() and not info.st_mode & 0o077
    return True


def stand_in_cache(cache: Path) -> Path:
    """This user's folder in the temporary folder that stands in for ``cache``.

    The same ``cache`` always gets the same stand-in, so what was built there
    (the search index) is found again by the next start. Raises :class:`OSError`.
    """
    user = str(os.getuid()) if hasattr(os, "getuid") else getpass.getuser()
    base = Path(tempfile.gettempdir()) / f"{APP_NAME}-{user}"
    base.mkdir(mode=0o700, exist_ok=True)
    if not _own_private_folder(base):
        raise PermissionError(errno.EACCES, "not this user's private folder", str(base))
    digest = hashlib.sha256(os.path.normcase(str(cache)).encode("utf-8")).hexdigest()[:16]
    folder = base / f"cache-{digest}"
    folder.mkdir(mode=0o700, exist_ok=True)
    probe(folder, START_PROBE_BYTES, sync=False)
    return folder


def prepare_folders(paths: AppPaths) -> PreparedFolders:
    """Create and try each per-user folder; never raises (see the module's text)."""
    problems = [
        found
        for role, folder in ((DATA, paths.data), (CONFIG, paths.config), (CACHE, paths.cache))
        if (found := _try(role, folder)) is not None
    ]
    stand_in: Path | None = None
    if any(p.role == CACHE for p in problems):
        try:
            stand_in = stand_in_cache(paths.cache)
        except OSError as exc:
            log.warning("no stand-in for the cache either: %s", exc)
        else:
            paths = dataclasses.replace(paths, cache=stand_in)
    return PreparedFolders(paths, tuple(problems), stand_in)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def unsaved_sentence(problems: tuple[FolderProblem, ...] | list[FolderProblem]) -> str | None:
    """One sentence: what cannot be saved, why, and that reading still works."""
    lasting = [p for p in problems if p.role != CACHE] or list(problems)
    if not lasting:
        return None
    by_reason: dict[str, list[FolderProblem]] = {}
    for problem in lasting:
        by_reason.setdefault(problem.reason, []).append(problem)
    parts = []
    for reason, group in by_reason.items():
        held = what([p.role for p in group])
        parts.append(f"{held} cannot be saved: {reason} ({group[0].folder})")
    text = "; ".join(parts)
    return f"{capitalised(text)}; everything can still be read."
