"""The user's own PDFs ("My documents"): a list of files kept where they are.

Adding copies nothing: the list records each file's path, size, modification
time and SHA-256 in ``my-documents.json`` in the user's data folder (written
with write-temp-then-rename). A folder that was added is remembered too, and
the PDFs found in it are recorded like single files; :meth:`UserLibrary.rescan`
picks up PDFs put there later. A file that disappears stays in the list and
is reported as missing, never dropped silently.

Every way of adding calls :func:`ecip_reader.library.folders.ensure_import_allowed`
first, so a policy with ``allow_import = false`` refuses with its sentence.

Adding reads and hashes every file, so the window does it on a worker thread.
A :class:`UserLibrary` may be used from several threads: adds run one at a
time, and the lists and the file are only touched under a short lock (never
held while a file is hashed), so reading the list never waits for a hash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecip_reader.errors import StorageError, UserError, describe_os_error
from ecip_reader.fileio import (
    HEADER_WINDOW,
    PDF_MARKER,
    NotAFile,
    atomic_write_text,
    open_regular,
    other_format,
    shown_name,
)
from ecip_reader.library.catalogue import sha256_file
from ecip_reader.library.folders import ensure_import_allowed
from ecip_reader.paths import AppPaths
from ecip_reader.settings import Settings

log = logging.getLogger(__name__)

FILE_NAME = "my-documents.json"
SCHEMA = 1
SOURCE_KEY = "mine"
OK, MISSING, CHANGED = "ok", "missing", "changed"

Progress = Callable[[int, int], None]  # files looked at, files to look at


@dataclass(frozen=True)
class UserDocument:
    path: Path
    size: int
    mtime_ns: int
    sha256: str
    added: float
    folder: Path | None = None  # the added folder it was found in, if any

    @property
    def key(self) -> str:
        """A short stable name for this file (its path hashed)."""
        name = os.path.normcase(str(self.path)).encode("utf-8", "surrogateescape")
        return hashlib.sha256(name).hexdigest()[:16]

    def state(self) -> str:
        """ "ok", "missing" (gone or unreadable) or "changed" (edited since it was added)."""
        try:
            info = self.path.stat()
        except OSError:
            return MISSING
        if not stat.S_ISREG(info.st_mode):
            return MISSING
        if info.st_size != self.size or info.st_mtime_ns != self.mtime_ns:
            return CHANGED
        return OK

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "sha256": self.sha256,
            "added": self.added,
            "folder": str(self.folder) if self.folder is not None else None,
        }

    @classmethod
    def from_json(cls, raw: object) -> UserDocument | None:
        if not isinstance(raw, dict):
            return None
        try:
            folder = raw.get("folder")
            return cls(
                Path(str(raw["path"])),
                int(raw["size"]),
                int(raw["mtime_ns"]),
                str(raw["sha256"]),
                float(raw.get("added", 0.0)),
                Path(folder) if isinstance(folder, str) and folder else None,
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass
class AddResult:
    added: list[UserDocument]
    already: list[Path]
    problems: list[str]  # one sentence each, naming the file


def pdfs_below(folder: Path) -> list[Path]:
    """Every PDF in ``folder`` and its sub-folders (hidden ones skipped), sorted."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and name.lower().endswith(".pdf"):
                found.append(Path(dirpath) / name)
    return found


