"""The manifest of an index folder, and the check that an index can be used.

An index folder holds ``whoosh/`` (the inverted index), ``pages.sqlite3`` (the
side store) and ``manifest.json``, written last. The manifest records the index
schema version, what the index was built from (the catalogue digest, or every
file's size, modification time and SHA-256) and the size and CRC-32 of every
index file, so a half-built, damaged or outdated index is recognised.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecip_reader.fileio import atomic_write_text
from ecip_reader.search.corpus import Corpus, FileState
from ecip_reader.search.schema import SCHEMA_VERSION

MANIFEST_FILE = "manifest.json"
WHOOSH_DIR = "whoosh"

READY = "ready"
MISSING = "missing"
STALE = "stale"
BROKEN = "broken"


@dataclass
class FileRecord:
    """A PDF of a folder library as it was indexed.

    ``error`` says why it was skipped; ``note`` what a reader should know about a
    file that was indexed (that it has no text to search, for a scan).
    """

    size: int
    mtime_ns: int
    sha256: str
    pages: int = 0
    error: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "sha256": self.sha256,
            "pages": self.pages,
            "error": self.error,
            "note": self.note,
        }


@dataclass
class Manifest:
    kind: str  # "catalogue" or "folder"
    catalogue_digest: str | None
    documents: int
    pages: int
    files: dict[str, FileRecord] = field(default_factory=dict)  # folder libraries only
    skipped: dict[str, str] = field(default_factory=dict)  # file name -> reason
    notes: dict[str, str] = field(default_factory=dict)  # file name -> note (catalogues)
    index_files: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> size, crc
    schema: int = SCHEMA_VERSION
    # Documents the extraction worker died on for the first time: read again by the next update.
    retry: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "kind": self.kind,
            "catalogue_digest": self.catalogue_digest,
            "documents": self.documents,
            "pages": self.pages,
            "files": {name: rec.to_json() for name, rec in sorted(self.files.items())},
            "skipped": dict(sorted(self.skipped.items())),
            "notes": dict(sorted(self.notes.items())),
            "index_files": {name: list(v) for name, v in sorted(self.index_files.items())},
            "retry": sorted(self.retry),
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """Raises ``ValueError``/``KeyError``/``TypeError`` when ``data`` is not a manifest."""
        if not isinstance(data, dict):
            raise ValueError("manifest is not an object")
        files = {
            str(name): FileRecord(
                int(rec["size"]),
                int(rec["mtime_ns"]),
                str(rec["sha256"]),
                int(rec.get("pages", 0)),
                None if rec.get("error") is None else str(rec["error"]),
                None if rec.get("note") is None else str(rec["note"]),
            )
            for name, rec in dict(data.get("files", {})).items()
        }
        return cls(
            kind=str(data["kind"]),
            catalogue_digest=data.get("catalogue_digest"),
            documents=int(data["documents"]),
            pages=int(data["pages"]),
            files=files,
            skipped={str(k): str(v) for k, v in dict(data.get("skipped", {})).items()},
            notes={str(k): str(v) for k, v in dict(data.get("notes", {})).items()},
            index_files={str(k): (int(v[0]), int(v[1])) for k, v in data["index_files"].items()},
            schema=int(data["schema"]),
            retry=[str(doc_id) for doc_id in data.get("retry", [])],
        )

    def save(self, folder: Path) -> None:
        atomic_write_text(folder / MANIFEST_FILE, json.dumps(self.to_json(), indent=1) + "\n")


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest of ``folder``; None when it is missing or unreadable."""
    try:
        raw = (folder / MANIFEST_FILE).read_text(encoding="utf-8")
        return Manifest.from_json(json.loads(raw))
    except (OSError, ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
        return None


def _crc(path: Path) -> int:
    crc = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            crc = zlib.crc32(block, crc)
    return crc


def index_files(folder: Path) -> dict[str, tuple[int, int]]:
    """Size and CRC-32 of every file of the index in ``folder`` (manifest excluded)."""
    found: dict[str, tuple[int, int]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MANIFEST_FILE and not path.name.endswith("WRITELOCK"):
            rel = path.relative_to(folder).as_posix()
            found[rel] = (path.stat().st_size, _crc(path))
    return found


def files_intact(folder: Path, manifest: Manifest, deep: bool) -> bool:
    """Every index file is there with its recorded size (and CRC when ``deep``)."""
    try:
        for rel, (size, crc) in manifest.index_files.items():
            path = folder / rel
            if path.stat().st_size != size:
                return False
            if deep and _crc(path) != crc:
                return False
    except OSError:
        return False
    return bool(manifest.index_files)


def library_changed(manifest: Manifest, library: Corpus, files: dict[str, FileState]) -> bool:
    """True when the library no longer matches what the index was built from."""
    if library.catalogue is not None:
        return manifest.kind != "catalogue" or manifest.catalogue_digest != library.catalogue.digest
    if manifest.kind != "folder" or set(files) != set(manifest.files):
        return True
    return any(
        (state.size, state.mtime_ns) != (manifest.files[rel].size, manifest.files[rel].mtime_ns)
        for rel, state in files.items()
    )


def check_index(folder: Path, library: Corpus, deep: bool = True) -> tuple[str, Manifest | None]:
    """The state of the index in ``folder`` for ``library``, and its manifest when readable."""
    if not folder.exists():
        return MISSING, None
    manifest = read_manifest(folder)
    if manifest is None:
        return (MISSING if not any(folder.iterdir()) else BROKEN), None
    if manifest.schema != SCHEMA_VERSION:
        return STALE, manifest
    if not files_intact(folder, manifest, deep):
        return BROKEN, manifest
    files = library.scan() if library.catalogue is None else {}
    if library_changed(manifest, library, files):
        return STALE, manifest
    return READY, manifest
