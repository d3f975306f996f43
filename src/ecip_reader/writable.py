"""Whether the user's folders can be written, and what to do when they cannot.

The reader must start on a locked-down laptop whatever state its folders are
in: missing, read-only, on a full disk, on the first run or any later one.
:func:`prepare_folders` creates and tries each per-user folder once at
start-up and never raises. What it finds:

* **data** (notes, bookmarks, reading history, My documents) cannot be
  written — the notes open read-only from what is there, the history lives
  in memory; nothing typed can be lost because writing is switched off;
* **config** (settings) cannot be written — settings live in memory;
* **cache** (search indexes, covers) cannot be written — a temporary folder
  takes its place for this session.

:func:`unsaved_sentence` turns what was found into the one sentence the window
shows, and :func:`probe` is the check the window repeats until writing works
again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

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
    """``Your notes, reading history and settings`` for the folders ``roles``."""
    names = [name for role in roles for name in HOLDS[role]]
    text = _join(names)
    return f"Your {text}" if CACHE not in roles else text[0].upper() + text[1:]


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
    paths: AppPaths  # the folders to use (the cache may be a temporary stand-in)
    problems: tuple[FolderProblem, ...] = ()
    temporary_cache: Path | None = None  # remove it when the reader closes

    def problem(self, role: str) -> FolderProblem | None:
        return next((p for p in self.problems if p.role == role), None)

    def sentence(self) -> str | None:
        return unsaved_sentence(self.problems)

    def discard_temporary(self) -> None:
        if self.temporary_cache is not None:
            shutil.rmtree(self.temporary_cache, ignore_errors=True)


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


def prepare_folders(paths: AppPaths) -> PreparedFolders:
    """Create and try each per-user folder; never raises (see the module's text)."""
    problems = [
        found
        for role, folder in ((DATA, paths.data), (CONFIG, paths.config), (CACHE, paths.cache))
        if (found := _try(role, folder)) is not None
    ]
    temporary: Path | None = None
    if any(p.role == CACHE for p in problems):
        try:
            temporary = Path(tempfile.mkdtemp(prefix="ecip-reader-cache-"))
            probe(temporary, START_PROBE_BYTES, sync=False)
        except OSError as exc:
            log.warning("no temporary folder for the cache either: %s", exc)
            if temporary is not None:
                shutil.rmtree(temporary, ignore_errors=True)
            temporary = None
        else:
            paths = dataclasses.replace(paths, cache=temporary)
    return PreparedFolders(paths, tuple(problems), temporary)


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
    return f"{text[0].upper()}{text[1:]}; everything can still be read."