class UserLibrary:
    """The list of the user's own PDFs, loaded once and saved after each change."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        self._documents: dict[str, UserDocument] = {}
        self._folders: list[Path] = []
        self._removed: set[str] = set()  # files of added folders the user took out
        self._lock = threading.RLock()  # the lists and the file; held briefly
        self._adding = threading.Lock()  # one add at a time, whichever thread asks
        self.load_error: str | None = None
        self._load()

    @classmethod
    def for_paths(cls, paths: AppPaths) -> UserLibrary:
        return cls(paths.data / FILE_NAME)

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            self.load_error = f"The list of your own documents could not be read ({exc})."
            log.warning("%s", self.load_error)
            return
        if not isinstance(data, dict):
            return
        for raw in data.get("documents", []) if isinstance(data.get("documents"), list) else []:
            doc = UserDocument.from_json(raw)
            if doc is not None:
                self._documents[str(doc.path)] = doc
        folders = data.get("folders", [])
        if isinstance(folders, list):
            self._folders = [Path(f) for f in folders if isinstance(f, str) and f]
        removed = data.get("removed", [])
        if isinstance(removed, list):
            self._removed = {r for r in removed if isinstance(r, str) and r}

    def documents(self) -> list[UserDocument]:
        with self._lock:
            return list(self._documents.values())

    def folders(self) -> list[Path]:
        with self._lock:
            return list(self._folders)

    def get(self, key: str) -> UserDocument | None:
        return next((d for d in self.documents() if d.key == key), None)

    # -- adding ------------------------------------------------------------------------

    def add_files(
        self,
        files: Iterable[Path],
        settings: Settings,
        folder: Path | None = None,
        progress: Progress | None = None,
    ) -> AddResult:
        """Record ``files``; raises ``ImportNotAllowed`` when the policy forbids it."""
        ensure_import_allowed(settings)
        with self._adding:
            return self._record(files, folder, progress)

    def add_folder(
        self, folder: Path, settings: Settings, progress: Progress | None = None
    ) -> AddResult:
        """Remember ``folder`` and record every PDF in it."""
        ensure_import_allowed(settings)
        folder = Path(folder).expanduser().absolute()
        if not folder.is_dir():
            raise UserError(f"The folder {folder} cannot be read.")
        with self._adding:
            with self._lock:
                if folder not in self._folders:
                    self._folders.append(folder)
            result = self._record(pdfs_below(folder), folder, progress)
            if not result.added:
                self.save()
            return result

    def rescan(self, settings: Settings) -> AddResult:
        """Record the PDFs put into the remembered folders since they were added."""
        result = AddResult([], [], [])
        if not settings.allow_import():
            return result
        with self._adding:
            for folder in self.folders():
                if not folder.is_dir():
                    continue
                with self._lock:
                    known = set(self._documents) | self._removed
                new = [p for p in pdfs_below(folder) if str(p.absolute()) not in known]
                if new:
                    found = self._record(new, folder, None)
                    result.added += found.added
                    result.problems += found.problems
        return result

    def _record(
        self, files: Iterable[Path], folder: Path | None, progress: Progress | None
    ) -> AddResult:
        """Stat and hash each file without the lock; list it and save under it."""
        result = AddResult([], [], [])
        paths = [Path(raw).expanduser().absolute() for raw in files]
        for done, path in enumerate(paths):
            if progress is not None:
                progress(done, len(paths))
            with self._lock:
                known = self._documents.get(str(path))
            if known is not None and known.state() == OK:
                result.already.append(path)
                continue
            try:
                info, digest = _read_pdf(path)
            except NotAFile as exc:
                result.problems.append(exc.sentence())
                continue
            except NotAPdf as exc:
                result.problems.append(str(exc))
                continue
            except OSError as exc:
                result.problems.append(f"{shown_name(path)} could not be added: {_reason(exc)}.")
                continue
            doc = UserDocument(path, info.st_size, info.st_mtime_ns, digest, self._clock(), folder)
            with self._lock:
                self._documents[str(path)] = doc
                self._removed.discard(str(path))
            result.added.append(doc)
        if progress is not None:
            progress(len(paths), len(paths))
        if result.added:
            self.save()
        return result

    def remove(self, path: Path) -> UserDocument | None:
        """Take ``path`` out of the list (the file itself is not touched); returns its record.

        A file found in an added folder is remembered as taken out, so looking
        at the folder again does not bring it back; adding it by hand does.
        """
        with self._lock:
            doc = self._documents.pop(str(path), None)
            if doc is None:
                return None
            if doc.folder is not None:
                self._removed.add(str(path))
            self.save()
            return doc

    def save(self) -> None:
        with self._lock:  # one writer at a time, and the newest list written last
            payload = {
                "schema": SCHEMA,
                "documents": [d.to_json() for d in self._documents.values()],
                "folders": [str(f) for f in self._folders],
                "removed": sorted(self._removed),
            }
            try:
                atomic_write_text(self.path, json.dumps(payload, indent=2, sort_keys=True))
            except OSError as exc:
                raise StorageError(
                    describe_os_error(exc, "the list of your own documents")
                ) from exc


class NotAPdf(UserError):
    """A file that is surely no PDF (empty, an image, an archive...)."""


def _read_pdf(path: Path) -> tuple[os.stat_result, str]:
    """The status and SHA-256 of ``path``, a regular file that may be a PDF.

    Raises :class:`NotAFile` (a pipe, a device, a broken link...), :class:`NotAPdf`
    (no "%PDF-" marker near its start) or :class:`OSError`.
    """
    with open_regular(path) as handle:
        info = os.fstat(handle.fileno())
        head = handle.read(HEADER_WINDOW)
    other = other_format(head)
    if other is not None:
        raise NotAPdf(f"{shown_name(path)} is not a PDF: {other}.")
    if PDF_MARKER not in head:
        raise NotAPdf(f"{shown_name(path)} is not a PDF.")
    return info, sha256_file(path)


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "the file does not exist"
    if isinstance(exc, IsADirectoryError):
        return "it is not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return str(exc.strerror or exc).lower()
